using System.Collections.Immutable;
using HandleGen.Analyzers;
using HandleGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HandleGen.CodeFixes;

/// <summary>One rewrite: the node to replace and the C# that replaces it (also the fix's title).</summary>
internal sealed class Change(SyntaxNode old, string replacement)
{
    public SyntaxNode Old { get; } = old;

    public string New { get; } = replacement;
}

/// <summary>
/// Computes the rewrite of one reported site, as text: the reported node and the few around it that decide
/// the form (an assignment it is the target of, a field selected from it, the statement it stands in).
/// </summary>
internal sealed class Rewriter(SemanticModel model, ExpressionSyntax node, string level, ImmutableDictionary<string, string?> properties)
{
    private readonly ApiNames api = new(model, node.SpanStart);

    public Change? Fix(string id) => id switch
    {
        "HG1001" or "HG1003" => Access(),
        "HG1002" => Step(),
        "HG1004" => Conversion(),
        "HG1005" => Change(node, Call(GeneratedApiNames.FromPointer, Text(node))),
        "HG1006" => Null(),
        _ => null,
    };

    /// <summary><c>*p</c>, <c>p-&gt;pte</c>, <c>p[i]</c>, read or assigned.</summary>
    private Change? Access()
    {
        ExpressionSyntax handle;
        var field = false;
        switch (node)
        {
            case PrefixUnaryExpressionSyntax deref:
                handle = deref.Operand is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : deref.Operand;
                break;
            case MemberAccessExpressionSyntax arrow:
                handle = arrow.Expression;
                field = arrow.Name.Identifier.ValueText == GeneratedApiNames.EntryField.For(level);
                if (!field)
                    return null;
                break;
            case ElementAccessExpressionSyntax element:
                handle = element.Expression;
                break;
            default:
                return null;
        }

        var entry = node is ElementAccessExpressionSyntax indexed ? Offset(handle, indexed.ArgumentList.Arguments[0].Expression) : Text(handle);
        var outer = Outer(node);
        if (outer.Parent is MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } selected && selected.Expression == outer)
        {
            if (field || selected.Name.Identifier.ValueText != GeneratedApiNames.EntryField.For(level))
                return null;
            field = true;
            outer = Outer(selected);
        }

