using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HandleGen.Analyzers;
using HandleGen.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.Tests.Infrastructure;

/// <summary>A HandleGen analyzer diagnostic, as the tests compare them: ID, file, line and the text it is reported on.</summary>
internal sealed record Found(string Id, string File, int Line, string Text)
{
    public override string ToString() => $"{Id} {File}:{Line} {Text}";
}

/// <summary>
/// Runs the HandleGen analyzers the way a build does (the generator first, then every analyzer over the whole
/// compilation), and applies the code fixes the way an IDE or dotnet format does (in a workspace, one fix or
/// Fix All in a document, project or solution).
/// </summary>
internal static class AnalyzerHarness
{
    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
        [new FlipReadinessAnalyzer(), new FormPortabilityAnalyzer(), new EntryRaceAnalyzer(), new LevelMixAnalyzer()];

    /// <summary>The HandleGen analyzer diagnostics of user sources compiled with the generated API of one arch and form.</summary>
    public static IReadOnlyList<Found> Analyze(Switches switches, params (string File, string Text)[] sources) =>
        Run(switches, sources).Select(ToFound).OrderBy(f => f.File).ThenBy(f => f.Line).ThenBy(f => f.Id).ToList();

    /// <summary>The messages of the HandleGen analyzer diagnostics, as "HGnnnn: message".</summary>
    public static IReadOnlyList<string> Messages(Switches switches, params (string File, string Text)[] sources) =>
        Run(switches, sources).Select(d => d.Id + ": " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>The messages of the HandleGen analyzer diagnostics in a build against other framework references (a kernel's corlib).</summary>
    public static IReadOnlyList<string> MessagesOn(IEnumerable<MetadataReference> framework, Switches switches, params (string File, string Text)[] sources) =>
        Run(switches, sources, GeneratorHarness.RunOn(framework, GeneratorHarness.ShippedSpec, switches))
            .Select(d => d.Id + ": " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static ImmutableArray<Diagnostic> Run(Switches switches, (string File, string Text)[] sources, GeneratorRun? generated = null)
    {
        var run = generated ?? GeneratorHarness.Run(GeneratorHarness.ShippedSpec, switches, []);
        var compilation = run.Output.AddSyntaxTrees(sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, GeneratorHarness.ParseOptions, s.File)));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The test source does not compile:\n" + string.Join("\n", errors));
        return compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>The HandleGen diagnostics of the generated code alone (it carries the auto-generated marker, so none is expected).</summary>
    public static IReadOnlyList<Found> AnalyzeGeneratedOnly(Switches switches)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, switches, []);
        var options = new AnalyzerOptions([]);
        var diagnostics = run.Output.WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(options, null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false))
            .GetAnalyzerDiagnosticsAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        return diagnostics.Select(ToFound).ToList();
    }

    private static Found ToFound(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return new Found(d.Id, System.IO.Path.GetFileName(span.Path), span.StartLinePosition.Line + 1, d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
    }

    /// <summary>
    /// A solution of projects, each holding its user sources plus the generated API of one arch and form as
    /// plain documents (the workspace runs no generator; the generated files keep their auto-generated marker).
    /// </summary>
    public static Solution NewSolution(Switches switches, params (string Project, string File, string Text)[] sources)
    {
        var generated = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, switches, []).Sources;
        var solution = new AdhocWorkspace().CurrentSolution;
        foreach (var project in sources.GroupBy(s => s.Project))
        {
            var id = ProjectId.CreateNewId(project.Key);
            solution = solution.AddProject(ProjectInfo.Create(id, VersionStamp.Default, project.Key, project.Key, LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: GeneratorHarness.ParseOptions,
                metadataReferences: GeneratorHarness.References()));
            foreach (var (hint, text) in generated)
                solution = solution.AddDocument(DocumentId.CreateNewId(id), hint, SourceText.From(text), filePath: "/" + project.Key + "/" + hint);
            foreach (var source in project)
                solution = solution.AddDocument(DocumentId.CreateNewId(id), source.File, SourceText.From(source.Text), filePath: "/" + project.Key + "/" + source.File);
        }

        return solution;
    }

    /// <summary>The analyzer diagnostics of one project of a workspace solution.</summary>
    public static async Task<ImmutableArray<Diagnostic>> DiagnosticsOf(Project project, CancellationToken cancel)
    {
        var compilation = (await project.GetCompilationAsync(cancel))!;
        var errors = compilation.GetDiagnostics(cancel).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The project does not compile:\n" + string.Join("\n", errors));
        return await compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync(cancel);
    }

    /// <summary>Applies the fix for one diagnostic with Fix All in the given scope, started from the first diagnostic in the named document.</summary>
    public static async Task<Solution> FixAll(Solution solution, string id, FixAllScope scope, string startDocument, CancellationToken cancel)
    {
        var provider = new FlipFixProvider();
        var document = solution.Projects.SelectMany(p => p.Documents).First(d => d.Name == startDocument);
        var diagnostics = await DiagnosticsOf(document.Project, cancel);
        var first = diagnostics.Where(d => d.Id == id && d.Location.SourceTree!.FilePath == document.FilePath).OrderBy(d => d.Location.SourceSpan.Start).First();
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, first, (action, _) => actions.Add(action), cancel));
        Assert.NotEmpty(actions);
        var context = new FixAllContext(document, provider, scope, actions[0].EquivalenceKey, [id], new Provider(), cancel);
        var fix = await provider.GetFixAllProvider()!.GetFixAsync(context);
        Assert.NotNull(fix);
        return await Applied(fix, cancel);
    }

    /// <summary>The code fixes offered for every diagnostic with the given ID in a document: the text each would produce.</summary>
    public static async Task<IReadOnlyList<string?>> FixEach(Solution solution, string id, string documentName, CancellationToken cancel)
    {
        var provider = new FlipFixProvider();
        var document = solution.Projects.SelectMany(p => p.Documents).First(d => d.Name == documentName);
        var diagnostics = (await DiagnosticsOf(document.Project, cancel))
            .Where(d => d.Id == id && d.Location.SourceTree!.FilePath == document.FilePath).OrderBy(d => d.Location.SourceSpan.Start);
        var results = new List<string?>();
        foreach (var diagnostic in diagnostics)
        {
            var actions = new List<CodeAction>();
            await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancel));
            results.Add(actions.Count == 0 ? null : actions[0].Title);
        }

        return results;
    }

    private static async Task<Solution> Applied(CodeAction action, CancellationToken cancel)
    {
        var operations = await action.GetOperationsAsync(cancel);
        return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
    }

    /// <summary>Hands Fix All the analyzer diagnostics of a document or project, as the IDE's diagnostic service does.</summary>
    private sealed class Provider : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await DiagnosticsOf(project, cancellationToken);

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return (await DiagnosticsOf(document.Project, cancellationToken)).Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
