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
        // PAGE_KERNEL on x86-64 (pgtable_types.h __PAGE_KERNEL): P RW A D G NX, named; a 2 MiB and a 1 GiB leaf with PSE.
        Assert.Matches(@"=> physical 0x[0-9a-f]+, flags 0x8000000000000163 \(PRESENT RW ACCESSED DIRTY GLOBAL NX\)", run.Output);
        Assert.Matches(@"pmd\s+\d+\s+0x[0-9a-f]+\s+0x[0-9a-f]{16}\s+PRESENT RW ACCESSED DIRTY PSE GLOBAL NX\s+2 MiB page at", run.Output);
        Assert.Matches(@"pud\s+\d+\s+0x[0-9a-f]+\s+0x[0-9a-f]{16}\s+PRESENT RW ACCESSED DIRTY PSE GLOBAL NX\s+1 GiB page at", run.Output);
        Assert.Contains("not present: the walk stops", run.Output);
        Assert.Contains("After teardown: 0 tables, 0 bytes in use.", run.Output);
    }

    [Theory]
    [InlineData("x86_64=alias;ept=strong", "host tables x86_64 (alias form), guest tables ept (strong form)")]
    [InlineData("strong", "host tables x86_64 (strong form), guest tables ept (strong form)")]
    public async Task Dotnet_run_of_Hypervisor_builds_x86_64_and_ept_and_translates_guest_physical(string forms, string header)
    {
        // The project sets HandleGenArch to x86_64;ept; the form list on the command line is ';'-free, as MSBuild needs.
        var run = await DotNet.Run(RepoPaths.Root, "run", "--project", "samples/Hypervisor", "-p:HandleGenForm=" + forms.Replace(";", "%3B"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("HandleGen Hypervisor: " + header, run.Output);
        // Hand computed from the sample's layout: guest pages 0-3 at host physical 0x1000000, 2 MiB at gpa 0x200000 to
        // hpa 0x1200000 through one PDE; the host maps the same four pages at 0x7f0000000000.
        Assert.Matches(@"gpa 0x1abc\s+-> hpa 0x1001abc\s+\(pte entry\)\s+host va 0x7f0000001abc -> hpa 0x1001abc", run.Output);
        Assert.Matches(@"gpa 0x3ffff0\s+-> hpa 0x13ffff0\s+\(pmd entry\)", run.Output);
        Assert.Matches(@"gpa 0x4000\s+-> EPT violation", run.Output);
        Assert.Matches(@"gpa 0x400000\s+-> EPT violation", run.Output);
        // pgd, pud, pmd, pte for the host; pgd, pud, pmd, pte for the guest (the 2 MiB leaf needs no pte table).
        Assert.Contains("Tables live: 8 (32 KiB)", run.Output);
    }
}
