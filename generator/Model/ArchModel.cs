using System.Linq;
using HandleGen.Generator.Common;
using HandleGen.Generator.Settings;
using HandleGen.Generator.Spec;

namespace HandleGen.Generator.Model;

/// <summary>
/// Everything the templates need to render one architecture's API: plain values only, so the
/// incremental driver can tell by equality whether anything must be rendered again.
/// Templates see the members in snake_case (PageShift → page_shift), and a choice (an enum) as its word.
/// </summary>
internal sealed partial record ArchModel
{
    /// <summary>The namespace of the arch's Pgtable and entry types.</summary>
    public required string Namespace { get; init; }

    public required string ArchName { get; init; }

    public required int PageShift { get; init; }

    /// <summary>The width of an entry word: 32 or 64.</summary>
    public required int EntryBits { get; init; }

    /// <summary>The bits of a virtual address the levels translate: PAGE_SHIFT plus every level's width.</summary>
    public required int VaBits { get; init; }

    public required int PfnShift { get; init; }

    public required int PfnBits { get; init; }

    public required int PresentBit { get; init; }

    /// <summary>The flags of an entry that points to the next table (_PAGE_TABLE), as a hex literal.</summary>
    public required string TableFlags { get; init; }

    /// <summary>The flags of a kernel-only table entry (x86's _KERNPG_TABLE) as a hex literal; null where the format has none.</summary>
    public required string? KernelTableFlags { get; init; }

    public required HandleForm Form { get; init; }

    /// <summary>pgd, p4d, pud, pmd and pte, top to bottom.</summary>
    public required EquatableArray<LevelModel> Levels { get; init; }

    public required EquatableArray<EntryBitModel> Bits { get; init; }

    public required EquatableArray<ProtectionModel> Protections { get; init; }

    /// <summary>The present bits as one operand: a name, or names joined by '|' in parentheses.</summary>
    public required string PresentMask { get; init; }

    public required EntryRolesModel Roles { get; init; }

    /// <summary>True for the first arch built: the global aliases are its (one name for the whole compilation).</summary>
    public required bool OwnsGlobalAliases { get; init; }

    public required HandleStyle Style { get; init; }

    /// <summary>The contiguous hint bit's constant (arm64's _PAGE_CONT); null where the format has none.</summary>
    public required string? ContiguousBit { get; init; }

    public required DirectMapModel DirectMap { get; init; }

    public required LibraryModel Library { get; init; }

    /// <summary>The accessibility every template gives its top-level types (HandleGenVisibility).</summary>
    public required Visibility Visibility { get; init; }

    /// <summary>The Linux release whose headers the shipped values follow (levels.json's "kernel"); null when unnamed.</summary>
    public required string? Kernel { get; init; }

    /// <summary>
    /// True for the posted upstream vocabulary: code holds <c>hw_L_t*</c>, a pointer to the table's element type
    /// (<c>L_t</c> itself in the alias form, a wrapper struct in the strong form), instead of a <c>hw_Lp</c> handle.
    /// </summary>
    public bool Element => Style == HandleStyle.Element;

