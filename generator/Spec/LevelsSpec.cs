using System.Collections.Generic;

namespace HandleGen.Generator.Spec;

/// <summary>The five levels, top to bottom: the one list in common/GeneratedApiNames.cs, which the analyzers share.</summary>
internal static class LevelNames
{
    public static readonly string[] All = HandleGen.Common.GeneratedApiNames.Levels;

    public static int IndexOf(string name) => HandleGen.Common.GeneratedApiNames.LevelIndex(name);
}

/// <summary>A validated levels.json: only produced when the file has no errors.</summary>
internal sealed class LevelsSpec
{
    public LevelsSpec(string @namespace, string? defaultArch, List<ArchSpec> arches, JsonMember archesMember)
    {
        Namespace = @namespace;
        DefaultArch = defaultArch;
        Arches = arches;
        ArchesMember = archesMember;
    }

    public string Namespace { get; }

    /// <summary>The arch built when HandleGenArch is not set; null only when the build sets it.</summary>
    public string? DefaultArch { get; }

    public List<ArchSpec> Arches { get; }

    /// <summary>Where the arches are, for faults of the build switches that name one.</summary>
    public JsonMember ArchesMember { get; }
}

/// <summary>One architecture's page-table geometry and entry format.</summary>
internal sealed class ArchSpec
{
    public ArchSpec(string name, JsonMember member)
    {
        Name = name;
        Member = member;
    }

    public string Name { get; }

    /// <summary>Where the arch is in levels.json, for faults found when several arches are built together.</summary>
    public JsonMember Member { get; }

    public int PageShift { get; set; }

    public int EntryBits { get; set; }

    /// <summary>The arch's form (<c>form</c>); null when the key is absent.</summary>
    public HandleForm? Form { get; set; }

    /// <summary>The arch's direct map (<c>directMap</c>); null when the key is absent.</summary>
    public DirectMapChoice? DirectMap { get; set; }

    public string? Namespace { get; set; }

    /// <summary>The Linux release whose headers the arch's bits and protections follow ("v6.12"); null when the key is absent.</summary>
    public string? Kernel { get; set; }

    /// <summary>The arch's style (<c>style</c>); null when the key is absent.</summary>
    public HandleStyle? Style { get; set; }

    /// <summary>Index width of pgd, p4d, pud, pmd, pte in that order; 0 folds a level.</summary>
    public int[] Widths { get; } = new int[5];

    /// <summary>Bit position of the page frame number in an entry (Linux's PFN_PTE_SHIFT).</summary>
    public int? PfnShift { get; set; }

    /// <summary>How many bits the page frame number field has.</summary>
    public int? PfnBits { get; set; }

    /// <summary>The bit that marks an entry present (valid).</summary>
    public int? PresentBit { get; set; }

    /// <summary>Flag bits of an entry that points to the next table.</summary>
    public ulong? TableFlags { get; set; }

    /// <summary>Flag bits of a pte that maps a kernel data page (Linux's PAGE_KERNEL).</summary>
    public ulong? PageFlags { get; set; }

    /// <summary>The entry's named bits and fields, in levels.json order (key "bits").</summary>
    public List<EntryBit> Bits { get; } = new();

    /// <summary>The roles of named bits that the generic helpers need (key "roles"); null when absent.</summary>
    public EntryRoles? Roles { get; set; }

    /// <summary>Flags of a kernel-only table entry (x86's _KERNPG_TABLE), key "kernelTableFlags".</summary>
    public ulong? KernelTableFlags { get; set; }

    /// <summary>Per level, what its populate stores when it differs from tableFlags (key "levelTableFlags").</summary>
    public ulong?[] LevelTableFlags { get; } = new ulong?[5];

    /// <summary>Per level, whether an entry of it may map a page itself (key "leafLevels").</summary>
    public bool[] LeafLevels { get; } = new bool[5];

    /// <summary>The named protections (key "protections"), in levels.json order.</summary>
    public List<KeyValuePair<string, ulong>> Protections { get; } = new();

    /// <summary>The contiguous hint bit (arm64's PTE_CONT), null when the format has none.</summary>
    public EntryBit? ContiguousBit { get; set; }

    /// <summary>Per level, how many naturally aligned entries the hint joins into one block (0: none).</summary>
    public int[] ContiguousRuns { get; } = new int[5];
}

/// <summary>A named bit (width 1) or multi-bit field of an entry, as the kernel names it without its prefix.</summary>
internal sealed record EntryBit(string Name, int Shift, int Width)
{
    public ulong Mask => (Width == 64 ? ulong.MaxValue : (1UL << Width) - 1) << Shift;
}

/// <summary>A role played by one named bit, set when the role holds or, inverted, clear when it holds.</summary>
internal sealed record BitRole(EntryBit Bit, bool Inverted);

/// <summary>
/// What the generic helpers read and write: present is a mask (present when any bit of it is set), a
/// leaf marker is a mask with an optional field value (without a value: a leaf when any bit is set).
/// </summary>
internal sealed class EntryRoles
{
    public List<EntryBit> Present { get; } = new();

    public BitRole? Write { get; set; }

    /// <summary>A hardware read-only bit paired with a software write bit and dirty bit (arm64's PTE_RDONLY with DBM).</summary>
    public EntryBit? Readonly { get; set; }

    public BitRole? User { get; set; }

    public BitRole? Young { get; set; }

    public BitRole? Dirty { get; set; }

    public BitRole? Exec { get; set; }

    public BitRole? Global { get; set; }

    public List<EntryBit> Leaf { get; } = new();

    /// <summary>Bits pte_modify keeps from the entry besides the frame, young and dirty (x86's PCD and PWT of _PAGE_CHG_MASK).</summary>
    public List<EntryBit> ModifyKeeps { get; } = new();

    /// <summary>The value the leaf field holds in a leaf, shifted into place; null for "any bit set".</summary>
    public ulong? LeafValue { get; set; }
}
