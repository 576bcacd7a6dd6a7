using System.Linq;
using HandleGen.Generator.Common;

namespace HandleGen.Generator.Model;

/// <summary>
/// Everything the templates need to render one architecture's API: plain values only, so the
/// incremental driver can tell by equality whether anything must be rendered again.
/// Templates see the members in snake_case (PageShift → page_shift).
/// </summary>
internal sealed record ArchModel(
    string Namespace,
    string ArchName,
    int PageShift,
    int EntryBits,
    int VaBits,
    int PfnShift,
    int PfnBits,
    int PresentBit,
    string TableFlags,
    string Form,
    EquatableArray<LevelModel> Levels)
{
    /// <summary>The C# type of an entry's raw value.</summary>
    public string EntryType => EntryBits == 64 ? "ulong" : "uint";

    /// <summary>The suffix of an unsigned literal of the entry type.</summary>
    public string EntrySuffix => EntryBits == 64 ? "UL" : "U";

    public int EntryBytes => EntryBits / 8;

    public int HexDigits => EntryBits / 4;

    /// <summary>True when at least one level's handle is a plain pointer alias.</summary>
    public bool AnyAlias => Levels.Any(l => !l.Strong);

    /// <summary>True when at least one level's handle is an opaque struct.</summary>
    public bool AnyStrong => Levels.Any(l => l.Strong);
}

/// <summary>One page-table level: its names, its geometry and the form of its handle.</summary>
internal sealed record LevelModel(
    string Name,
    int Width,
    int Shift,
    string ShiftName,
    string ShiftExpression,
    string Parent,
    string Child,
    bool Strong)
{
    /// <summary>The level's upper-case prefix of SIZE, MASK constants: PGDIR for pgd (the kernel's name), else the name.</summary>
    public string ConstPrefix => Name == "pgd" ? "PGDIR" : Name.ToUpperInvariant();

    public string PtrsPerName => "PTRS_PER_" + Name.ToUpperInvariant();

    public bool Folded => Width == 0;

    public bool IsTop => Parent.Length == 0;

    public bool IsLeaf => Child.Length == 0;

    public long PtrsPer => 1L << Width;
}
