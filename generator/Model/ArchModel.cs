using System.Linq;
using HandleGen.Generator.Common;

namespace HandleGen.Generator.Model;

/// <summary>
/// Everything the templates need to render one architecture's API: plain values only, so the
/// incremental driver can tell by equality whether anything must be rendered again.
/// Templates see the members in snake_case (PageShift → page_shift). <c>Visibility</c> (public or internal,
/// HandleGenVisibility) is the accessibility every template gives its top-level types.
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
    string? KernelTableFlags,
    string Form,
    EquatableArray<LevelModel> Levels,
    EquatableArray<EntryBitModel> Bits,
    EquatableArray<ProtectionModel> Protections,
    string PresentMask,
    EntryRolesModel Roles,
    bool OwnsGlobalAliases,
    string Style,
    string? ContiguousBit,
    DirectMapChoice DirectMap,
    LibraryModel Library,
    string Visibility,
    string? Kernel)
{
    /// <summary>
    /// True for the posted upstream vocabulary: code holds <c>hw_L_t*</c>, a pointer to the table's element type
    /// (<c>L_t</c> itself in the alias form, a wrapper struct in the strong form), instead of a <c>hw_Lp</c> handle.
    /// </summary>
    public bool Element => Style == "element";

    /// <summary>
    /// The using aliases every generated file declares inside its namespace: the <c>hw_Lp</c> the templates are
    /// written with, where it is not a global alias (an arch that does not own them, or the element style, where it
    /// is <c>hw_L_t*</c>), and in the element style the alias form's <c>hw_L_t</c> (= <c>L_t</c>).
    /// </summary>
    public EquatableArray<AliasModel> LocalAliases => Levels
        .SelectMany(l => new[]
        {
            Element && !l.Strong ? new AliasModel("hw_" + l.Name + "_t", "global::" + Namespace + "." + l.Name + "_t") : null,
            Element || (!OwnsGlobalAliases && !l.Strong) ? new AliasModel("hw_" + l.Name + "p", "global::" + Namespace + "." + l.Pointee + "*") : null,
        })
        .Where(a => a is not null)
        .Select(a => a!)
        .ToEquatableArray();

    /// <summary>The pte level when levels.json gives it a contiguous run: the contpte_* helpers are generated.</summary>
    public LevelModel? ContPte => ContiguousBit is null ? null : Levels.FirstOrDefault(l => l.IsLeaf && l.ContiguousRun > 0);

    /// <summary>
    /// True when the alias form's handle names are exported as global usings. A global alias is one name
    /// for the whole compilation, so when several arches are built only the first listed exports them.
    /// </summary>
    public bool ExportsGlobalAliases => OwnsGlobalAliases && AnyAlias;

    /// <summary>True when the direct map is HandleGen.Runtime's: the only mode whose code references an assembly of ours.</summary>
    public bool RuntimeMap => DirectMap.Kind == "runtime";

    /// <summary>The call that maps a physical address to a pointer: HandleGen.Runtime's in runtime mode, else Pgtable's own.</summary>
    public string VaCall => RuntimeMap ? "global::HandleGen.Runtime.DirectMap.__va" : "__va";

    /// <summary>The call that maps a direct-map pointer to its physical address.</summary>
    public string PaCall => RuntimeMap ? "global::HandleGen.Runtime.DirectMap.__pa" : "__pa";

    /// <summary>True when levels.json names no bits: the entry format has only presentBit, as _PAGE_PRESENT.</summary>
    public bool LegacyPresent => Bits.Count == 0;

    /// <summary>The C# type of an entry's raw value.</summary>
    public string EntryType => EntryBits == 64 ? "ulong" : "uint";

    /// <summary>The suffix of an unsigned literal of the entry type.</summary>
    public string EntrySuffix => EntryBits == 64 ? "UL" : "U";

    public int HexDigits => EntryBits / 4;

    /// <summary>The bits of an entry that hold the page frame number (Linux's PTE_PFN_MASK), as a hex literal.</summary>
    public string PfnMask => "0x" + ((PfnBits == 64 ? ulong.MaxValue : (1UL << PfnBits) - 1) << PfnShift).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How the header names the form: "alias form", "strong form", or the strong levels of a staged conversion.</summary>
    public string FormDescription => (Form == "strong" && AnyAlias
        ? "strong form at " + string.Join(", ", Levels.Where(l => l.Strong).Select(l => l.Name)) + " (the other levels alias)"
        : Form + " form") + (Element ? ", element style" : string.Empty);

    /// <summary>True when at least one level's handle is a plain pointer alias.</summary>
    public bool AnyAlias => Levels.Any(l => !l.Strong);

}

