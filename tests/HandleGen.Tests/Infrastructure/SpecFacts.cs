using System.Linq;
using System.Text.Json;
using HandleGen.Common;

namespace HandleGen.Tests.Infrastructure;

/// <summary>
/// One arch's inputs as levels.json states them, read with an ordinary JSON reader: the tests
/// compute expected values from these and the kernel's definitions, never from generator output.
/// </summary>
internal sealed record SpecFacts(string Arch, int PageShift, int EntryBits, int[] Widths, int PfnShift, int PfnBits, string Namespace)
{
    public static SpecFacts Of(string arch, string? specText = null)
    {
        using var doc = JsonDocument.Parse(specText ?? GeneratorHarness.ShippedSpec);
        var a = doc.RootElement.GetProperty("arches").GetProperty(arch);
        var levels = a.GetProperty("levels");
        var pageShift = a.GetProperty("pageShift").GetInt32();
        var entryBits = a.GetProperty("entryBits").GetInt32();
        var pfnShift = a.TryGetProperty("pfnShift", out var shift) ? shift.GetInt32() : pageShift;
        return new SpecFacts(
            arch,
            pageShift,
            entryBits,
            GeneratedApiNames.Levels.Select(l => levels.GetProperty(l).GetInt32()).ToArray(),
            pfnShift,
            a.TryGetProperty("pfnBits", out var bits) ? bits.GetInt32() : entryBits - pfnShift,
            a.TryGetProperty("namespace", out var ns) ? ns.GetString()!
                : doc.RootElement.TryGetProperty("namespace", out var rootNs) ? rootNs.GetString()! : "PageTables");
    }

    /// <summary>
    /// Test code written against the default namespace, moved to the arch's own (the second-stage formats
    /// have one, so that a build can hold them beside a host format).
    /// </summary>
    public string InArchNamespace(string source) =>
        Namespace == "PageTables" ? source : source.Replace("PageTables;", Namespace + ";").Replace("PageTables.Pgtable", Namespace + ".Pgtable");

    /// <summary>The generated <c>Pgtable</c> class's full name.</summary>
    public string PgtableType => Namespace + ".Pgtable";

    public string EntryType => EntryBits == 64 ? "System.UInt64" : "System.UInt32";

    /// <summary>The kernel's SHIFT(L): PAGE_SHIFT plus the widths of every level below L.</summary>
    public int Shift(int level) => PageShift + Widths.Skip(level + 1).Sum();

    public ulong Size(int level) => 1UL << Shift(level);

    public int PtrsPer(int level) => 1 << Widths[level];

    public bool Folded(int level) => Widths[level] == 0;

    public ulong EntryMask => EntryBits == 64 ? ulong.MaxValue : uint.MaxValue;

    /// <summary>The largest page frame number the PFN field holds.</summary>
    public ulong MaxPfn => PfnBits == 64 ? ulong.MaxValue : (1UL << PfnBits) - 1;

    public int VaBits => PageShift + Widths.Sum();
}
