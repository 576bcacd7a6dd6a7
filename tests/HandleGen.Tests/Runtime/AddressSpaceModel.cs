using System;
using System.Collections.Generic;
using System.Linq;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Runtime;

/// <summary>
/// What MiniMm's address space should hold, kept as plain dictionaries: base pages by virtual page number and
/// leaves by (level, first virtual page number). It applies the kernel's rules independently of the generated
/// code: vmap_range's choice of the largest leaf that the range and the alignment of both addresses allow,
/// MiniMm's refusal of a range that covers part of a leaf, and which tables a set of mappings needs.
/// </summary>
internal sealed class AddressSpaceModel(SpecFacts facts, int[] leafLevels, Func<ulong, bool> canLeaf)
{
    private readonly Dictionary<ulong, (ulong Ppn, ulong Flags)> pages = new();
    private readonly Dictionary<(int Level, ulong Vpn), (ulong Ppn, ulong Flags)> leaves = new();

    /// <summary>The leaf levels, largest leaf first.</summary>
    public int[] LeafLevels { get; } = leafLevels.Order().ToArray();

    public IEnumerable<ulong> Pages => pages.Keys;

    public IEnumerable<(int Level, ulong Vpn)> Leaves => leaves.Keys;

    /// <summary>Base pages one leaf of the level maps.</summary>
    public ulong PagesPer(int level) => 1UL << (facts.Shift(level) - facts.PageShift);

    /// <summary>The mapping of a virtual page: the physical page, the flags given to map, and the leaf level (4 for a pte).</summary>
    public (ulong Ppn, ulong Flags, int Level)? Find(ulong vpn)
    {
        if (pages.TryGetValue(vpn, out var page))
            return (page.Ppn, page.Flags, 4);
        foreach (var level in LeafLevels)
        {
            var start = vpn & ~(PagesPer(level) - 1);
            if (leaves.TryGetValue((level, start), out var leaf))
                return (leaf.Ppn + (vpn - start), leaf.Flags, level);
        }

        return null;
    }

    /// <summary>True when [first, last] covers part of a leaf: MiniMm then refuses the operation and changes nothing.</summary>
    public bool CutsALeaf(ulong first, ulong last)
    {
        foreach (var at in new[] { first, last })
        {
            if (Find(at) is { Level: < 4 } hit)
            {
                var start = at & ~(PagesPer(hit.Level) - 1);
                if (start < first || start + PagesPer(hit.Level) - 1 > last)
                    return true;
            }
        }

        return false;
    }

    public void Map(ulong first, ulong count, ulong ppn, ulong flags, bool huge)
    {
        Unmap(first, count);
        for (var vpn = first; vpn < first + count;)
        {
            var target = ppn + (vpn - first);
            var level = huge && canLeaf(flags)
                ? LeafLevels.Cast<int?>().FirstOrDefault(l => Whole(vpn, target, first + count, PagesPer(l!.Value)))
                : null;
            if (level is { } leafLevel)
            {
                leaves[(leafLevel, vpn)] = (target, flags);
                vpn += PagesPer(leafLevel);
            }
            else
            {
                pages[vpn] = (target, flags);
                vpn++;
            }
        }
    }

    public void Unmap(ulong first, ulong count)
    {
        var end = first + count;
        if (count < (ulong)pages.Count)
        {
            for (var vpn = first; vpn < end; vpn++)
                pages.Remove(vpn);
        }
        else
        {
            foreach (var vpn in pages.Keys.Where(v => v >= first && v < end).ToList())
                pages.Remove(vpn);
        }

        foreach (var key in leaves.Keys.Where(k => k.Vpn >= first && k.Vpn < end).ToList())
            leaves.Remove(key);
    }

    /// <summary>
    /// The tables the mappings need, per level: one top-level table, and for each unfolded lower level one table per
    /// distinct block of the size a whole table of that level covers, counting a leaf's block only down to its level.
    /// </summary>
    public int[] Tables()
    {
        var tables = new int[5];
        tables[0] = 1;
        for (var level = 1; level < 5; level++)
        {
            if (facts.Folded(level))
                continue;
            var span = facts.Shift(level) + facts.Widths[level] - facts.PageShift;
            tables[level] = pages.Keys.Concat(leaves.Keys.Where(k => k.Level >= level).Select(k => k.Vpn))
                .Select(v => v >> span).Distinct().Count();
        }

        return tables;
    }

    // A leaf of size pages at vpn: aligned on both sides and wholly before end.
    private static bool Whole(ulong vpn, ulong ppn, ulong end, ulong size) =>
        ((vpn | ppn) & (size - 1)) == 0 && end - vpn >= size;
}
