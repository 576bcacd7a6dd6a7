using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using HandleGen.Runtime;
using MiniMm;
using static PageTables.Pgtable;

// PageWalk: the generated API at work on real tables. Generic like MiniMm: the arch comes from the build
// (-p:HandleGenArch=… -p:HandleGenForm=…), never from this file.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var vaDigits = (VA_BITS + 3) / 4;
var entryBytes = System.Runtime.CompilerServices.Unsafe.SizeOf<PageTables.pte_t>();
string Va(ulong va) => "0x" + va.ToString("x" + vaDigits, CultureInfo.InvariantCulture);
string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
string Bytes(ulong bytes)
{
    string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    var unit = 0;
    while (unit < units.Length - 1 && bytes >= 1024 && bytes % 1024 == 0)
    {
        bytes /= 1024;
        unit++;
    }

    return bytes + " " + units[unit];
}

Console.WriteLine($"HandleGen PageWalk: arch {HANDLEGEN_ARCH}, {HANDLEGEN_FORM} form");
Console.WriteLine($"{VA_BITS}-bit virtual addresses, {Bytes(PAGE_SIZE)} pages, {8 * entryBytes}-bit entries, PFN mask {Hex(PTE_PFN_MASK)}, table flags {Hex(_PAGE_TABLE)}, PAGE_KERNEL {Hex(pgprot_val(PAGE_KERNEL))} ({Names(pgprot_val(PAGE_KERNEL))})");
Console.WriteLine();

// The geometry, one row per level.
(string Name, int Shift, int Entries, bool Folded)[] levels =
[
    ("pgd", PGDIR_SHIFT, PTRS_PER_PGD, false),
    ("p4d", P4D_SHIFT, PTRS_PER_P4D, __PAGETABLE_P4D_FOLDED),
    ("pud", PUD_SHIFT, PTRS_PER_PUD, __PAGETABLE_PUD_FOLDED),
    ("pmd", PMD_SHIFT, PTRS_PER_PMD, __PAGETABLE_PMD_FOLDED),
    ("pte", PAGE_SHIFT, PTRS_PER_PTE, false),
];
Table(
    ["level", "index bits", "shift", "entries per table", "one entry covers", "folded"],
    levels.Select(l => new[] { l.Name, BitOperations.Log2((uint)l.Entries).ToString(), l.Shift.ToString(), l.Entries.ToString(), Bytes(1UL << l.Shift), l.Folded ? "yes" : "no" }));
Console.WriteLine();

using var mm = new Mm();
var ranges = new List<(string What, ulong Va, ulong Pa, ulong Size, bool Huge)>
{
    ("crosses a pmd boundary", 3 * PMD_SIZE - 2 * PAGE_SIZE, 0x00a0_0000, 4 * PAGE_SIZE, false),
    ("low, 8 pages", 4UL << 20, 0x0200_0000, 8 * PAGE_SIZE, false),
    ("at the top of the address space", unchecked(Mm.VA_END - 4 * PAGE_SIZE), 0x0c00_0000, 4 * PAGE_SIZE, false),
    ("one pmd leaf", 8 * PMD_SIZE, 4 * PMD_SIZE, PMD_SIZE, true),
};
if (arch_vmap_pud_supported(PAGE_KERNEL) && !__PAGETABLE_PUD_FOLDED)
    ranges.Add(("one pud leaf", 2 * PUD_SIZE, PUD_SIZE, PUD_SIZE, true));
Console.WriteLine($"Mapping with PAGE_KERNEL, leaves where asked and aligned:");
foreach (var r in ranges)
{
    mm.map_range(r.Va, r.Pa, r.Size, PAGE_KERNEL, r.Huge);
    Console.WriteLine($"  {Va(r.Va)}..{Va(unchecked(r.Va + r.Size - 1))} -> {Hex(r.Pa)}  ({Bytes(r.Size)}, {r.What})");
}

Console.WriteLine();
Console.WriteLine($"Top-level table at physical {Hex(mm.PgdPhys)}");
var addresses = new List<ulong>
{
    ranges[0].Va + PAGE_SIZE + 0x123,
    ranges[0].Va + 2 * PAGE_SIZE + 0x456,
    ranges[2].Va + 3 * PAGE_SIZE + 0xabc,
    ranges[3].Va + 0x12_3456 % PMD_SIZE,
    0x1000_0000,
};
if (ranges.Count > 4)
    addresses.Insert(4, ranges[4].Va + 0x1234_5678 % PUD_SIZE);
foreach (var va in addresses)
{
    Console.WriteLine();
    Console.WriteLine($"Walk of {Va(va)}:");
    var rows = new List<string[]>();
    foreach (var step in mm.walk(va))
    {
        var name = step.Level.ToString().ToLowerInvariant();
        var points = !step.Present ? "not present: the walk stops"
            : step.Entry == 0 ? "empty (tested at the folded level below)"
            : step.Leaf ? Bytes(1UL << levels[(int)step.Level].Shift) + " page at " + Hex(step.NextPhys)
            : "next table at " + Hex(step.NextPhys);
        rows.Add(step.Folded
            ? [name, step.Index.ToString(), "", "", "", "folded: the entry above" + (step.Present ? "" : ", " + points)]
            : [name, step.Index.ToString(), Hex(step.EntryPhys), "0x" + step.Entry.ToString("x" + (2 * entryBytes), CultureInfo.InvariantCulture), Names(step.Entry), points]);
    }

    Table(["level", "index", "entry at", "entry", "flags", "points to"], rows);
    Console.WriteLine(mm.translate(va, out var pa, out var pteFlags)
        ? $"  => physical {Hex(pa)}, flags {Hex(pteFlags)} ({Names(pteFlags)})"
        : "  => not mapped");
}

Console.WriteLine();
Console.WriteLine("Tables live:");
var allocator = mm.Allocator;
Table(
    ["level", "tables"],
    levels.Select((l, i) => new[] { l.Name, l.Folded ? "- (folded)" : allocator.Live((PageTableLevel)i).ToString() }));
Console.WriteLine($"  {allocator.LiveTotal} tables, {Bytes(allocator.BytesInUse)} of physical memory ({Bytes(PAGE_SIZE)} each)");

mm.teardown();
Console.WriteLine($"After teardown: {allocator.LiveTotal} tables, {allocator.BytesInUse} bytes in use.");
return allocator.LiveTotal == 0 ? 0 : 1;

// The named bits and fields an entry has all bits of, as the kernel names them (levels.json's bits).
static string Names(ulong entry) =>
    string.Join(" ", HANDLEGEN_ENTRY_BITS.Where(b => (entry & b.Mask) == b.Mask).Select(b => b.Name));

static void Table(string[] header, IEnumerable<string[]> rows)
{
    var all = rows.Prepend(header).ToList();
    var widths = header.Select((_, c) => all.Max(r => r[c].Length)).ToArray();
    foreach (var (row, i) in all.Select((r, i) => (r, i)))
    {
        Console.WriteLine("  " + string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        if (i == 0)
            Console.WriteLine("  " + string.Join("  ", widths.Select(w => new string('-', w))));
    }
}
