using System.Linq;
using HandleGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HandleGen.Analyzers;

/// <summary>What an alias-form pointer expression of type <c>L_t*</c> would be in the strong form.</summary>
internal enum StrongKind
{
    /// <summary>Not an entry pointer, or nothing can be said (a value from a compiled library, a lambda).</summary>
    Unknown,

    /// <summary>A handle <c>hw_Lp</c>: declared with the handle's name, or returned by the generated API.</summary>
    Handle,

    /// <summary>A plain <c>L_t*</c>: declared as a pointer, an address, a cast to the pointer type.</summary>
    Pointer,
}

/// <summary>
/// In the alias form <c>hw_ptep</c> and <c>pte_t*</c> are one type, so the compiler cannot tell a handle from a
/// pointer; the strong form can. This reads the source the way the strong form would: by the type name an
/// expression was declared with (<c>hw_ptep</c> or <c>pte_t*</c>) and by what the generated API returns.
/// </summary>
internal static class StrongView
{
    /// <summary>The level and strong kind of an expression whose alias-form type is a handle alias.</summary>
    public static (StrongKind Kind, string Level) Of(ExpressionSyntax expression, SemanticModel model, System.Threading.CancellationToken cancel)
    {
        var level = GeneratedApi.AliasHandleLevel(model.GetTypeInfo(expression, cancel).Type);
        return level is null ? (StrongKind.Unknown, "") : (KindOf(expression, model, cancel, 0), level);
    }