/// <summary>A using alias a generated file declares inside its namespace.</summary>
internal sealed record AliasModel(string Name, string Target);

/// <summary>
/// What the project's libraries offer the generated code (all of it from .NET 8 on); without a piece, the code
/// uses what the language alone gives or leaves out what cannot be had (see the README's kernel section).
/// </summary>
/// <param name="Once">How pXXp_get_once and set_pXX reach the entry word.</param>
/// <param name="Interlocked">Interlocked.Exchange and CompareExchange of the entry word: without them there are no xchg, cmpxchg, get_and_clear and role atomics.</param>
/// <param name="Equatable">IEquatable&lt;T&gt;: the value and handle structs implement it, else only Equals.</param>
/// <param name="ObsoleteError">ObsoleteAttribute(string, bool) and Nullable&lt;T&gt;: the strong form's "== null" compile errors.</param>
/// <param name="ObjectOverrides">Object's virtual Equals(object) and GetHashCode(): the structs override them, else they have == and Equals(T) only.</param>
/// <param name="Formatting">Object's virtual ToString, string.Concat and the word's ToString(string, CultureInfo.InvariantCulture): ToString overrides.</param>
/// <param name="EntryBitsTable">IReadOnlyList&lt;T&gt; in the core library, ValueTuple and TupleElementNamesAttribute: HANDLEGEN_ENTRY_BITS.</param>
/// <param name="MethodImpl">MethodImplAttribute: without it the generated code declares its own, internal, for AggressiveInlining.</param>
internal sealed record LibraryModel(OnceModel Once, bool Interlocked, bool Equatable, bool ObsoleteError, bool ObjectOverrides, bool Formatting,
    bool EntryBitsTable, bool MethodImpl)
{
    /// <summary>The warnings the generated structs would get for == without Equals and GetHashCode overrides, which Object cannot take.</summary>
    public string? OperatorWarnings => ObjectOverrides ? null : "CS0660, CS0661";
}

/// <summary>
/// How <c>pXXp_get_once</c> and <c>set_pXX</c> reach the entry word so that the access is single-copy-atomic and never
/// merged, elided or repeated (Linux's <c>READ_ONCE</c>/<c>WRITE_ONCE</c>).
/// </summary>
/// <param name="Via">
/// "volatile": System.Threading.Volatile's Read and Write of the word. "field": a volatile field of the word (<c>uint</c>,
/// or <c>nuint</c> for a 64-bit entry), which the compiler accesses with the IL <c>volatile.</c> prefix; it needs only
/// the core library's IsVolatile. "call": a plain access inside a method the JIT never inlines, which the caller can
/// neither merge, elide nor repeat (the core library has no IsVolatile, and the compiler takes it from there only).
/// </param>
/// <param name="EntryType">The entry word, uint or ulong.</param>
/// <param name="Direct">True when some process accesses the word in one go (not for a 64-bit entry on a 32-bit target).</param>
/// <param name="Sized">True for a 64-bit entry in an AnyCPU build: <c>sizeof(nuint) == 8</c>, a constant to the JIT, picks the path.</param>
/// <param name="Narrow">
/// For a 64-bit entry in a 32-bit process: "interlocked" (a compare-exchange of 0 with 0 reads, an exchange writes:
/// single-copy-atomic), "halves" (two volatile 32-bit accesses in Linux's 32-bit PAE order) or "plain" (a plain 64-bit
/// access, two loads or stores to the JIT); the last two are not single-copy-atomic. Null where there is no such process.
/// </param>
internal sealed record OnceModel(string Via, string EntryType, bool Direct, bool Sized, string? Narrow)
{
    /// <summary>The C# type of the volatile field: uint for a 32-bit entry, nuint for a 64-bit one.</summary>
    public string FieldType => EntryType == "uint" ? "uint" : "nuint";