        var get = Call(GeneratedApiNames.Get, entry);
        switch (outer.Parent)
        {
            // The entry's field is read-only: only a whole entry is ever assigned.
            case AssignmentExpressionSyntax assignment when assignment.Left == outer:
                return field || !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                    ? null
                    : Change(assignment, Call(GeneratedApiNames.Set, entry, Text(assignment.Right)));
            // &p[i] is the handle of entry i, not a read of it.
            case PrefixUnaryExpressionSyntax address when address.IsKind(SyntaxKind.AddressOfExpression) && node is ElementAccessExpressionSyntax && !field:
                return Change(address, entry);
            case PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax or ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None }:
                return null;
            default:
                return Change(outer, field ? Call(GeneratedApiNames.Val, get) : get);
        }
    }

    /// <summary><c>p++</c>, <c>++p</c>, <c>p += n</c>, <c>p -= n</c>, <c>p + n</c>, <c>p - n</c>.</summary>
    private Change? Step()
    {
        switch (node)
        {
            case PostfixUnaryExpressionSyntax postfix when IsStatement(postfix):
                return Move(postfix, postfix.Operand, postfix.IsKind(SyntaxKind.PostIncrementExpression) ? "1" : "-1", false);
            case PrefixUnaryExpressionSyntax prefix:
                return Move(prefix, prefix.Operand, prefix.IsKind(SyntaxKind.PreIncrementExpression) ? "1" : "-1", !IsStatement(prefix));
            case AssignmentExpressionSyntax assignment:
                var by = assignment.IsKind(SyntaxKind.AddAssignmentExpression) ? Integer(assignment.Right) : Negated(assignment.Right);
                return Move(assignment, assignment.Left, by, !IsStatement(assignment));
            case BinaryExpressionSyntax binary:
                var pointerOnLeft = model.GetTypeInfo(binary.Left).Type is IPointerTypeSymbol;
                var (handle, offset) = pointerOnLeft ? (binary.Left, binary.Right) : (binary.Right, binary.Left);
                var n = binary.IsKind(SyntaxKind.AddExpression) ? Integer(offset) : Negated(offset);
                return Change(binary, Call(GeneratedApiNames.Add, Text(handle), n));
            default:
                return null;
        }
    }

    private Change Move(ExpressionSyntax old, ExpressionSyntax handle, string by, bool asValue)
    {
        var moved = by == "1" ? Call(GeneratedApiNames.Next, Text(handle)) : Call(GeneratedApiNames.Add, Text(handle), by);
        var assignment = Text(handle) + " = " + moved;
        return Change(old, asValue ? "(" + assignment + ")" : assignment);
    }

    /// <summary><c>(hw_ptep)raw</c> → <c>__hw_ptep(raw)</c>; <c>(void*)ptep</c> → <c>(void*)__hw_ptep_ptr(ptep)</c>.</summary>
    private Change? Conversion()
    {
        var inward = properties.TryGetValue(Descriptors.Direction, out var direction) && direction == "In";
        if (node is CastExpressionSyntax cast)
        {
            if (inward)
            {
                // __hw_Lp takes an L_t*: a void* or byte* from an allocator is cast to it first.
                var fromEntryPointer = model.GetTypeInfo(cast.Expression).Type is IPointerTypeSymbol { PointedAtType.Name: var name } && name == GeneratedApiNames.EntryType.For(level);
                return Change(cast, Call(GeneratedApiNames.FromPointer, fromEntryPointer ? Text(cast.Expression) : "(" + GeneratedApiNames.EntryType.For(level) + "*)" + Parenthesized(cast.Expression)));
            }
            var released = Call(GeneratedApiNames.ToPointer, Text(cast.Expression));
            var toSameEntry = cast.Type is PointerTypeSyntax pointer && pointer.ElementType.ToString() == GeneratedApiNames.EntryType.For(level);
            return Change(cast, toSameEntry ? released : "(" + Text(cast.Type) + ")" + released);
        }

        return inward ? null : Change(node, Call(GeneratedApiNames.ToPointer, Text(node)));
    }

    /// <summary><c>p == null</c> → <c>hw_ptep_is_null(p)</c>, <c>p != null</c> → <c>!hw_ptep_is_null(p)</c>, <c>null</c> → <c>default(hw_ptep)</c>.</summary>
    private Change? Null()
    {
        if (node is BinaryExpressionSyntax binary)
        {
            var handle = binary.Right.IsKind(SyntaxKind.NullLiteralExpression) ? binary.Left : binary.Right;
            var test = Call(GeneratedApiNames.IsNull, Text(handle));
            return Change(binary, binary.IsKind(SyntaxKind.EqualsExpression) ? test : "!" + test);
        }

        return node.IsKind(SyntaxKind.NullLiteralExpression) ? Change(node, "default(" + GeneratedApiNames.HandleType.For(level) + ")") : null;
    }

    private string Offset(ExpressionSyntax handle, ExpressionSyntax index) =>
        index is LiteralExpressionSyntax { Token.ValueText: "0" } ? Text(handle) : Call(GeneratedApiNames.Add, Text(handle), Integer(index));

    /// <summary>An offset as the int that <c>hw_L_add</c> takes: cast when the analyzer saw another type (an index is a ulong).</summary>
    private string Integer(ExpressionSyntax offset) =>
        properties.TryGetValue(Descriptors.NeedsIntCast, out var cast) && cast == "true" ? "(int)" + Parenthesized(offset) : Text(offset);

    private string Negated(ExpressionSyntax offset) => "-" + (properties.TryGetValue(Descriptors.NeedsIntCast, out var cast) && cast == "true"
        ? "(int)" + Parenthesized(offset)
        : Parenthesized(offset));

    private string Call(ApiName function, params string[] arguments) => api[function.For(level)] + "(" + string.Join(", ", arguments) + ")";

    private static Change Change(SyntaxNode old, string replacement) => new(old, replacement);

    private static string Text(SyntaxNode syntax) => syntax.WithoutTrivia().ToString();

    private static string Parenthesized(ExpressionSyntax expression) => expression is IdentifierNameSyntax or LiteralExpressionSyntax
        or InvocationExpressionSyntax or ParenthesizedExpressionSyntax or MemberAccessExpressionSyntax or ElementAccessExpressionSyntax
        ? Text(expression)
        : "(" + Text(expression) + ")";

    private static ExpressionSyntax Outer(ExpressionSyntax expression)
    {
        while (expression.Parent is ParenthesizedExpressionSyntax parenthesized)
            expression = parenthesized;
        return expression;
    }

    private static bool IsStatement(ExpressionSyntax expression) =>
        expression.Parent is ExpressionStatementSyntax || expression.Parent is ForStatementSyntax loop && loop.Incrementors.Contains(expression);
}
