using System;
using System.Collections.Generic;

namespace HandleGen.Common;

/// <summary>What a generated name is, as the analyzers and the code fixes need to know it.</summary>
internal enum ApiKind
{
    /// <summary>Reads the entry its handle names: <c>pXXp_get</c>, <c>pXXp_get_once</c>.</summary>
    Load,

    /// <summary>Writes the entry its handle names: <c>set_pXX</c>, <c>pXX_clear</c>, <c>pXX_populate</c>, the huge-vmap stores, the role atomics.</summary>
    Store,

    /// <summary>Writes the entry in one atomic exchange and returns what it held: <c>pXXp_xchg</c>, <c>pXXp_cmpxchg</c>, ...</summary>
    CompareExchange,

    /// <summary>The index of an address in a table of the level: <c>pXX_index</c>.</summary>
    Index,

    /// <summary>The handle of the entry that maps an address, one level down: <c>pXX_offset</c>, <c>pte_offset_kernel</c>.</summary>
    Offset,

    /// <summary>A handle moved along its table: <c>hw_pXX_add</c>, <c>hw_pXX_next</c>.</summary>
    Step,

    /// <summary>A handle made from a pointer to entries: <c>__hw_pXXp</c>.</summary>
    HandleFromPointer,

    /// <summary>The pointer to entries a handle holds: <c>__hw_pXXp_ptr</c>.</summary>
    PointerFromHandle,

    /// <summary>An entry's word and back: <c>pXX_val</c>, <c>__pXX</c>.</summary>
    Value,

    /// <summary>Whether a handle is the null handle: <c>hw_pXXp_is_null</c>.</summary>
    NullTest,

    /// <summary>The static class that holds every generated function: <c>Pgtable</c>.</summary>
    FunctionClass,

    /// <summary>The entry value type <c>pXX_t</c>.</summary>
    EntryType,

    /// <summary>The field of <c>pXX_t</c> that holds the entry's word, named after the level.</summary>
    EntryField,

    /// <summary>The handle type <c>hw_pXXp</c>: a struct in the strong form of the handle style, an alias of a pointer elsewhere.</summary>
    HandleType,

    /// <summary>The allocation-free range of handles that <c>foreach</c> walks: <c>HwPteRange</c>.</summary>
    RangeType,
}

/// <summary>What, besides its levels, decides whether a build generates a name.</summary>
[Flags]
internal enum ApiCondition
{
    /// <summary>Generated for every level the name applies to.</summary>
    None = 0,

    /// <summary>Only where the project's libraries have <c>Interlocked.Exchange</c> and <c>CompareExchange</c> of the entry word.</summary>
    Interlocked = 1,

    /// <summary>Only at levels whose entries map pages: pte and the format's leaf levels.</summary>
    MapsPages = 2,

    /// <summary>Only where the format names the accessed (young) role.</summary>
    YoungRole = 4,

    /// <summary>Only where the format names the write role.</summary>
    WriteRole = 8,

    /// <summary>Only where the format names one of the roles a fault relaxes: young, write or dirty.</summary>
    AccessFlagRole = 16,

    /// <summary>Only where the level's handle is the opaque struct: the strong form of the handle style.</summary>
    OpaqueHandle = 32,
}

/// <summary>One generated name: its spelling at each level it applies to, its kind and when a build has it.</summary>
internal sealed class ApiName
{
    private readonly string?[] byLevel = new string?[GeneratedApiNames.Levels.Length];
    private readonly Func<string, string> spell;

    public ApiName(ApiKind kind, Func<string, string> spell, ApiCondition condition = ApiCondition.None, params string[] levels)
    {
        this.spell = spell;
        Kind = kind;
        Condition = condition;
        for (var i = 0; i < byLevel.Length; i++)
        {
            var level = GeneratedApiNames.Levels[i];
            if (levels.Length == 0 || Array.IndexOf(levels, level) >= 0)
                byLevel[i] = spell(level);
        }
    }

