using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using HandleGen.Common;
using HandleGen.Runtime;
using HandleGen.Tests.Core;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Runtime;

/// <summary>
/// samples/MiniMm, compiled for every shipped arch in both forms, against a plain dictionary model of the
/// address space (<see cref="AddressSpaceModel"/>): random map, unmap and translate (fixed seeds, translate and the generated lookup_address) around table
/// boundaries of every level and the top of the address space, with base pages and with leaves at every level
/// that may hold one. Every translate must agree with the model, a range that cuts a leaf must be refused with
/// nothing changed, the live table counts must be what the mappings need (so unmap and a leaf over a table free
/// exactly the tables that became empty), and after teardown no table is live.
/// </summary>
[Collection(PhysicalMemoryCollection.Name)]
public sealed class MiniMmDifferentialTests
{
    private const int Operations = 3000;
    private const int CheckEvery = 250;

    private const string Driver = """
        using HandleGen.Runtime;
        using MiniMm;
        using PageTables;
        using static PageTables.Pgtable;

        public static class MmDriver
        {
            private static Mm? mm;

            public static PageTableAllocator Start(ulong bytes) => (mm = new Mm(bytes)).Allocator;

            public static void Map(ulong va, ulong pa, ulong size, ulong flags, bool huge) =>
                mm!.map_range(va, pa, size, pte_pgprot(pte_set_flags(__pte(0), flags)), huge);

            public static void Unmap(ulong va, ulong size) => mm!.unmap_range(va, size);

            // MiniMm's translate and the generated lookup_address on the same tables: the model checks the lookup's
            // answer, and the two must agree.
            public static unsafe (bool Mapped, ulong Pa, ulong Flags) Translate(ulong va)
            {
                var mapped = mm!.translate(va, out var pa, out var flags);
                var found = lookup_address(__hw_pgdp((pgd_t*)DirectMap.__va(mm.PgdPhys)), va);
                if (found.mapped != mapped || found.phys != pa)
                    throw new System.InvalidOperationException($"lookup_address(0x{va:x}) gives {found.mapped} 0x{found.phys:x}, translate {mapped} 0x{pa:x}");
                return (found.mapped, found.phys, flags);
            }

            public static void Teardown() => mm!.teardown();

            public static void Stop()
            {
                mm?.Dispose();
                mm = null;
            }
        }
        """;

