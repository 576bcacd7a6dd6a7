using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HandleGen.Analyzers;

/// <summary>
/// Flip readiness: in the alias form, a warning at every site that would not build in the strong form, so a
/// project can be converted before the switch is thrown. Each site is judged the way the strong form would
/// judge it (<see cref="StrongView"/>): a value declared <c>hw_ptep</c> or returned by the API is a handle,
/// one declared <c>pte_t*</c> is a pointer, and only handles used as pointers, or pointers used as handles,
/// are reported. Generated code is not analysed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FlipReadinessAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.Dereference, Descriptors.Arithmetic, Descriptors.Indexing, Descriptors.Conversion,
        Descriptors.RawPointer, Descriptors.NullHandle, Descriptors.Ordering);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(Dereference, SyntaxKind.PointerIndirectionExpression, SyntaxKind.PointerMemberAccessExpression);
        context.RegisterSyntaxNodeAction(Indexing, SyntaxKind.ElementAccessExpression);
        context.RegisterSyntaxNodeAction(Step,
            SyntaxKind.PreIncrementExpression, SyntaxKind.PreDecrementExpression, SyntaxKind.PostIncrementExpression, SyntaxKind.PostDecrementExpression,
            SyntaxKind.AddAssignmentExpression, SyntaxKind.SubtractAssignmentExpression, SyntaxKind.AddExpression, SyntaxKind.SubtractExpression);
        context.RegisterSyntaxNodeAction(Compare,
            SyntaxKind.EqualsExpression, SyntaxKind.NotEqualsExpression, SyntaxKind.LessThanExpression, SyntaxKind.LessThanOrEqualExpression,
            SyntaxKind.GreaterThanExpression, SyntaxKind.GreaterThanOrEqualExpression);
        context.RegisterSyntaxNodeAction(Cast, SyntaxKind.CastExpression);
        context.RegisterSyntaxNodeAction(Stored, SyntaxKind.Argument, SyntaxKind.EqualsValueClause, SyntaxKind.SimpleAssignmentExpression,
            SyntaxKind.ReturnStatement, SyntaxKind.ArrowExpressionClause);
    }

    private static void Dereference(SyntaxNodeAnalysisContext context)
    {
        var operand = context.Node switch
        {
            PrefixUnaryExpressionSyntax prefix => prefix.Operand,
            MemberAccessExpressionSyntax access => access.Expression,
            _ => null,
        };
        if (operand is not null && Handle(context, operand) is { } level)
            Report(context, Descriptors.Dereference, context.Node, level, operand);
    }

    private static void Indexing(SyntaxNodeAnalysisContext context)
    {
        var access = (ElementAccessExpressionSyntax)context.Node;
        if (Handle(context, access.Expression) is { } level && access.ArgumentList.Arguments.Count == 1)
            Report(context, Descriptors.Indexing, access, level, access.ArgumentList.Arguments[0].Expression);
    }

    private static void Step(SyntaxNodeAnalysisContext context)
    {
        switch (context.Node)
        {
            case PrefixUnaryExpressionSyntax prefix when Handle(context, prefix.Operand) is { } level:
                Report(context, Descriptors.Arithmetic, prefix, level, null);
                break;
            case PostfixUnaryExpressionSyntax postfix when Handle(context, postfix.Operand) is { } level:
                Report(context, Descriptors.Arithmetic, postfix, level, null);
                break;
            case AssignmentExpressionSyntax assignment when Handle(context, assignment.Left) is { } level:
                Report(context, Descriptors.Arithmetic, assignment, level, assignment.Right);
                break;
            case BinaryExpressionSyntax binary:
                var left = Handle(context, binary.Left);
                var right = Handle(context, binary.Right);
                if (left is not null && right is not null)
                    Report(context, Descriptors.Ordering, binary, left, null);
                else if (left is not null)
                    Report(context, Descriptors.Arithmetic, binary, left, binary.Right);
                else if (right is not null && binary.IsKind(SyntaxKind.AddExpression))
                    Report(context, Descriptors.Arithmetic, binary, right, binary.Left);
                break;
        }
    }

    private static void Compare(SyntaxNodeAnalysisContext context)
    {
        var binary = (BinaryExpressionSyntax)context.Node;
        var isEquality = binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression);
        if (isEquality && (IsNull(binary.Right) ? binary.Left : IsNull(binary.Left) ? binary.Right : null) is { } compared)
        {
            if (Handle(context, compared) is { } level)
                Report(context, Descriptors.NullHandle, binary, level, null);
        }
        else if (!isEquality && Handle(context, binary.Left) is { } level && Handle(context, binary.Right) is not null)
        {
            Report(context, Descriptors.Ordering, binary, level, null);
        }
    }

    private static void Cast(SyntaxNodeAnalysisContext context)
    {
        var cast = (CastExpressionSyntax)context.Node;
        var into = StrongView.OfTypeSyntax(cast.Type) == StrongKind.Handle;
        var operand = StrongView.Of(cast.Expression, context.SemanticModel, context.CancellationToken);
        if (into && GeneratedApi.AliasHandleLevel(context.SemanticModel.GetTypeInfo(cast, context.CancellationToken).Type) is { } level)
        {
            // (hw_ptep)x: into the typed world without __hw_ptep (a handle of the same level needs no cast).
            if (!(operand.Kind == StrongKind.Handle && operand.Level == level))
                Report(context, Descriptors.Conversion, cast, level, null, direction: "In");
        }
        else if (operand.Kind == StrongKind.Handle)
        {
            // (void*)ptep, (ulong)ptep, (pte_t*)ptep: out of the typed world without __hw_ptep_ptr.
            Report(context, Descriptors.Conversion, cast, operand.Level, null, direction: "Out");
        }
    }

    /// <summary>A value passed, stored or returned: a pointer where a handle goes, or a handle where a pointer or null goes.</summary>
    private static void Stored(SyntaxNodeAnalysisContext context)
    {
        var value = context.Node switch
        {
            ArgumentSyntax argument => argument.Expression,
            EqualsValueClauseSyntax clause => clause.Value,
            AssignmentExpressionSyntax assignment => assignment.Right,
            ReturnStatementSyntax statement => statement.Expression,
            ArrowExpressionClauseSyntax arrow => arrow.Expression,
            _ => null,
        };
        if (value is null)
            return;
        var model = context.SemanticModel;
        var cancel = context.CancellationToken;
        var type = model.GetTypeInfo(value, cancel);
        if (IsNull(value))
        {
            if (GeneratedApi.AliasHandleLevel(type.ConvertedType) is { } target && StrongView.TargetOf(value, model, cancel) == StrongKind.Handle)
                Report(context, Descriptors.NullHandle, value, target, null);
            return;
        }

        var (kind, level) = StrongView.Of(value, model, cancel);
        if (kind == StrongKind.Unknown)
            return;
        if (!SymbolEqualityComparer.Default.Equals(type.Type, type.ConvertedType))
        {
            // A handle handed on as void* or another pointer: the strong form has no such conversion.
            if (kind == StrongKind.Handle && type.ConvertedType is IPointerTypeSymbol)
                Report(context, Descriptors.Conversion, value, level, null, direction: "Out");
            return;
        }

        var expected = StrongView.TargetOf(value, model, cancel);
        if (kind == StrongKind.Pointer && expected == StrongKind.Handle && !IsAddressOfHandleElement(value, model, cancel))
            Report(context, Descriptors.RawPointer, value, level, null);
        else if (kind == StrongKind.Handle && expected == StrongKind.Pointer)
            Report(context, Descriptors.Conversion, value, level, null, direction: "Out");
    }

    /// <summary>&amp;p[i] of a handle p: reported (and fixed) as the indexing it is, HG1003.</summary>
    private static bool IsAddressOfHandleElement(ExpressionSyntax value, SemanticModel model, System.Threading.CancellationToken cancel) =>
        StripParentheses(value) is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.AddressOfExpression, Operand: ElementAccessExpressionSyntax element }
        && StrongView.Of(element.Expression, model, cancel).Kind == StrongKind.Handle;

    /// <summary>The level of an expression that would be a handle in the strong form, or null.</summary>
    private static string? Handle(SyntaxNodeAnalysisContext context, ExpressionSyntax expression)
    {
        var (kind, level) = StrongView.Of(expression, context.SemanticModel, context.CancellationToken);
        return kind == StrongKind.Handle ? level : null;
    }

    private static bool IsNull(ExpressionSyntax expression) =>
        StripParentheses(expression).IsKind(SyntaxKind.NullLiteralExpression);

    private static ExpressionSyntax StripParentheses(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
            expression = parenthesized.Expression;
        return expression;
    }

    private static void Report(SyntaxNodeAnalysisContext context, DiagnosticDescriptor descriptor, SyntaxNode node, string level,
        ExpressionSyntax? offset, string? direction = null)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[Descriptors.Level] = level;
        if (direction is not null)
            properties[Descriptors.Direction] = direction;
        if (offset is not null)
        {
            var type = context.SemanticModel.GetTypeInfo(offset, context.CancellationToken).Type;
            properties[Descriptors.NeedsIntCast] = type?.SpecialType == SpecialType.System_Int32 ? "false" : "true";
        }

        context.ReportDiagnostic(Diagnostic.Create(descriptor, node.GetLocation(), properties.ToImmutable(), node.ToString(), level));
    }
}