    public ApiKind Kind { get; }

    public ApiCondition Condition { get; }

    /// <summary>True for the kinds that write the entry their first argument names.</summary>
    public bool WritesEntry => Kind is ApiKind.Store or ApiKind.CompareExchange;

    /// <summary>The name at one level; only for a level it applies to.</summary>
    public string For(string level) =>
        (GeneratedApiNames.LevelIndex(level) is var i && i >= 0 ? byLevel[i] : null)
        ?? throw new ArgumentException(level + " has no such name", nameof(level));

    /// <summary>
    /// The name spelt for a level whether or not a build generates it there (what a test expects to be absent),
    /// or for a message's format item in place of the level: <c>{1}p_get</c>.
    /// </summary>
    public string Spell(string level) => spell(level);

    public bool AppliesTo(string level) => GeneratedApiNames.LevelIndex(level) is var i && i >= 0 && byLevel[i] is not null;

    /// <summary>The levels it applies to and its name at each, top first.</summary>
    public IEnumerable<(string Level, string Name)> Spellings()
    {
        for (var i = 0; i < byLevel.Length; i++)
        {
            if (byLevel[i] is { } name)
                yield return (GeneratedApiNames.Levels[i], name);
        }
    }
}

/// <summary>
/// The one table of the generated API's names: the five levels and, for each kind of name the analyzers, the
/// code fixes and the tests rely on, its spelling per level. Every one of those projects compiles this file
/// (linked), and a test checks every name here against the generated code of every shipped format, so a
/// template that renames a function fails that test until the table says the new name. Built once, on first use.
/// </summary>
internal static class GeneratedApiNames
{
    /// <summary>The five levels, top first, as Linux names them.</summary>
    public static readonly string[] Levels = { "pgd", "p4d", "pud", "pmd", "pte" };

    /// <summary>The name of the static class that holds the generated functions.</summary>
    public const string FunctionClass = "Pgtable";

    public static readonly ApiName Get = new(ApiKind.Load, l => l + "p_get");
    public static readonly ApiName GetOnce = new(ApiKind.Load, l => l + "p_get_once");

    public static readonly ApiName Set = new(ApiKind.Store, l => "set_" + l);
    public static readonly ApiName SetPtes = new(ApiKind.Store, l => "set_" + l + "s", ApiCondition.None, "pte");
    public static readonly ApiName Clear = new(ApiKind.Store, l => l + "_clear");
    public static readonly ApiName Populate = new(ApiKind.Store, l => l + "_populate", ApiCondition.None, "pgd", "p4d", "pud", "pmd");
    public static readonly ApiName SetHuge = new(ApiKind.Store, l => l + "_set_huge", ApiCondition.None, "p4d", "pud", "pmd");
    public static readonly ApiName ClearHuge = new(ApiKind.Store, l => l + "_clear_huge", ApiCondition.None, "p4d", "pud", "pmd");
    public static readonly ApiName TestAndClearYoung = new(ApiKind.Store, l => l + "p_test_and_clear_young",
        ApiCondition.Interlocked | ApiCondition.MapsPages | ApiCondition.YoungRole);
    public static readonly ApiName SetWrprotect = new(ApiKind.Store, l => l + "p_set_wrprotect",
        ApiCondition.Interlocked | ApiCondition.MapsPages | ApiCondition.WriteRole);
    public static readonly ApiName SetAccessFlags = new(ApiKind.Store, l => l + "p_set_access_flags",
        ApiCondition.Interlocked | ApiCondition.MapsPages | ApiCondition.AccessFlagRole);

    public static readonly ApiName Xchg = new(ApiKind.CompareExchange, l => l + "p_xchg", ApiCondition.Interlocked);
    public static readonly ApiName Cmpxchg = new(ApiKind.CompareExchange, l => l + "p_cmpxchg", ApiCondition.Interlocked);
    public static readonly ApiName TryCmpxchg = new(ApiKind.CompareExchange, l => l + "p_try_cmpxchg", ApiCondition.Interlocked);
    public static readonly ApiName GetAndClear = new(ApiKind.CompareExchange, l => l + "p_get_and_clear", ApiCondition.Interlocked);