    /// <summary>The cast of a value stored into the field: none for uint.</summary>
    public string FieldCast => EntryType == "uint" ? string.Empty : "(nuint)";

    /// <summary>True when some process of this build accesses 64-bit entries as two 32-bit halves: not single-copy-atomic.</summary>
    public bool Torn => Narrow is "halves" or "plain";

    /// <summary>What a torn read does, for the doc comments.</summary>
    public string TornRead => Narrow == "halves"
        ? "reads the low half, the high half and the low half again until the low half holds still (Linux's <c>ptep_get_lockless</c> on 32-bit PAE)"
        : "reads it with a plain 64-bit load, which a 32-bit process does as two 32-bit loads";

    /// <summary>What a torn store does, for the doc comments.</summary>
    public string TornWrite => Narrow == "halves"
        ? "stores the high half, then the low half (Linux's <c>native_set_pte</c> on 32-bit PAE), which is safe only on an entry that is not present"
        : "stores it with a plain 64-bit store, which a 32-bit process does as two 32-bit stores";
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
    bool Strong,
    bool LeafCapable,
    string TableFlags,
    string TableFlagsSource,
    int ContiguousRun,
    bool Element,
    string Home)
{
    /// <summary>True when <c>hw_Lp</c> is the opaque handle struct: the strong form of the handle style.</summary>
    public bool OpaqueHandle => Strong && !Element;

    /// <summary>True when <c>hw_L_t</c> is the wrapper struct around <c>L_t</c>: the strong form of the element style.</summary>
    public bool WrappedElement => Strong && Element;

    /// <summary>What <c>hw_Lp</c> points to where it is a pointer: the wrapper, or the entry type itself.</summary>
    public string Pointee => WrappedElement ? "hw_" + Name + "_t" : Name + "_t";

    /// <summary>The prefix of the contiguous-block constants: CONT_PTE (CONT_PTES, CONT_PTE_SIZE, CONT_PTE_MASK), CONT_PMD.</summary>
    public string ContName => "CONT_" + Name.ToUpperInvariant();

    /// <summary>Bytes one entry of the level maps: PAGE_SIZE for pte, else the level's SIZE constant.</summary>
    public string EntrySize => IsLeaf ? "PAGE_SIZE" : ConstPrefix + "_SIZE";

    /// <summary>True for the levels whose entries map pages and so get the role helpers: pte and the leaf-capable levels.</summary>
    public bool MapsPages => IsLeaf || LeafCapable;

    /// <summary>True for p4d, pud and pmd, the levels Linux's huge vmap maps leaves at (<c>pmd_set_huge</c> and friends).</summary>
    public bool HasSetHuge => Name is "p4d" or "pud" or "pmd";

    /// <summary>
    /// True when <c>L_clear_huge</c> returns whether it cleared a leaf: pgtable.h's <c>pud_clear_huge</c> and
    /// <c>pmd_clear_huge</c> return int, its <c>p4d_clear_huge</c> returns void (the caller checks p4d_none after it).
    /// </summary>
    public bool ClearHugeReturns => Name != "p4d";

    /// <summary>True when the level has <c>L_leaf</c>: every level above pte, constant false where no leaf may be.</summary>
    public bool HasLeafTest => !IsLeaf;

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
    /// The offset function that steps into this level: pgd_offset_pgd at the top (Linux's name for the walk from a
    /// pgd table; its pgd_offset takes an mm, which HandleGen has not), pte_offset_kernel at the leaf (Linux's name
    /// for the kernel-table walk), L_offset in between.
    /// </summary>
    public string OffsetName => Parent.Length == 0 ? "pgd_offset_pgd" : Child.Length == 0 ? "pte_offset_kernel" : Name + "_offset";

    public long PtrsPer => 1L << Width;

    /// <summary>Linux's name of the function that allocates this level's table under an empty parent entry: pte_alloc_kernel for pte.</summary>
    public string AllocName => IsLeaf ? "pte_alloc_kernel" : Name + "_alloc";

    /// <summary>Linux's name of the function that frees one of this level's tables: pte_free_kernel for pte.</summary>
    public string FreeName => IsLeaf ? "pte_free_kernel" : Name + "_free";

    /// <summary>The level's member of HandleGen.Runtime's PageTableLevel: Pte for pte.</summary>
    public string RuntimeLevel => char.ToUpperInvariant(Name[0]) + Name.Substring(1);
}

