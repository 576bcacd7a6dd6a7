using System.Threading.Tasks;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.EndToEnd;

/// <summary>The README's first command works and prints what it promises.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Dotnet_run_of_PageWalk_prints_the_geometry_the_walks_and_the_summary()
    {
        var run = await DotNet.Run(RepoPaths.Root, "run", "--project", "samples/PageWalk");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("HandleGen PageWalk: arch x86_64, alias form", run.Output);
        Assert.Matches(@"level\s+index bits\s+shift\s+entries per table\s+one entry covers\s+folded", run.Output);
        Assert.Matches(@"p4d\s+0\s+39\s+1\s+512 GiB\s+yes", run.Output);
        Assert.Contains("crosses a pmd boundary", run.Output);
        Assert.Matches(@"=> physical 0x[0-9a-f]+, flags 0x63", run.Output);
        Assert.Contains("not present: the walk stops", run.Output);
        Assert.Contains("After teardown: 0 tables, 0 bytes in use.", run.Output);
    }
}