    /// <summary>The MiniMm sources exactly as the sample project compiles them.</summary>
    private static IEnumerable<string> MiniMmSources() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "samples", "MiniMm"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(File.ReadAllText);

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void MiniMm_agrees_with_a_dictionary_model(string arch, string form)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arch, form), MiniMmSources().Append(Driver).Select(SpecFacts.Of(arch).InArchNamespace));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics.Where(d => d.Id != "CS1591").Select(d => d.ToString()));
        var driver = CompiledAssembly.Load(run.Output).GetType("MmDriver", throwOnError: true)!;
        var map = Method<Action<ulong, ulong, ulong, ulong, bool>>(driver, "Map");
        var unmap = Method<Action<ulong, ulong>>(driver, "Unmap");
        var translate = Method<Func<ulong, (bool, ulong, ulong)>>(driver, "Translate");

        var g = Geometry.Of(arch);
        var leafLevels = EntryFormatTests.Formats[arch].Leaves.Select(l => Array.IndexOf(GeneratedApiNames.Levels, l)).ToArray();
        var model = new AddressSpaceModel(SpecFacts.Of(arch), leafLevels, CanLeaf(arch));
        var allocator = (PageTableAllocator)driver.GetMethod("Start")!.Invoke(null, [16UL << 20])!;
        try
        {
            var rng = new Random(Seed(arch, form));
            var spots = g.HotSpots(rng);
            var translated = 0;
            var refused = 0;
            var leafLevelsSeen = new HashSet<int>();
            for (var op = 1; op <= Operations; op++)
            {
                var kind = rng.Next(10);
                var huge = kind is 3 or 6;
                var (first, count, ppn) = huge ? g.LeafRange(rng, spots, model) : g.Range(rng, spots);
                var va = first << g.PageShift;
                if (kind < 4 || kind == 6)
                {
                    // Maps (kind 3 with leaves) or, kind 6, unmaps whole leaves; either is refused when it cuts a leaf.
                    var flags = g.Flags(rng);
                    Action change = kind < 4
                        ? () => map(va, ppn << g.PageShift, count << g.PageShift, flags, huge)
                        : () => unmap(va, count << g.PageShift);
                    if (model.CutsALeaf(first, first + count - 1))
                    {
                        Assert.Throws<ArgumentException>(change);
                        refused++;
                    }
                    else
                    {
                        change();
                        if (kind < 4)
                            model.Map(first, count, ppn, flags, huge);
                        else
                            model.Unmap(first, count);
                    }
                }
                else if (kind < 8)
                {
                    if (model.CutsALeaf(first, first + count - 1))
                    {
                        Assert.Throws<ArgumentException>(() => unmap(va, count << g.PageShift));
                        refused++;
                    }
                    else
                    {
                        unmap(va, count << g.PageShift);
                        model.Unmap(first, count);
                    }
                }
                else
                {
                    for (var i = 0; i < 4; i++)
                    {
                        var at = va + ((ulong)rng.NextInt64(0, (long)count) << g.PageShift) + (ulong)rng.Next(1 << g.PageShift);
                        Agree(model, translate, g, arch, at, op);
                        translated++;
                    }
                }

                if (op % CheckEvery == 0 || op == Operations)
                {
                    foreach (var vpn in model.Pages)
                        Agree(model, translate, g, arch, vpn << g.PageShift, op);
                    foreach (var (level, vpn) in model.Leaves)
                    {
                        leafLevelsSeen.Add(level);
                        var bytes = model.PagesPer(level) << g.PageShift;
                        Agree(model, translate, g, arch, vpn << g.PageShift, op);
                        Agree(model, translate, g, arch, (vpn << g.PageShift) + bytes - 1, op);
                        Agree(model, translate, g, arch, (vpn << g.PageShift) + (ulong)rng.NextInt64(0, (long)bytes), op);
                    }

                    translated += model.Pages.Count() + model.Leaves.Count();
                    Assert.Equal(model.Tables(), Enumerable.Range(0, 5).Select(l => allocator.Live((PageTableLevel)l)).ToArray());
                }
            }

            Assert.Equal(model.LeafLevels, leafLevelsSeen.Order().ToArray());
            Assert.True(refused > 0, "no operation cut a leaf, so the refusal went untested");
            Assert.True(translated > Operations, "the run translated too little to mean much");
            driver.GetMethod("Teardown")!.Invoke(null, null);
            Assert.Equal(0, allocator.LiveTotal);
            Assert.Equal(0UL, allocator.BytesInUse);
        }
        finally
        {
            driver.GetMethod("Stop")!.Invoke(null, null);
        }
    }

    private static void Agree(AddressSpaceModel model, Func<ulong, (bool, ulong, ulong)> translate, Geometry g, string arch, ulong va, int op)
    {
        var (mapped, pa, flags) = translate(va);
        var offset = va & ((1UL << g.PageShift) - 1);
        if (model.Find(va >> g.PageShift) is { } m)
        {
            Assert.True(mapped, $"op {op}: 0x{va:x} is mapped in the model, not in the tables");
            Assert.Equal((m.Ppn << g.PageShift) | offset, pa);
            Assert.Equal(m.Level == 4 ? m.Flags : LeafFlags(arch, m.Flags), flags);
        }
        else
        {
            Assert.False(mapped, $"op {op}: 0x{va:x} is mapped to 0x{pa:x} in the tables, not in the model");
        }
    }

    /// <summary>
    /// The flags of a leaf mapped with the given flags, by the kernel's definition of a leaf: x86 sets _PAGE_PSE (bit 7,
    /// pgtable.h pmd_mkhuge); arm64 makes the descriptor type a block, bits [1:0] = 0b01 (pgtable-hwdef.h
    /// PMD_TYPE_SECT); RISC-V's leaf is its R, W or X bits, unchanged (pmd_mkhuge returns the entry).
    /// </summary>
    private static ulong LeafFlags(string arch, ulong flags) =>
        arch.StartsWith("arm64", StringComparison.Ordinal) ? (flags & ~0x3UL) | 0x1
        : arch.StartsWith("riscv", StringComparison.Ordinal) ? flags
        : flags | 0x80;

    /// <summary>Whether flags can make a leaf: on RISC-V only with R, W or X (_PAGE_LEAF, pgtable-bits.h); elsewhere always.</summary>
    private static Func<ulong, bool> CanLeaf(string arch) =>
        arch.StartsWith("riscv", StringComparison.Ordinal) ? f => (f & 0xe) != 0 : _ => true;

    private static T Method<T>(Type type, string name)
        where T : Delegate => type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<T>();

    private static int Seed(string arch, string form)
    {
        var seed = 20260624;
        foreach (var c in arch + "/" + form)
            seed = unchecked(seed * 31 + c);
        return seed;
    }

    /// <summary>
    /// Where the random operations go and what they should cost, from levels.json's numbers (<see cref="SpecFacts"/>)
    /// and the kernel's rules, independent of the generator.
    /// </summary>
    private sealed class Geometry(SpecFacts facts)
    {
        public int PageShift => facts.PageShift;

        public ulong MaxPfn => facts.MaxPfn;

        public ulong Top => 1UL << facts.VaBits; // every shipped arch has fewer than 64 VA bits

        public static Geometry Of(string arch) => new(SpecFacts.Of(arch));

        /// <summary>
        /// Places where ranges start and end: 0, the top of the address space, and multiples of the size one
        /// entry of each unfolded upper level covers (where a table of the level below ends and the next begins).
        /// </summary>
        public ulong[] HotSpots(Random rng)
        {
            var spots = new List<ulong> { 0, Top };
            for (var level = 0; level < 4; level++)
            {
                if (facts.Folded(level))
                    continue;
                var shift = facts.Shift(level);
                var multiples = 1L << Math.Min(facts.VaBits - shift, 62);
                spots.Add(Top - (1UL << shift)); // the last boundary below the top
                for (var i = 0; i < 4; i++)
                    spots.Add((ulong)rng.NextInt64(1, multiples) << shift);
            }

            return spots.ToArray();
        }

        /// <summary>A page range around a hot spot, mostly a few pages, sometimes more than a whole pte table, and a physical page to map it to.</summary>
        public (ulong First, ulong Count, ulong Ppn) Range(Random rng, ulong[] spots)
        {
            var spot = spots[rng.Next(spots.Length)] >> PageShift;
            var before = (ulong)rng.Next(0, 12);
            var pages = rng.Next(20) == 0 ? (ulong)rng.Next(1, 3 << facts.Widths[4]) : (ulong)rng.Next(1, 24);
            var first = spot >= before ? spot - before : 0;
            var last = Math.Min(first + pages, Top >> PageShift);
            if (last == first)
                first--;
            var ppn = (ulong)rng.NextInt64(0, (long)Math.Min(MaxPfn - (last - first) + 1, 1UL << 30));
            return (first, last - first, ppn);
        }

        /// <summary>
        /// A range of one or two whole leaves of a random leaf level near a hot spot, with up to two pages more on each
        /// side, mapped to a physical range aligned like it, or (one time in four) misaligned by one leaf of the next
        /// smaller level or by a page, so that smaller leaves or base pages must be used.
        /// </summary>
        public (ulong First, ulong Count, ulong Ppn) LeafRange(Random rng, ulong[] spots, AddressSpaceModel model)
        {
            var levels = model.LeafLevels;
            var pick = rng.Next(levels.Length);
            var size = model.PagesPer(levels[pick]);
            var top = Top >> PageShift;
            var blocks = (ulong)rng.Next(1, 3);
            var block = Math.Min((spots[rng.Next(spots.Length)] >> PageShift) / size, top / size - blocks);
            var before = block > 0 ? (ulong)rng.Next(0, 3) : 0;
            var after = (block + blocks) * size < top ? (ulong)rng.Next(0, 3) : 0;
            var ppn = (ulong)rng.NextInt64(1, (long)(Math.Min(MaxPfn, 1UL << 30) / size - blocks - 1)) * size;
            if (rng.Next(4) == 0)
                ppn += pick + 1 < levels.Length ? model.PagesPer(levels[pick + 1]) : 1;
            return (block * size - before, blocks * size + before + after, ppn - before);
        }

        /// <summary>Flags for a mapping: present (bit 0, the shipped arches' default) and any bits below the PFN field.</summary>
        public ulong Flags(Random rng) => 1UL | ((ulong)rng.NextInt64() & ((1UL << facts.PfnShift) - 1));

        /// <summary>
        /// The tables the mapped pages need, per level: one top-level table, and for each unfolded lower level
        /// one table per distinct block of the size a whole table of that level covers. Folded levels have none.
        /// </summary>
        public int[] TablesFor(IEnumerable<ulong> vpns)
        {
            var tables = new int[5];
            tables[0] = 1;
            var pages = vpns.ToList();
            for (var level = 1; level < 5; level++)
            {
                if (facts.Folded(level))
                    continue;
                var span = facts.Shift(level) + facts.Widths[level] - PageShift;
                tables[level] = pages.Select(p => p >> span).Distinct().Count();
            }

            return tables;
        }
    }
}