/// <summary>A named entry bit or field: the constant _PAGE_NAME.</summary>
/// <param name="Name">The kernel's name without its prefix: RW for _PAGE_RW.</param>
/// <param name="Value">The C# expression of the mask: <c>1UL &lt;&lt; 1</c>, <c>0x3UL &lt;&lt; 8</c>.</param>
/// <param name="Where">"bit 1" or "bits 8 to 9", for the doc comment.</param>
internal sealed record EntryBitModel(string Name, string Value, string Where);

/// <summary>A named protection, a pgprot_t member of Pgtable.</summary>
/// <param name="Name">PAGE_KERNEL and the like.</param>
/// <param name="Value">The value as a hex literal of the entry type.</param>
/// <param name="Parts">The named bits it sets, as "_PAGE_PRESENT | _PAGE_RW", plus any bits no name covers in hex.</param>
internal sealed record ProtectionModel(string Name, string Value, string Parts);

/// <summary>One role of one bit, as C# fragments the templates put together.</summary>
/// <param name="Mask">The bit's constant, such as <c>_PAGE_RW</c>.</param>
/// <param name="Inverted">True when the role holds while the bit is clear (x86's NX, arm64's nG).</param>
internal sealed record RoleModel(string Mask, bool Inverted)
{
    /// <summary>The comparison with 0 that tests the role: "!= 0", or "== 0" when inverted.</summary>
    public string Test => Inverted ? "== 0" : "!= 0";

    /// <summary>What makes the role hold: "| MASK", or "&amp; ~MASK" when inverted.</summary>
    public string MakeTrue => Inverted ? "& ~" + Mask : "| " + Mask;

    /// <summary>What makes the role not hold.</summary>
    public string MakeFalse => Inverted ? "| " + Mask : "& ~" + Mask;

    /// <summary>The state of the bit while the role holds, for doc comments.</summary>
    public string Holds => Mask + (Inverted ? " clear" : " set");
}

/// <summary>The roles the generic helpers need; a null role has no helpers.</summary>
internal sealed record EntryRolesModel(
    RoleModel? Write,
    string? Readonly,
    RoleModel? User,
    RoleModel? Young,
    RoleModel? Dirty,
    RoleModel? Exec,
    RoleModel? Global,
    string? LeafMask,
    string? LeafValue,
    bool LeafSingleBit,
    string? ModifyAlsoKeeps)
{
    /// <summary>The comparison that tests the leaf marker after masking: "== value" for a field, else "!= 0".</summary>
    public string LeafTest => LeafValue is null ? "!= 0" : "== " + LeafValue;

    /// <summary>True when a leaf is any entry with one of several bits set (RISC-V's R, W, X): mkhuge then changes nothing.</summary>
    public bool LeafAnyOf => LeafValue is null && !LeafSingleBit;

    /// <summary>What <c>set_access_flags</c> may add, in words for its doc comment: the roles this format names of the three.</summary>
    public string AccessFlagNames => string.Join(", ", new[]
    {
        Young is null ? null : "accessed state",
        Write is null ? null : "write permission",
        Dirty is null ? null : "dirty state",
    }.Where(n => n is not null));

    /// <summary>The bits pte_modify keeps from the entry besides the frame number: the ones the MMU sets, and the spec's modifyKeeps.</summary>
    public string? ModifyKeeps => Young is null && Dirty is null && ModifyAlsoKeeps is null
        ? null
        : string.Join(" | ", new[] { Young?.Mask, Dirty?.Mask, ModifyAlsoKeeps }.Where(m => m is not null));
}
