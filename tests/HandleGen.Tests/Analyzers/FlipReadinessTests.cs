using System.Linq;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Analyzers;

/// <summary>
/// Flip readiness: in the alias form, a warning at exactly the sites the strong form rejects. The sites are
/// marked in AnalyzerSources/Unconverted.cs, and the compiler itself confirms the marks: the strong-form build
/// of the same file fails on the marked lines and on no other.
/// </summary>
public sealed class FlipReadinessTests
{
    public static TheoryData<string> Levels => new() { "pgd", "p4d", "pud", "pmd", "pte" };

    [Theory]
    [MemberData(nameof(Levels))]
    public void Every_site_the_strong_form_rejects_is_reported_in_the_alias_form(string level)
    {
        var text = Sources.ForLevel("Unconverted.cs", level);

        var found = AnalyzerHarness.Analyze(new Switches("x86_64", "alias"), ("Unconverted.cs", text));

        Assert.Equal(Sources.Expected(text, "Unconverted.cs", "HG10"), Sources.Actual(found, "HG10"));
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void The_marked_lines_are_the_lines_the_strong_form_rejects(string level)
    {
        var text = Sources.ForLevel("Unconverted.cs", level);

        var strong = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64", "strong"), [text]);

        Assert.Equal(Sources.Expected(text, "Unconverted.cs").Select(e => e.Line).Distinct(), UserErrorLines(strong));
    }

    [Theory]
    [ClassData(typeof(Core.ArchAndForm))]
    public void Code_written_with_the_API_has_no_warning(string arch, string form)
    {
        var sources = new System.Collections.Generic.List<(string, string)>
        {
            ("Mm.cs", SpecFacts.Of(arch).InArchNamespace(System.IO.File.ReadAllText(System.IO.Path.Combine(RepoPaths.Root, "samples", "MiniMm", "Mm.cs")))),
        };
        // The benchmark loops are written for the benchmarks' arch, 64-bit entries.
        if (arch == "x86_64")
            sources.Add(("PteLoops.cs", System.IO.File.ReadAllText(System.IO.Path.Combine(RepoPaths.Root, "bench", "Workloads", "PteLoops.cs"))));

        var found = AnalyzerHarness.Analyze(new Switches(arch, form), [.. sources]);

        Assert.Empty(found);
        Assert.Empty(AnalyzerHarness.AnalyzeGeneratedOnly(new Switches(arch, form)));
    }

    [Fact]
    public void The_strong_form_gets_no_flip_readiness_warning()
    {
        var text = Sources.Read("Converted.cs");

        var found = AnalyzerHarness.Analyze(new Switches("x86_64", "strong"), ("Converted.cs", text));

        Assert.DoesNotContain(found, f => f.Id.StartsWith("HG10", System.StringComparison.Ordinal));
    }

    internal static int[] UserErrorLines(GeneratorRun run) =>
        run.CompileDiagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error && !d.Location.SourceTree!.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal))
            .Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1)
            .Distinct()
            .Order()
            .ToArray();
}