    /// <summary>The strong kind of the slot an expression is stored into, passed to or returned as.</summary>
    public static StrongKind TargetOf(ExpressionSyntax expression, SemanticModel model, System.Threading.CancellationToken cancel)
    {
        var node = Unparenthesize(expression);
        switch (node.Parent)
        {
            case ArgumentSyntax argument when model.GetOperation(argument, cancel) is Microsoft.CodeAnalysis.Operations.IArgumentOperation { Parameter: { } parameter }:
                return OfParameter(parameter, cancel);
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } }:
                return declaration.Type.IsVar ? StrongKind.Unknown : OfTypeSyntax(declaration.Type);
            case AssignmentExpressionSyntax assignment when assignment.Right == node && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression):
                return OfSymbol(model.GetSymbolInfo(assignment.Left, cancel).Symbol, model, cancel, 0);
            case ReturnStatementSyntax or ArrowExpressionClauseSyntax:
                return OfReturn(node, cancel);
            default:
                return StrongKind.Unknown;
        }
    }

    /// <summary>The expression without the parentheses around it.</summary>
    public static ExpressionSyntax Unparenthesize(ExpressionSyntax expression)
    {
        while (expression.Parent is ParenthesizedExpressionSyntax parent)
            expression = parent;
        return expression;
    }

    private static StrongKind KindOf(ExpressionSyntax expression, SemanticModel model, System.Threading.CancellationToken cancel, int depth)
    {
        if (depth > 8)
            return StrongKind.Unknown;
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return KindOf(parenthesized.Expression, model, cancel, depth + 1);
            case CastExpressionSyntax cast:
                return OfTypeSyntax(cast.Type);
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.AddressOfExpression }:
            case StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax:
                return StrongKind.Pointer;
            case PrefixUnaryExpressionSyntax prefix:
                return KindOf(prefix.Operand, model, cancel, depth + 1);
            case PostfixUnaryExpressionSyntax postfix:
                return KindOf(postfix.Operand, model, cancel, depth + 1);
            case BinaryExpressionSyntax binary:
                // p + n, n + p, p - n: what the pointer operand is (the arithmetic itself is reported).
                var left = KindOf(binary.Left, model, cancel, depth + 1);
                return left != StrongKind.Unknown ? left : KindOf(binary.Right, model, cancel, depth + 1);
            case AssignmentExpressionSyntax assignment:
                return KindOf(assignment.Left, model, cancel, depth + 1);
            case ConditionalExpressionSyntax conditional:
                var whenTrue = KindOf(conditional.WhenTrue, model, cancel, depth + 1);
                return whenTrue != StrongKind.Unknown ? whenTrue : KindOf(conditional.WhenFalse, model, cancel, depth + 1);
            case InvocationExpressionSyntax invocation:
                return OfInvocation(model.GetSymbolInfo(invocation, cancel).Symbol as IMethodSymbol, cancel);
            case IdentifierNameSyntax or MemberAccessExpressionSyntax or ElementAccessExpressionSyntax:
                return OfSymbol(model.GetSymbolInfo(expression, cancel).Symbol, model, cancel, depth + 1, expression as ElementAccessExpressionSyntax);
            default:
                return StrongKind.Unknown;
        }
    }

    private static StrongKind OfInvocation(IMethodSymbol? method, System.Threading.CancellationToken cancel)
    {
        if (method is null)
            return StrongKind.Unknown;
        if (GeneratedApi.IsApi(method))
            return GeneratedApi.ApiLevel(method, GeneratedApiNames.ToPointer) is null ? StrongKind.Handle : StrongKind.Pointer;
        return method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancel) switch
        {
            MethodDeclarationSyntax declaration => OfTypeSyntax(declaration.ReturnType),
            LocalFunctionStatementSyntax local => OfTypeSyntax(local.ReturnType),
            _ => StrongKind.Unknown,
        };
    }

    private static StrongKind OfParameter(IParameterSymbol parameter, System.Threading.CancellationToken cancel)
    {
        if (parameter.ContainingSymbol is IMethodSymbol method && GeneratedApi.IsApi(method))
            return GeneratedApi.ApiLevel(method, GeneratedApiNames.FromPointer) is null ? StrongKind.Handle : StrongKind.Pointer;
        return parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancel) is ParameterSyntax { Type: { } type }
            ? OfTypeSyntax(type)
            : StrongKind.Unknown;
    }

    private static StrongKind OfReturn(SyntaxNode node, System.Threading.CancellationToken cancel)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case MethodDeclarationSyntax method:
                    return OfTypeSyntax(method.ReturnType);
                case LocalFunctionStatementSyntax local:
                    return OfTypeSyntax(local.ReturnType);
                case PropertyDeclarationSyntax property:
                    return OfTypeSyntax(property.Type);
                case AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax or BaseTypeDeclarationSyntax:
                    return StrongKind.Unknown;
            }
        }

        return StrongKind.Unknown;
    }

    private static StrongKind OfSymbol(ISymbol? symbol, SemanticModel model, System.Threading.CancellationToken cancel, int depth, ElementAccessExpressionSyntax? element = null)
    {
        var declaration = symbol?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancel);
        var type = declaration switch
        {
            VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax variables } => variables.Type,
            ParameterSyntax parameter => parameter.Type,
            PropertyDeclarationSyntax property => property.Type,
            ForEachStatementSyntax loop => loop.Type,
            SingleVariableDesignationSyntax { Parent: DeclarationExpressionSyntax declared } => declared.Type,
            _ => null,
        };
        if (type is ArrayTypeSyntax array && element is not null)
            return OfTypeSyntax(array.ElementType);
        if (type is null || element is not null)
            return StrongKind.Unknown;
        if (!type.IsVar)
            return OfTypeSyntax(type);
        return declaration switch
        {
            VariableDeclaratorSyntax { Initializer.Value: { } value } => KindOf(value, model, cancel, depth + 1),
            // foreach (var p in hw_pte_range(…)): the generated ranges yield handles.
            ForEachStatementSyntax loop => model.GetTypeInfo(loop.Expression, cancel).Type is { } range
                && GeneratedApiNames.LevelOf(GeneratedApiNames.RangeType, range.Name) is not null
                ? StrongKind.Handle : StrongKind.Unknown,
            _ => StrongKind.Unknown,
        };
    }

    /// <summary>Handle for a type written <c>hw_Lp</c> (however qualified), pointer for one written with <c>*</c>.</summary>
    public static StrongKind OfTypeSyntax(TypeSyntax type) => type switch
    {
        PointerTypeSyntax => StrongKind.Pointer,
        SimpleNameSyntax name when IsHandleName(name.Identifier.ValueText) => StrongKind.Handle,
        QualifiedNameSyntax qualified when IsHandleName(qualified.Right.Identifier.ValueText) => StrongKind.Handle,
        AliasQualifiedNameSyntax qualified when IsHandleName(qualified.Name.Identifier.ValueText) => StrongKind.Handle,
        _ => StrongKind.Unknown,
    };

    private static bool IsHandleName(string name) => GeneratedApiNames.LevelOf(GeneratedApiNames.HandleType, name) is not null;
}
