using HandleGen.Common;
using Microsoft.CodeAnalysis;

namespace HandleGen.Analyzers;

/// <summary>
/// Recognises the types and functions HandleGen generates, in whichever namespace the spec chose and in
/// either form, by the names of <see cref="GeneratedApiNames"/>: an entry type <c>L_t</c> or handle <c>hw_Lp</c>
/// of one of the five levels, beside a static class <c>Pgtable</c> that has the level's getter <c>Lp_get</c>.
/// Works the same on generated source and on a referenced assembly that holds the generated API.
/// </summary>
internal static class GeneratedApi
{
    /// <summary>The level of an entry value type <c>L_t</c>, or null.</summary>
    public static string? EntryLevel(ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Struct } named && GeneratedApiNames.LevelOf(GeneratedApiNames.EntryType, named.Name) is { } level
        && HasPgtable(named.ContainingNamespace, level)
            ? level
            : null;

    /// <summary>The level of an alias-form handle (<c>L_t*</c> where the level has no strong <c>hw_Lp</c> struct), or null.</summary>
    public static string? AliasHandleLevel(ITypeSymbol? type)
    {
        if (type is not IPointerTypeSymbol pointer || EntryLevel(pointer.PointedAtType) is not { } level)
            return null;
        return pointer.PointedAtType.ContainingNamespace.GetTypeMembers(GeneratedApiNames.HandleType.For(level)).IsEmpty ? level : null;
    }

    /// <summary>The level of a strong-form handle, the struct <c>hw_Lp</c>, or null.</summary>
    public static string? StrongHandleLevel(ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Struct } named && GeneratedApiNames.LevelOf(GeneratedApiNames.HandleType, named.Name) is { } level
        && HasPgtable(named.ContainingNamespace, level)
            ? level
            : null;

    /// <summary>The level of a handle in either form, or null.</summary>
    public static string? HandleLevel(ITypeSymbol? type) => AliasHandleLevel(type) ?? StrongHandleLevel(type);

    /// <summary>True when the method is one of the generated <c>Pgtable</c> functions.</summary>
    public static bool IsApi(IMethodSymbol? method) =>
        method?.ContainingType is { Name: GeneratedApiNames.FunctionClass, IsStatic: true } pgtable && HasPgtable(pgtable.ContainingNamespace, "pte");

    /// <summary>The generated name a <c>Pgtable</c> method is and the level it names, or false.</summary>
    public static bool TryFind(IMethodSymbol? method, out ApiName api, out string level)
    {
        if (IsApi(method))
            return GeneratedApiNames.TryFind(method!.Name, out api, out level);
        api = null!;
        level = "";
        return false;
    }

    /// <summary>The level whose <paramref name="api"/> function the method is, or null.</summary>
    public static string? ApiLevel(IMethodSymbol? method, ApiName api) =>
        TryFind(method, out var found, out var level) && found == api ? level : null;

    private static bool HasPgtable(INamespaceSymbol? ns, string level)
    {
        if (ns is null)
            return false;
        foreach (var type in ns.GetTypeMembers(GeneratedApiNames.FunctionClass))
        {
            if (type.IsStatic && !type.GetMembers(GeneratedApiNames.Get.For(level)).IsEmpty)
                return true;
        }

        return false;
    }
}
