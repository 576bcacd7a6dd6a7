using System.Linq;
using System.Threading.Tasks;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace HandleGen.Tests.Analyzers;

/// <summary>
/// The code fixes rewrite every fixable flip-readiness site into the API. The expected text is
/// AnalyzerSources/UnconvertedFixed.cs, written by hand; the compiler confirms that it builds in the strong
/// form but for the sites with no mechanical fix.
/// </summary>
public sealed class CodeFixTests
{
    private static readonly string[] Fixable = ["HG1001", "HG1002", "HG1003", "HG1004", "HG1005", "HG1006"];

    [Theory]
    [MemberData(nameof(FlipReadinessTests.Levels), MemberType = typeof(FlipReadinessTests))]
    public async Task Fix_all_of_every_id_turns_the_pointer_spellings_into_the_api(string level)
    {
        var cancel = TestContext.Current.CancellationToken;
        var solution = AnalyzerHarness.NewSolution(new Switches("x86_64", "alias"), ("App", "Unconverted.cs", Sources.ForLevel("Unconverted.cs", level)));

        foreach (var id in Fixable)
            solution = await AnalyzerHarness.FixAll(solution, id, FixAllScope.Solution, "Unconverted.cs", cancel);

        var fixedText = (await Document(solution, "Unconverted.cs").GetTextAsync(cancel)).ToString();
        Assert.Equal(Sources.ForLevel("UnconvertedFixed.cs", level).Split('\n').Skip(2), fixedText.Split('\n').Skip(2));
    }

    [Theory]
    [MemberData(nameof(FlipReadinessTests.Levels), MemberType = typeof(FlipReadinessTests))]
    public void The_fixed_code_builds_in_the_strong_form_but_for_the_sites_with_no_fix(string level)
    {
        var text = Sources.ForLevel("UnconvertedFixed.cs", level);

        var strong = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64", "strong"), [text]);
        var alias = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64", "alias"), [text]);

        Assert.Equal(Sources.Expected(text, "UnconvertedFixed.cs", "HG1007").Select(e => e.Line), FlipReadinessTests.UserErrorLines(strong));
        Assert.Empty(FlipReadinessTests.UserErrorLines(alias));
    }

    [Fact]
    public async Task Fix_all_reaches_a_document_a_project_or_the_solution()
    {
        var cancel = TestContext.Current.CancellationToken;
        const string Code = """
            using PageTables;
            using static PageTables.Pgtable;
            public static unsafe class C_NAME
            {
                public static pte_t Pte(hw_ptep p) => *p;
                public static pmd_t Pmd(hw_pmdp p) => *p;
            }
            """;
        var solution = AnalyzerHarness.NewSolution(new Switches("x86_64", "alias"),
            ("One", "a.cs", Code.Replace("C_NAME", "A")), ("One", "b.cs", Code.Replace("C_NAME", "B")), ("Two", "c.cs", Code.Replace("C_NAME", "C")));

        var document = await Remaining(await AnalyzerHarness.FixAll(solution, "HG1001", FixAllScope.Document, "a.cs", cancel));
        var project = await Remaining(await AnalyzerHarness.FixAll(solution, "HG1001", FixAllScope.Project, "a.cs", cancel));
        var whole = await Remaining(await AnalyzerHarness.FixAll(solution, "HG1001", FixAllScope.Solution, "a.cs", cancel));

        Assert.Equal([0, 2, 2], document);
        Assert.Equal([0, 0, 2], project);
        Assert.Equal([0, 0, 0], whole);

        async Task<int[]> Remaining(Solution fixedSolution)
        {
            var counts = new System.Collections.Generic.List<int>();
            foreach (var name in new[] { "a.cs", "b.cs", "c.cs" })
            {
                var document = Document(fixedSolution, name);
                var diagnostics = await AnalyzerHarness.DiagnosticsOf(document.Project, cancel);
                counts.Add(diagnostics.Count(d => d.Id == "HG1001" && d.Location.SourceTree!.FilePath == document.FilePath));
            }

            return counts.ToArray();
        }
    }

    [Fact]
    public async Task A_site_with_no_mechanical_rewrite_is_offered_no_fix()
    {
        var cancel = TestContext.Current.CancellationToken;
        const string Code = """
            using PageTables;
            using static PageTables.Pgtable;
            public static unsafe class Unfixable
            {
                public static pte_t ValueOfStep(hw_ptep p) => *p++;
                public static void FromDeref(hw_ptep p, pte_t* copy) => *copy = *p;
            }
            """;
        var solution = AnalyzerHarness.NewSolution(new Switches("x86_64", "alias"), ("App", "u.cs", Code));

        // p++ whose old value is used has no one-expression form; the dereference around it has one.
        Assert.Equal([null], await AnalyzerHarness.FixEach(solution, "HG1002", "u.cs", cancel));
        Assert.Equal(["Use ptep_get(p++)", "Use ptep_get(p)"], await AnalyzerHarness.FixEach(solution, "HG1001", "u.cs", cancel));
    }

    [Fact]
    public async Task Without_using_static_the_fix_names_the_class()
    {
        var cancel = TestContext.Current.CancellationToken;
        const string Code = """
            public static unsafe class Qualified
            {
                public static PageTables.pte_t Get(hw_ptep p) => *p;
            }
            """;
        var solution = AnalyzerHarness.NewSolution(new Switches("x86_64", "alias"), ("App", "q.cs", Code));

        Assert.Equal(["Use global::PageTables.Pgtable.ptep_get(p)"], await AnalyzerHarness.FixEach(solution, "HG1001", "q.cs", cancel));
    }

    private static Document Document(Solution solution, string name) => solution.Projects.SelectMany(p => p.Documents).Single(d => d.Name == name);
}
