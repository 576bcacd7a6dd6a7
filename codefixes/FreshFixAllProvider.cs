using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HandleGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.CodeFixes;

/// <summary>
/// Fix All for the flip-readiness fixes, in a document, a project or the solution. It does not trust the
/// diagnostics it is handed: <c>dotnet format</c> fixes one ID after another and hands each the diagnostics
/// found before any was fixed, whose places the earlier fixes have moved. So for each document it runs the
/// analyzer again, applies every fix of the requested IDs that does not overlap another, and repeats until
/// nothing is left to fix (a site inside another, as <c>*(p + 1)</c>, is fixed in the next round).
/// </summary>
internal sealed class FreshFixAllProvider : FixAllProvider
{
    private const int MaxRounds = 8;

    public static readonly FreshFixAllProvider Instance = new();

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => [FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution];

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        var documents = fixAllContext.Scope switch
        {
            FixAllScope.Document when fixAllContext.Document is { } document => [document.Id],
            FixAllScope.Project => fixAllContext.Project.DocumentIds.ToList(),
            FixAllScope.Solution => fixAllContext.Solution.Projects.SelectMany(p => p.DocumentIds).ToList(),
            _ => new List<DocumentId>(),
        };
        var ids = fixAllContext.DiagnosticIds.ToImmutableHashSet();
        CodeAction action = CodeAction.Create(
            "Fix all " + string.Join(", ", ids.OrderBy(id => id)),
            cancel => FixDocuments(fixAllContext.Solution, documents, ids, cancel),
            fixAllContext.CodeActionEquivalenceKey);
        return Task.FromResult<CodeAction?>(action);
    }

    private static async Task<Solution> FixDocuments(Solution solution, IReadOnlyList<DocumentId> documents, ImmutableHashSet<string> ids, CancellationToken cancel)
    {
        foreach (var id in documents)
        {
            for (var round = 0; round < MaxRounds; round++)
            {
                var document = solution.GetDocument(id);
                if (document is null || await Changes(document, ids, cancel).ConfigureAwait(false) is not { Count: > 0 } changes)
                    break;
                var text = await document.GetTextAsync(cancel).ConfigureAwait(false);
                solution = solution.WithDocumentText(id, text.WithChanges(changes));
            }
        }

        return solution;
    }

    /// <summary>The fixes of one round: one per fresh diagnostic that has a fix, none overlapping another.</summary>
    private static async Task<List<TextChange>> Changes(Document document, ImmutableHashSet<string> ids, CancellationToken cancel)
    {
        var changes = new List<TextChange>();
        var model = await document.GetSemanticModelAsync(cancel).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancel).ConfigureAwait(false);
        if (model is null || root is null)
            return changes;
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new FlipReadinessAnalyzer());
        var diagnostics = await model.Compilation.WithAnalyzers(analyzers, document.Project.AnalyzerOptions)
            .GetAnalyzerSemanticDiagnosticsAsync(model, null, cancel).ConfigureAwait(false);
        foreach (var diagnostic in diagnostics.Where(d => ids.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start))
        {
            var change = FlipFixProvider.ChangeFor(diagnostic, root, model);
            if (change is null || changes.Any(c => c.Span.IntersectsWith(change.Old.Span) || change.Old.Span.Contains(c.Span)))
                continue;
            changes.Add(new TextChange(change.Old.Span, change.New));
        }

        return changes;
    }
}
