using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.EndToEnd;

/// <summary>
/// Whole-project conversion as a user does it: a raw-pointer paging module (Conversion/Paging.cs) builds and
/// runs in the alias form with flip-readiness warnings and fails in the strong form; one dotnet format command
/// applies every code fix; what is left needs a hand; then the strong form builds with no error and the
/// program prints what it printed before.
/// </summary>
public sealed class ConversionEndToEndTests
{
    private static readonly string[] Fixable = ["HG1001", "HG1002", "HG1003", "HG1004", "HG1005", "HG1006"];

    private static string Source(string file) =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "HandleGen.Tests", "EndToEnd", "Conversion", file));

    [Fact]
    public async Task Dotnet_format_converts_a_raw_pointer_module_to_a_strong_form_build_with_the_same_output()
    {
        var feed = await PackedPackage.Get();
        var sources = new Dictionary<string, string> { ["Program.cs"] = Source("Program.cs"), ["Paging.cs"] = Source("Paging.cs") };
        var project = ConsumerProject.Create(feed, "Convert_paging", GeneratorHarness.ShippedSpec, sources);
        var unconverted = ConsumerProject.Create(feed, "Convert_paging_unconverted", GeneratorHarness.ShippedSpec, sources);

        // Before: the alias form builds (warnings kept as warnings) and runs; the strong form does not build.
        var alias = await project.Build("HandleGenForm=alias", "TreatWarningsAsErrors=false");
        Assert.True(alias.ExitCode == 0, alias.ToString());
        var before = FlipSites(alias);
        var expectedOutput = (await project.RunBuilt()).Output;
        var strongBefore = await unconverted.Build("HandleGenForm=strong", "TreatWarningsAsErrors=false");
        Assert.NotEqual(0, strongBefore.ExitCode);

        // One command applies every fix.
        var format = await project.Run(new Dictionary<string, string>(), ["format", "analyzers", "Convert_paging.csproj", "--severity", "warn", "--diagnostics", .. Fixable]);
        Assert.True(format.ExitCode == 0, format.ToString());
        var after = FlipSites(await project.Build("HandleGenForm=alias", "TreatWarningsAsErrors=false"));

        // What is left has no mechanical fix: one loop that orders two handles (HG1007), rewritten by hand.
        Assert.Equal(["HG1007"], after.Select(s => s.Id));
        var paging = Path.Combine(project.Directory, "Paging.cs");
        File.WriteAllText(paging, File.ReadAllText(paging).Replace("p < end;", "__hw_pmdp_ptr(p) < __hw_pmdp_ptr(end);"));

        var strong = await project.Build("HandleGenForm=strong", "TreatWarningsAsErrors=false");
        Assert.True(strong.ExitCode == 0, strong.ToString());
        Assert.Empty(ConsumerProject.Errors(strong));
        Assert.Equal(expectedOutput, (await project.RunBuilt()).Output);

        var fixedByFormat = before.Count - after.Count;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Paging.cs: {before.Count} flip-readiness sites, {fixedByFormat} fixed by dotnet format, {after.Count} by hand; " +
            $"{ConsumerProject.Errors(strongBefore).Count} strong-form errors before.");
        Assert.Equal(before.Count(s => s.Id != "HG1007"), fixedByFormat);
    }

    /// <summary>The flip-readiness warnings of Paging.cs in a build's output, one per site.</summary>
    private static List<(string Id, string Where)> FlipSites(CommandResult build) =>
        ConsumerProject.HandleGenDiagnostics(build)
            .Select(d => Regex.Match(d, @"^(?<where>Paging\.cs\(\d+,\d+\)): warning (?<id>HG100\d)$"))
            .Where(m => m.Success)
            .Select(m => (m.Groups["id"].Value, m.Groups["where"].Value))
            .ToList();
}