    public static readonly ApiName Index = new(ApiKind.Index, l => l + "_index");

    /// <summary>
    /// Linux's walk step into each level: pgd_offset_pgd at the top (Linux's pgd_offset takes an mm), pte_offset_kernel
    /// at the leaf (the kernel-table walk), pXX_offset between.
    /// </summary>
    public static readonly ApiName Offset = new(ApiKind.Offset, l => l switch
    {
        "pgd" => "pgd_offset_pgd",
        "pte" => "pte_offset_kernel",
        _ => l + "_offset",
    });

    public static readonly ApiName Add = new(ApiKind.Step, l => "hw_" + l + "_add");
    public static readonly ApiName Next = new(ApiKind.Step, l => "hw_" + l + "_next");

    public static readonly ApiName FromPointer = new(ApiKind.HandleFromPointer, l => "__hw_" + l + "p");
    public static readonly ApiName ToPointer = new(ApiKind.PointerFromHandle, l => "__hw_" + l + "p_ptr");
    public static readonly ApiName Val = new(ApiKind.Value, l => l + "_val");
    public static readonly ApiName Make = new(ApiKind.Value, l => "__" + l);
    public static readonly ApiName IsNull = new(ApiKind.NullTest, l => "hw_" + l + "p_is_null");

    public static readonly ApiName EntryType = new(ApiKind.EntryType, l => l + "_t");
    public static readonly ApiName EntryField = new(ApiKind.EntryField, l => l);
    public static readonly ApiName HandleType = new(ApiKind.HandleType, l => "hw_" + l + "p", ApiCondition.OpaqueHandle);
    public static readonly ApiName RangeType = new(ApiKind.RangeType, l => "Hw" + char.ToUpperInvariant(l[0]) + l.Substring(1) + "Range");

    /// <summary>Every name of the table, functions first.</summary>
    public static readonly ApiName[] All =
    {
        Get, GetOnce, Set, SetPtes, Clear, Populate, SetHuge, ClearHuge, TestAndClearYoung, SetWrprotect, SetAccessFlags,
        Xchg, Cmpxchg, TryCmpxchg, GetAndClear, Index, Offset, Add, Next, FromPointer, ToPointer, Val, Make, IsNull,
        EntryType, EntryField, HandleType, RangeType,
    };

    // Declared after All, which it reads: static fields initialize in declaration order.
    private static readonly Dictionary<string, (ApiName Name, string Level)> ByName = BuildIndex();

    /// <summary>The level's position, top first, or -1 for a name that is no level.</summary>
    public static int LevelIndex(string level) => level switch
    {
        "pgd" => 0,
        "p4d" => 1,
        "pud" => 2,
        "pmd" => 3,
        "pte" => 4,
        _ => -1,
    };

    public static bool IsLevel(string name) => LevelIndex(name) >= 0;

    /// <summary>What a generated name is and the level it names, or false for a name the table does not hold.</summary>
    public static bool TryFind(string name, out ApiName api, out string level)
    {
        if (ByName.TryGetValue(name, out var found))
        {
            (api, level) = found;
            return true;
        }

        api = null!;
        level = "";
        return false;
    }

    /// <summary>The level whose <paramref name="api"/> name this is, or null.</summary>
    public static string? LevelOf(ApiName api, string name) =>
        ByName.TryGetValue(name, out var found) && found.Name == api ? found.Level : null;

    private static Dictionary<string, (ApiName Name, string Level)> BuildIndex()
    {
        var byName = new Dictionary<string, (ApiName, string)>(StringComparer.Ordinal);
        foreach (var api in All)
        {
            foreach (var (level, name) in api.Spellings())
                byName.Add(name, (api, level));
        }

        return byName;
    }
}
