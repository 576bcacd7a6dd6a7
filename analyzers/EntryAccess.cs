using System.Collections.Immutable;
using System.Linq;
using HandleGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HandleGen.Analyzers;

/// <summary>
/// An entry reached through a pointer to entries, in either form: <c>*H</c>, <c>H-&gt;f</c>, <c>H[i]</c> and a
/// field of one of these. Its key is the text of the handle expression (with <c>[i]</c> for an index), so two
/// spellings of the same handle in one body name the same entry.
/// </summary>
internal sealed class EntryAccess(string key, string level, ImmutableHashSet<string> names)
{
    public string Key { get; } = key;

    public string Level { get; } = level;

    /// <summary>The variables the key is made of: assigning any of them ends what is known about the entry.</summary>
    public ImmutableHashSet<string> Names { get; } = names;

    /// <summary>The entry an expression reads or writes through a pointer to entries, or null.</summary>
    public static EntryAccess? Of(ExpressionSyntax expression, SemanticModel model, System.Threading.CancellationToken cancel)
    {
        expression = Strip(expression);
        if (expression is MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } field)
            expression = Strip(field.Expression);
        switch (expression)
        {
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PointerIndirectionExpression } deref:
                return Through(deref.Operand, null, model, cancel);
            case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.PointerMemberAccessExpression } arrow:
                return Through(arrow.Expression, null, model, cancel);
            case ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } element:
                return Through(element.Expression, element.ArgumentList.Arguments[0].Expression, model, cancel);
            default:
                return null;
        }
    }

    /// <summary>True for the node that is itself the access (<c>*H</c>, <c>H-&gt;f</c>, <c>H[i]</c>), not a field or parentheses around one.</summary>
    public static bool IsAccessNode(SyntaxNode node) =>
        node.IsKind(SyntaxKind.PointerIndirectionExpression) || node.IsKind(SyntaxKind.PointerMemberAccessExpression) || node.IsKind(SyntaxKind.ElementAccessExpression);

    /// <summary>The access with the parentheses and the field selection around it: what is read or assigned.</summary>
    public static ExpressionSyntax Outermost(ExpressionSyntax access)
    {
        while (true)
        {
            switch (access.Parent)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    access = parenthesized;
                    continue;
                case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } field when field.Expression == access:
                    access = field;
                    continue;
            }

            return access;
        }
    }

    /// <summary>The key of a handle expression: its text without spaces or the parentheses around it; <c>__hw_Lp_ptr(h)</c> is <c>h</c>.</summary>
    public static string KeyOf(ExpressionSyntax handle)
    {
        handle = Strip(handle);
        if (handle is InvocationExpressionSyntax { Expression: IdentifierNameSyntax name, ArgumentList.Arguments.Count: 1 } call
            && GeneratedApiNames.LevelOf(GeneratedApiNames.ToPointer, name.Identifier.ValueText) is not null)
            handle = Strip(call.ArgumentList.Arguments[0].Expression);
        return string.Concat(handle.DescendantTokens().Select(t => t.Text));
    }

    /// <summary>The identifiers in an expression.</summary>
    public static ImmutableHashSet<string> NamesIn(ExpressionSyntax expression) =>
        expression.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToImmutableHashSet();

    private static EntryAccess? Through(ExpressionSyntax pointer, ExpressionSyntax? index, SemanticModel model, System.Threading.CancellationToken cancel)
    {
        if (model.GetTypeInfo(pointer, cancel).Type is not IPointerTypeSymbol type || GeneratedApi.EntryLevel(type.PointedAtType) is not { } level)
            return null;
        var key = index is null ? KeyOf(pointer) : KeyOf(pointer) + "[" + KeyOf(index) + "]";
        var names = index is null ? NamesIn(pointer) : NamesIn(pointer).Union(NamesIn(index));
        return new EntryAccess(key, level, names);
    }

    private static ExpressionSyntax Strip(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
            expression = parenthesized.Expression;
        return expression;
    }
}
