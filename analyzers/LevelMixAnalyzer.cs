using System.Collections.Immutable;
using HandleGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HandleGen.Analyzers;

/// <summary>
/// An index helper of one level used to step through a table of another: <c>hw_pmd_add(pmdp, pud_index(addr))</c>,
/// <c>pmdTable[pud_index(addr)]</c>. Both build, in either form, and reach the wrong entry whenever the two
/// levels' indexes differ. Reported in either form.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LevelMixAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WrongLevelIndex);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(Added, SyntaxKind.InvocationExpression);
        context.RegisterSyntaxNodeAction(Indexed, SyntaxKind.ElementAccessExpression);
        context.RegisterSyntaxNodeAction(Offset, SyntaxKind.AddExpression);
    }

    private static void Added(SyntaxNodeAnalysisContext context)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (invocation.ArgumentList.Arguments.Count != 2)
            return;
        var method = context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken).Symbol as IMethodSymbol;
        if (GeneratedApi.ApiLevel(method, GeneratedApiNames.Add) is { } level)
            Check(context, level, invocation.ArgumentList.Arguments[1].Expression);
    }

    private static void Indexed(SyntaxNodeAnalysisContext context)
    {
        var access = (ElementAccessExpressionSyntax)context.Node;
        if (access.ArgumentList.Arguments.Count == 1 && TableLevel(context, access.Expression) is { } level)
            Check(context, level, access.ArgumentList.Arguments[0].Expression);
    }

    private static void Offset(SyntaxNodeAnalysisContext context)
    {
        var binary = (BinaryExpressionSyntax)context.Node;
        if (TableLevel(context, binary.Left) is { } level)
            Check(context, level, binary.Right);
        else if (TableLevel(context, binary.Right) is { } rightLevel)
            Check(context, rightLevel, binary.Left);
    }

    /// <summary>The level of a pointer to entries (a table, or an alias-form handle), or null.</summary>
    private static string? TableLevel(SyntaxNodeAnalysisContext context, ExpressionSyntax expression) =>
        context.SemanticModel.GetTypeInfo(expression, context.CancellationToken).Type is IPointerTypeSymbol pointer
            ? GeneratedApi.EntryLevel(pointer.PointedAtType)
            : null;

    private static void Check(SyntaxNodeAnalysisContext context, string level, ExpressionSyntax index)
    {
        var inner = index;
        while (true)
        {
            switch (inner)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    inner = parenthesized.Expression;
                    continue;
                case CastExpressionSyntax cast:
                    inner = cast.Expression;
                    continue;
                case CheckedExpressionSyntax checkedExpression:
                    inner = checkedExpression.Expression;
                    continue;
            }

            break;
        }

        if (inner is InvocationExpressionSyntax call
            && GeneratedApi.ApiLevel(context.SemanticModel.GetSymbolInfo(call, context.CancellationToken).Symbol as IMethodSymbol, GeneratedApiNames.Index) is { } indexLevel
            && indexLevel != level)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.WrongLevelIndex, index.GetLocation(), index.ToString(), level, indexLevel));
        }
    }
}