    /// <summary>
    /// The using aliases every generated file declares inside its namespace: the <c>hw_Lp</c> the templates are
    /// written with, where it is not a global alias (an arch that does not own them, or the element style, where it
    /// is <c>hw_L_t*</c>), and in the element style the alias form's <c>hw_L_t</c> (= <c>L_t</c>).
    /// </summary>
    public EquatableArray<AliasModel> LocalAliases => Levels
        .SelectMany(l => new[]
        {
            Element && !l.Strong ? new AliasModel { Name = "hw_" + l.Name + "_t", Target = "global::" + Namespace + "." + l.Name + "_t" } : null,
            Element || (!OwnsGlobalAliases && !l.Strong) ? new AliasModel { Name = "hw_" + l.Name + "p", Target = "global::" + Namespace + "." + l.Pointee + "*" } : null,
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
    public bool RuntimeMap => DirectMap.Kind == DirectMapKind.Runtime;

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
    public string FormDescription => (Form == HandleForm.Strong && AnyAlias
        ? "strong form at " + string.Join(", ", Levels.Where(l => l.Strong).Select(l => l.Name)) + " (the other levels alias)"
        : Form.Word() + " form") + (Element ? ", element style" : string.Empty);

    /// <summary>True when at least one level's handle is a plain pointer alias.</summary>
    public bool AnyAlias => Levels.Any(l => !l.Strong);

}

/// <summary>A using alias a generated file declares inside its namespace.</summary>
internal sealed partial record AliasModel
{
    public required string Name { get; init; }

    public required string Target { get; init; }
}

/// <summary>The direct map the generated <c>__va</c> and <c>__pa</c> use (see <see cref="DirectMapChoice"/>).</summary>
internal sealed partial record DirectMapModel
{
    public required DirectMapKind Kind { get; init; }

    /// <summary>With <see cref="DirectMapKind.Offset"/>, the virtual address of physical address 0 as a hex literal; else empty.</summary>
    public required string Offset { get; init; }
}

/// <summary>
/// What the project's libraries offer the generated code (all of it from .NET 8 on); without a piece, the code
/// uses what the language alone gives or leaves out what cannot be had (see the README's kernel section).
/// </summary>
internal sealed partial record LibraryModel
{
    /// <summary>How pXXp_get_once and set_pXX reach the entry word.</summary>
    public required OnceModel Once { get; init; }

    /// <summary>Interlocked.Exchange and CompareExchange of the entry word: without them there are no xchg, cmpxchg, get_and_clear and role atomics.</summary>
    public required bool Interlocked { get; init; }

    /// <summary>IEquatable&lt;T&gt;: the value and handle structs implement it, else only Equals.</summary>
    public required bool Equatable { get; init; }

    /// <summary>ObsoleteAttribute(string, bool) and Nullable&lt;T&gt;: the strong form's "== null" compile errors.</summary>
    public required bool ObsoleteError { get; init; }

    /// <summary>Object's virtual Equals(object) and GetHashCode(): the structs override them, else they have == and Equals(T) only.</summary>
    public required bool ObjectOverrides { get; init; }

    /// <summary>Object's virtual ToString, string.Concat and the word's ToString(string, CultureInfo.InvariantCulture): ToString overrides.</summary>
    public required bool Formatting { get; init; }

    /// <summary>IReadOnlyList&lt;T&gt; in the core library, ValueTuple and TupleElementNamesAttribute: HANDLEGEN_ENTRY_BITS.</summary>
    public required bool EntryBitsTable { get; init; }

    /// <summary>MethodImplAttribute: without it the generated code declares its own, internal, for AggressiveInlining.</summary>
    public required bool MethodImpl { get; init; }

    /// <summary>The warnings the generated structs would get for == without Equals and GetHashCode overrides, which Object cannot take.</summary>
    public string? OperatorWarnings => ObjectOverrides ? null : "CS0660, CS0661";
}

/// <summary>
/// How <c>pXXp_get_once</c> and <c>set_pXX</c> reach the entry word so that the access is single-copy-atomic and never
/// merged, elided or repeated (Linux's <c>READ_ONCE</c>/<c>WRITE_ONCE</c>).
/// </summary>
/// <remarks>The choice is <see cref="EntryAccess"/>'s, made with the build's settings.</remarks>
internal sealed partial record OnceModel
{
    /// <summary>The access where the word is accessed in one go.</summary>
    public required AccessVia Via { get; init; }

    /// <summary>The entry word, uint or ulong.</summary>
    public required string EntryType { get; init; }

    /// <summary>True when some process accesses the word in one go (not for a 64-bit entry on a 32-bit target).</summary>
    public required bool Direct { get; init; }

    /// <summary>True for a 64-bit entry in an AnyCPU build: <c>sizeof(nuint) == 8</c>, a constant to the JIT, picks the path.</summary>
    public required bool Sized { get; init; }

    /// <summary>How a 32-bit process accesses a 64-bit entry; null where there is no such process.</summary>
    public required NarrowAccess? Narrow { get; init; }

    /// <summary>The C# type of the volatile field: uint for a 32-bit entry, nuint for a 64-bit one.</summary>
    public string FieldType => EntryType == "uint" ? "uint" : "nuint";

    /// <summary>The cast of a value stored into the field: none for uint.</summary>
    public string FieldCast => EntryType == "uint" ? string.Empty : "(nuint)";

    /// <summary>True when some process of this build accesses 64-bit entries as two 32-bit halves: not single-copy-atomic.</summary>
    public bool Torn => EntryAccess.IsTorn(Narrow);

    /// <summary>What a torn read does, for the doc comments.</summary>
    public string TornRead => Narrow == NarrowAccess.Halves
        ? "reads the low half, the high half and the low half again until the low half holds still (Linux's <c>ptep_get_lockless</c> on 32-bit PAE)"
        : "reads it with a plain 64-bit load, which a 32-bit process does as two 32-bit loads";

    /// <summary>What a torn store does, for the doc comments.</summary>
    public string TornWrite => Narrow == NarrowAccess.Halves
        ? "stores the high half, then the low half (Linux's <c>native_set_pte</c> on 32-bit PAE), which is safe only on an entry that is not present"
        : "stores it with a plain 64-bit store, which a 32-bit process does as two 32-bit stores";
}

/// <summary>One page-table level: its names, its geometry and the form of its handle.</summary>
internal sealed partial record LevelModel
{
    /// <summary>pgd, p4d, pud, pmd or pte.</summary>
    public required string Name { get; init; }

    /// <summary>The level's index bits; 0 folds it.</summary>
    public required int Width { get; init; }

    /// <summary>The constant of the level's shift: PGDIR_SHIFT, P4D_SHIFT, …, PAGE_SHIFT.</summary>
    public required string ShiftName { get; init; }

    /// <summary>How the shift is written from the levels below (empty for pte, whose shift is PAGE_SHIFT).</summary>
    public required string ShiftExpression { get; init; }

    /// <summary>The level above; empty for pgd.</summary>
    public required string Parent { get; init; }

    /// <summary>The level below; empty for pte.</summary>
    public required string Child { get; init; }

    /// <summary>True when the level below is folded.</summary>
    public required bool ChildFolded { get; init; }

    /// <summary>True when the level's handle is strong.</summary>
    public required bool Strong { get; init; }

    /// <summary>True when an entry of the level may map a page itself (levels.json's leafLevels).</summary>
    public required bool LeafCapable { get; init; }

    /// <summary>What the level's populate stores besides the frame: a hex literal, or _PAGE_TABLE.</summary>
    public required string TableFlags { get; init; }

    /// <summary>Where <see cref="TableFlags"/> comes from, for the doc comments.</summary>
    public required string TableFlagsSource { get; init; }

    /// <summary>How many naturally aligned entries the contiguous hint joins into one block; 0 for none.</summary>
    public required int ContiguousRun { get; init; }

    /// <summary>True in the element style (see <see cref="ArchModel.Element"/>).</summary>
    public required bool Element { get; init; }

    /// <summary>The level whose table holds this level's entries: itself, or for a folded level the nearest unfolded one above.</summary>
    public required string Home { get; init; }

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
    public string OffsetName => HandleGen.Common.GeneratedApiNames.Offset.For(Name);

    public long PtrsPer => 1L << Width;

    /// <summary>Linux's name of the function that allocates this level's table under an empty parent entry: pte_alloc_kernel for pte.</summary>
    public string AllocName => IsLeaf ? "pte_alloc_kernel" : Name + "_alloc";

    /// <summary>Linux's name of the function that frees one of this level's tables: pte_free_kernel for pte.</summary>
    public string FreeName => IsLeaf ? "pte_free_kernel" : Name + "_free";

    /// <summary>The level's member of HandleGen.Runtime's PageTableLevel: Pte for pte.</summary>
    public string RuntimeLevel => char.ToUpperInvariant(Name[0]) + Name.Substring(1);
}

/// <summary>A named entry bit or field: the constant _PAGE_NAME.</summary>
internal sealed partial record EntryBitModel
{
    /// <summary>The kernel's name without its prefix: RW for _PAGE_RW.</summary>
    public required string Name { get; init; }

    /// <summary>The C# expression of the mask: <c>1UL &lt;&lt; 1</c>, <c>0x3UL &lt;&lt; 8</c>.</summary>
    public required string Value { get; init; }

    /// <summary>"bit 1" or "bits 8 to 9", for the doc comment.</summary>
    public required string Where { get; init; }
}

/// <summary>A named protection, a pgprot_t member of Pgtable.</summary>
internal sealed partial record ProtectionModel
{
    /// <summary>PAGE_KERNEL and the like.</summary>
    public required string Name { get; init; }

    /// <summary>The value as a hex literal of the entry type.</summary>
    public required string Value { get; init; }

    /// <summary>The named bits it sets, as "_PAGE_PRESENT | _PAGE_RW", plus any bits no name covers in hex.</summary>
    public required string Parts { get; init; }
}

/// <summary>One role of one bit: its constant and whether the role holds while the bit is set or clear.</summary>
internal sealed partial record RoleModel
{
    /// <summary>The bit's constant, such as <c>_PAGE_RW</c>.</summary>
    public required string Mask { get; init; }

    /// <summary>True when the role holds while the bit is clear (x86's NX, arm64's nG).</summary>
    public required bool Inverted { get; init; }

    /// <summary>The state of the bit while the role holds, for doc comments.</summary>
    public string Holds => Mask + (Inverted ? " clear" : " set");
}

/// <summary>The roles the generic helpers need; a null role has no helpers.</summary>
internal sealed partial record EntryRolesModel
{
    public required RoleModel? Write { get; init; }

    /// <summary>The hardware read-only bit paired with the write and dirty roles (arm64's PTE_RDONLY with DBM); null for none.</summary>
    public required string? Readonly { get; init; }

    public required RoleModel? User { get; init; }

    public required RoleModel? Young { get; init; }

    public required RoleModel? Dirty { get; init; }

    public required RoleModel? Exec { get; init; }

    public required RoleModel? Global { get; init; }

    /// <summary>The leaf marker's bits as one operand; null where the format names none.</summary>
    public required string? LeafMask { get; init; }

    /// <summary>The value the leaf field holds in a leaf as a literal; null for "any bit set".</summary>
    public required string? LeafValue { get; init; }

    /// <summary>True when the leaf marker is a single bit.</summary>
    public required bool LeafSingleBit { get; init; }

    /// <summary>The spec's modifyKeeps, the bits pte_modify keeps besides the frame, young and dirty; null for none.</summary>
    public required string? ModifyAlsoKeeps { get; init; }

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
