using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.EndToEnd;

/// <summary>
/// The package as a user meets it: packed once, restored from a local feed into plain console
/// projects, built with dotnet build and run on real memory.
/// </summary>
public sealed class PackageEndToEndTests
{
    // An arch the repository does not ship: arm64 with 16K pages and 48-bit VA (a 2-entry pgd).
    internal const string CustomSpec = """
        {
          "defaultArch": "arm64_16k_48",
          "arches": {
            "arm64_16k_48": { "pageShift": 14, "entryBits": 64,
                              "levels": { "pgd": 1, "p4d": 0, "pud": 11, "pmd": 11, "pte": 11 } },
            "tiny32": { "pageShift": 10, "entryBits": 32, "form": "strong",
                        "levels": { "pgd": 4, "p4d": 0, "pud": 0, "pmd": 8, "pte": 8 } }
          }
        }
        """;

    public static TheoryData<string, string, string> Builds => new()
    {
        { "shipped", "x86_64", "alias" },
        { "shipped", "x86_64", "strong" },
        { "shipped", "i386", "strong" },
        { "custom", "arm64_16k_48", "alias" },
        { "custom", "tiny32", "strong" },
    };

    [Theory]
    [MemberData(nameof(Builds))]
    public async Task A_console_project_builds_and_runs_with_the_package(string spec, string arch, string form)
    {
        var feed = await PackedPackage.Get();
        var specText = spec == "custom" ? CustomSpec : GeneratorHarness.ShippedSpec;
        var project = ConsumerProject.Create(feed, $"Use_{arch}_{form}", specText, new Dictionary<string, string> { ["Program.cs"] = Consumer("Program.cs") });

        var build = await project.Build("HandleGenArch=" + arch, "HandleGenForm=" + form);
        Assert.True(build.ExitCode == 0, build.ToString());
        var run = await project.RunBuilt();
        Assert.True(run.ExitCode == 0, run.ToString());

        Assert.Equal(ProgramOutput(arch, specText), Lines(run.Output));
    }

    /// <summary>What Consumers/Program.cs prints, from the spec's inputs and the kernel's definitions.</summary>
    internal static string[] ProgramOutput(string arch, string specText)
    {
        var facts = SpecFacts.Of(arch, specText);
        int[] shifts = [facts.Shift(0), facts.Shift(1), facts.Shift(2), facts.Shift(3), facts.PageShift];
        var ptrs = Enumerable.Range(0, 5).Select(facts.PtrsPer);
        var sum = (2UL + 3 + 4) << facts.PfnShift;
        return [$"shifts {string.Join(' ', shifts)}", $"ptrs {string.Join(' ', ptrs)}", $"entries 5 sum 0x{sum:x} last 0x{4UL << facts.PfnShift:x}"];
    }

    internal static string[] Lines(string output) =>
        output.Split('\n', System.StringSplitOptions.RemoveEmptyEntries | System.StringSplitOptions.TrimEntries);

