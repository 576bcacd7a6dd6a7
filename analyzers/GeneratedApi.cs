using Microsoft.CodeAnalysis;

namespace HandleGen.Analyzers;

/// <summary>
/// Recognises the types and functions HandleGen generates, in whichever namespace the spec chose and in
/// either form, by their shape: an entry type <c>L_t</c> or handle <c>hw_Lp</c> of one of the five levels,
/// beside a static class <c>Pgtable</c> that has the level's getter <c>Lp_get</c>. Works the same on
/// generated source and on a referenced assembly that holds the generated API.
/// </summary>
internal static class GeneratedApi
{
    /// <summary>The five levels, top first.</summary>
    public static readonly string[] Levels = ["pgd", "p4d", "pud", "pmd", "pte"];

    /// <summary>The level of an entry value type <c>L_t</c>, or null.</summary>
    public static string? EntryLevel(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct } named || !named.Name.EndsWith("_t", System.StringComparison.Ordinal))
            return null;
        var level = named.Name.Substring(0, named.Name.Length - 2);
        return IsLevel(level) && HasPgtable(named.ContainingNamespace, level) ? level : null;
    }

    /// <summary>The level of an alias-form handle (<c>L_t*</c> where the level has no strong <c>hw_Lp</c> struct), or null.</summary>
    public static string? AliasHandleLevel(ITypeSymbol? type)
    {
        if (type is not IPointerTypeSymbol pointer || EntryLevel(pointer.PointedAtType) is not { } level)
            return null;
        return pointer.PointedAtType.ContainingNamespace.GetTypeMembers("hw_" + level + "p").IsEmpty ? level : null;
    }

    /// <summary>The level of a strong-form handle, the struct <c>hw_Lp</c>, or null.</summary>
    public static string? StrongHandleLevel(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct } named
            || !named.Name.StartsWith("hw_", System.StringComparison.Ordinal) || !named.Name.EndsWith("p", System.StringComparison.Ordinal))
            return null;
        var level = named.Name.Substring(3, named.Name.Length - 4);
        return IsLevel(level) && HasPgtable(named.ContainingNamespace, level) ? level : null;
    }

    /// <summary>The level of a handle in either form, or null.</summary>
    public static string? HandleLevel(ITypeSymbol? type) => AliasHandleLevel(type) ?? StrongHandleLevel(type);

    /// <summary>True when the method is one of the generated <c>Pgtable</c> functions.</summary>
    public static bool IsApi(IMethodSymbol? method) =>
        method?.ContainingType is { Name: "Pgtable", IsStatic: true } pgtable && HasPgtable(pgtable.ContainingNamespace, "pte");

    /// <summary>The level whose <c>L_index</c> the method is, or null.</summary>
    public static string? IndexLevel(IMethodSymbol? method) => ApiLevel(method, "", "_index");

    /// <summary>The level L of an API method named prefix + L + suffix, or null.</summary>
    public static string? ApiLevel(IMethodSymbol? method, string prefix, string suffix)
    {
        if (!IsApi(method))
            return null;
        var name = method!.Name;
        if (!name.StartsWith(prefix, System.StringComparison.Ordinal) || !name.EndsWith(suffix, System.StringComparison.Ordinal)
            || name.Length <= prefix.Length + suffix.Length)
            return null;
        var level = name.Substring(prefix.Length, name.Length - prefix.Length - suffix.Length);
        return IsLevel(level) ? level : null;
    }

    private static bool IsLevel(string name) => System.Array.IndexOf(Levels, name) >= 0;

    private static bool HasPgtable(INamespaceSymbol? ns, string level)
    {
        if (ns is null)
            return false;
        foreach (var type in ns.GetTypeMembers("Pgtable"))
        {
            if (type.IsStatic && !type.GetMembers(level + "p_get").IsEmpty)
                return true;
        }

        return false;
    }
}
