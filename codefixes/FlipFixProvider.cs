using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using HandleGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HandleGen.CodeFixes;

/// <summary>
/// Rewrites each flip-readiness site (HG1001-HG1006) into the API, so the code builds in both forms:
/// <c>*p</c> → <c>ptep_get(p)</c>, <c>p[i] = v</c> → <c>set_pte(hw_pte_add(p, i), v)</c>, <c>p++</c> →
/// <c>p = hw_pte_next(p)</c>, <c>p == null</c> → <c>hw_ptep_is_null(p)</c>, a pointer where a handle goes →
/// <c>__hw_ptep(…)</c>. Fix All works in a document, a project and a solution, so <c>dotnet format</c> can
/// apply every fix at once. A site with no mechanical rewrite (the value of <c>p++</c> used, an entry passed by
/// reference, HG1007) is left alone, and stays reported.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FlipFixProvider)), Shared]
public sealed class FlipFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        Descriptors.Dereference.Id, Descriptors.Arithmetic.Id, Descriptors.Indexing.Id, Descriptors.Conversion.Id,
        Descriptors.RawPointer.Id, Descriptors.NullHandle.Id);

    public override FixAllProvider GetFixAllProvider() => FreshFixAllProvider.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
            return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (ChangeFor(diagnostic, root, model) is not { } change)
                continue;
            context.RegisterCodeFix(
                CodeAction.Create("Use " + change.New, cancel => Apply(context.Document, root, change.Old, change.New, cancel), equivalenceKey: diagnostic.Id),
                diagnostic);
        }
    }

    /// <summary>The rewrite for one diagnostic, or null when its site has no mechanical one.</summary>
    internal static Change? ChangeFor(Diagnostic diagnostic, SyntaxNode root, SemanticModel model)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is not ExpressionSyntax expression || !diagnostic.Properties.TryGetValue(Descriptors.Level, out var level) || level is null)
            return null;
        return new Rewriter(model, expression, level, diagnostic.Properties).Fix(diagnostic.Id);
    }

    private static Task<Document> Apply(Document document, SyntaxNode root, SyntaxNode old, string replacement, CancellationToken cancel)
    {
        var parsed = SyntaxFactory.ParseExpression(replacement).WithTriviaFrom(old);
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(old, parsed)));
    }
}