    internal static string Consumer(string file) =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "HandleGen.Tests", "EndToEnd", "Consumers", file));

    [Fact]
    public async Task Misuse_fails_to_build_in_the_strong_form_with_the_expected_errors_and_builds_in_the_alias_form()
    {
        var feed = await PackedPackage.Get();
        var misuse = Consumer("Misuse.cs");
        var sources = new Dictionary<string, string> { ["Program.cs"] = Consumer("Program.cs"), ["Misuse.cs"] = misuse };
        var strong = ConsumerProject.Create(feed, "Misuse_strong", GeneratorHarness.ShippedSpec, sources);
        var alias = ConsumerProject.Create(feed, "Misuse_alias", GeneratorHarness.ShippedSpec, sources);

        var strongBuild = await strong.Build("HandleGenForm=strong");
        // The alias form builds, with a flip-readiness warning on each of those lines (kept warnings here).
        var aliasBuild = await alias.Build("HandleGenForm=alias", "TreatWarningsAsErrors=false");

        // The expectations are written beside each line of Misuse.cs as "// expect CSnnnn".
        var expected = misuse.Split('\n')
            .Select((line, i) => (Match: Regex.Match(line, @"// expect (CS\d+)"), Line: i + 1))
            .Where(x => x.Match.Success)
            .Select(x => new BuildError("Misuse.cs", x.Line, x.Match.Groups[1].Value))
            .ToList();
        Assert.Equal(9, expected.Count);
        Assert.NotEqual(0, strongBuild.ExitCode);
        Assert.Equal(expected.OrderBy(e => e.Line), ConsumerProject.Errors(strongBuild).OrderBy(e => e.Line));
        Assert.True(aliasBuild.ExitCode == 0, aliasBuild.ToString());
        Assert.Equal(expected.Select(e => e.Line).Order(), WarningLines(aliasBuild, "Misuse.cs"));
    }

    /// <summary>The lines of a file that have a HandleGen analyzer warning (HG1nnn) in a build's output.</summary>
    private static IEnumerable<int> WarningLines(CommandResult build, string file) =>
        ConsumerProject.HandleGenDiagnostics(build)
            .Select(d => Regex.Match(d, $@"^{Regex.Escape(file)}\((\d+),\d+\): warning HG1\d{{3}}$"))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value))
            .Distinct()
            .Order();

    [Fact]
    public async Task A_staged_conversion_makes_only_the_named_levels_strong()
    {
        var feed = await PackedPackage.Get();
        var misuse = Consumer("Misuse.cs");
        var staged = ConsumerProject.Create(feed, "Staged_pte_pmd", GeneratorHarness.ShippedSpec, new Dictionary<string, string>
        {
            ["Program.cs"] = Consumer("Program.cs"),
            ["Misuse.cs"] = misuse,
            ["Staged.cs"] = Consumer("Staged.cs"),
        });

        // "pte;pmd" as a project file would have it (%3B is MSBuild's escape for ';' on the command line).
        var build = await staged.Build("HandleGenForm=strong", "HandleGenStrongLevels=pte%3Bpmd", "TreatWarningsAsErrors=false");

        // Every misuse of hw_ptep and hw_pmdp fails as in the full strong form; Staged.cs (pgd, pud) builds,
        // with a flip-readiness warning on each pointer spelling of the levels still to convert.
        Assert.NotEqual(0, build.ExitCode);
        var errors = ConsumerProject.Errors(build);
        Assert.Equal(9, errors.Count);
        Assert.All(errors, e => Assert.Equal("Misuse.cs", e.File));
        Assert.Equal([9, 12], WarningLines(build, "Staged.cs"));
    }

    [Fact]
    public async Task The_package_holds_the_generator_the_analyzers_its_switches_for_direct_consumers_the_runtime_the_schema_and_the_docs_and_depends_on_nothing()
    {
        var feed = await PackedPackage.Get();

        using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed.Folder, $"HandleGen.{feed.Version}.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Subset(entries, new[]
        {
            "analyzers/dotnet/cs/HandleGen.Generator.dll",
            "analyzers/dotnet/cs/Scriban.Signed.dll",
            "analyzers/dotnet/cs/HandleGen.Analyzers.dll",
            "analyzers/dotnet/cs/HandleGen.CodeFixes.dll",
            "build/HandleGen.props",
            "build/HandleGen.targets",
            "support/net8.0/HandleGen.Runtime.dll",
            "support/net8.0/HandleGen.Runtime.xml",
            "levels.schema.json",
            "docs/diagnostics.md",
            "README.md",
        }.ToHashSet());
        // build/ reaches only projects that reference HandleGen; buildTransitive/ would reach every project above them.
        Assert.DoesNotContain(entries, e => e.StartsWith("buildTransitive/", System.StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", System.StringComparison.Ordinal) && e.EndsWith(".dll", System.StringComparison.Ordinal));

        using var nuspec = new StreamReader(package.GetEntry("HandleGen.nuspec")!.Open());
        Assert.DoesNotContain("<dependency ", await nuspec.ReadToEndAsync(TestContext.Current.CancellationToken));
        Assert.False(File.Exists(Path.Combine(feed.Folder, $"HandleGen.Runtime.{feed.Version}.nupkg")));
    }

    [Fact]
    public async Task HandleGenSpec_points_at_a_spec_elsewhere_and_without_one_the_build_says_where_it_looked()
    {
        var feed = await PackedPackage.Get();
        var project = ConsumerProject.Create(feed, "Spec_elsewhere", CustomSpec, new Dictionary<string, string>
        {
            ["Program.cs"] = Consumer("Program.cs"),
            ["arches.json"] = CustomSpec,
        });
        File.Delete(Path.Combine(project.Directory, "levels.json"));

        var pointed = await project.Build("HandleGenSpec=arches.json");
        Assert.True(pointed.ExitCode == 0, pointed.ToString());
        var run = await project.RunBuilt();
        Assert.Contains($"shifts {string.Join(' ', new[] { 0, 1, 2, 3 }.Select(SpecFacts.Of("arm64_16k_48", CustomSpec).Shift))} 14", run.Output);

        var missing = await project.Build();
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Equal(["CSC: error HG0020"], ConsumerProject.HandleGenDiagnostics(missing));
        Assert.Contains(Path.Combine(project.Directory, "levels.json"), missing.Output);
    }
}
