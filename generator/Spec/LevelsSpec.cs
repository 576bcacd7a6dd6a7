using System.Collections.Generic;

namespace HandleGen.Generator.Spec;

/// <summary>The five page-table levels, top to bottom, as Linux names them.</summary>
internal static class LevelNames
{
    public static readonly string[] All = { "pgd", "p4d", "pud", "pmd", "pte" };

    public static int IndexOf(string name) => System.Array.IndexOf(All, name);
}

/// <summary>A validated levels.json: only produced when the file has no errors.</summary>
internal sealed class LevelsSpec
{
    public LevelsSpec(string @namespace, string defaultArch, List<ArchSpec> arches, JsonMember archesMember)
    {
        Namespace = @namespace;
        DefaultArch = defaultArch;
        Arches = arches;
        ArchesMember = archesMember;
    }

    public string Namespace { get; }

    public string DefaultArch { get; }

    public List<ArchSpec> Arches { get; }

    /// <summary>Where the arches are, for faults of the build switches that name one.</summary>
    public JsonMember ArchesMember { get; }
}

/// <summary>One architecture's page-table geometry and entry format.</summary>
internal sealed class ArchSpec
{
    public ArchSpec(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public int PageShift { get; set; }

    public int EntryBits { get; set; }

    /// <summary>"alias" or "strong"; null when the key is absent.</summary>
    public string? Form { get; set; }

    public string? Namespace { get; set; }

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
}
