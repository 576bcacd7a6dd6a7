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
    string PageFlags,
    string Form,
    EquatableArray<LevelModel> Levels)
{
    /// <summary>The C# type of an entry's raw value.</summary>
    public string EntryType => EntryBits == 64 ? "ulong" : "uint";

    /// <summary>The suffix of an unsigned literal of the entry type.</summary>
    public string EntrySuffix => EntryBits == 64 ? "UL" : "U";

    public int HexDigits => EntryBits / 4;

    /// <summary>The bits of an entry that hold the page frame number (Linux's PTE_PFN_MASK), as a hex literal.</summary>
    public string PfnMask => "0x" + ((PfnBits == 64 ? ulong.MaxValue : (1UL << PfnBits) - 1) << PfnShift).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How the header names the form: "alias form", "strong form", or the strong levels of a staged conversion.</summary>
    public string FormDescription => Form == "strong" && AnyAlias
        ? "strong form at " + string.Join(", ", Levels.Where(l => l.Strong).Select(l => l.Name)) + " (the other levels alias)"
        : Form + " form";

    /// <summary>True when at least one level's handle is a plain pointer alias.</summary>
    public bool AnyAlias => Levels.Any(l => !l.Strong);

}

/// <summary>One page-table level: its names, its geometry and the form of its handle.</summary>
internal sealed record LevelModel(
    string Name,
    int Width,
    string ShiftName,
    string ShiftExpression,
    string Parent,
    string Child,
    bool ChildFolded,
    bool Strong)
{
    /// <summary>The level's upper-case prefix of SIZE, MASK constants: PGDIR for pgd (the kernel's name), else the name.</summary>
    public string ConstPrefix => Name == "pgd" ? "PGDIR" : Name.ToUpperInvariant();

    public string PtrsPerName => "PTRS_PER_" + Name.ToUpperInvariant();

    public bool Folded => Width == 0;

    public bool IsTop => Parent.Length == 0;

    public bool IsLeaf => Child.Length == 0;

    /// <summary>The .NET name of the level's allocation-free range type: HwPteRange for pte.</summary>
    public string RangeTypeName => "Hw" + char.ToUpperInvariant(Name[0]) + Name.Substring(1) + "Range";

    /// <summary>The level's upper-case name, as in __PAGETABLE_PMD_FOLDED.</summary>
    public string UpperName => Name.ToUpperInvariant();

    /// <summary>
    /// The offset function that steps into this level: pgd_offset at the top, pte_offset_kernel at the
    /// leaf (Linux's name for the kernel-table walk), L_offset in between.
    /// </summary>
    public string OffsetName => Parent.Length == 0 ? "pgd_offset" : Child.Length == 0 ? "pte_offset_kernel" : Name + "_offset";

    public long PtrsPer => 1L << Width;
}
