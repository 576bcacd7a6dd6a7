// The hand-written baseline of samples/MiniMm: the same address space on raw ulong* tables, as x86_64
// page-table code is written without HandleGen. It uses the same memory (PhysicalMemory, the
// PageTableAllocator, DirectMap.__va/__pa) and the same algorithm as MiniMm.Mm, read for read and store for
// store: addr_end loops, one run of pte stores per pte table, an atomic exchange per cleared pte, tables
// that become empty freed; an offset step reads its parent entry again, as Linux's pXX_offset does. What
// it leaves out is the type layer: no handles, no entry structs, no folded p4d level (x86_64 4-level code
// has none). Its argument checks and their messages have MiniMm's shape too, so that the JIT makes the same
// inlining decisions (MiniMm's CheckAddress is too large to inline, and so is this one). The benchmarks
// report MiniMm in both forms as a ratio to this.
using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using HandleGen.Runtime;

namespace Workloads;

/// <summary>An x86_64 (4-level, 4 KiB pages) address space on raw pointers: MiniMm's map, unmap and translate.</summary>
public sealed unsafe class RawMm : IDisposable
{
    private const int PageShift = 12;
    private const ulong PageSize = 1UL << PageShift;
    private const ulong PageMask = ~(PageSize - 1);
    private const int PmdShift = 21;
    private const int PudShift = 30;
    private const int PgdirShift = 39;
    private const ulong IndexMask = 511;
    private const int PtrsPerTable = 512;
    private const ulong PfnMask = 0x000F_FFFF_FFFF_F000;
    private const ulong Present = 1;
    private const ulong TableFlags = 0x63;
    private const int VaBits = 48;
    private const ulong VaLast = (1UL << VaBits) - 1;
    private const ulong VaEnd = VaLast + 1;
    private const ulong MaxPfn = PfnMask >> PageShift;

    private readonly PhysicalMemory memory;
    private readonly PageTableAllocator allocator;
    private ulong* pgd;

    /// <summary>Makes physical memory of <paramref name="physicalBytes"/> bytes and an empty address space in it.</summary>
    /// <param name="physicalBytes">Bytes of simulated physical memory for the tables: a whole number of pages.</param>
    public RawMm(ulong physicalBytes = 16UL << 20)
    {
        if (physicalBytes == 0 || (physicalBytes - 1) >> PageShift > MaxPfn)
            throw new ArgumentOutOfRangeException(nameof(physicalBytes), physicalBytes, "A table's physical address must fit the entry's PFN field.");
        memory = new PhysicalMemory(physicalBytes, PageShift);
        try
        {
            allocator = new PageTableAllocator(memory);
            pgd = Alloc(PageTableLevel.Pgd);
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    /// <summary>The allocator that holds the tables.</summary>
    public PageTableAllocator Allocator => allocator;

    /// <summary>Maps [<paramref name="va"/>, <paramref name="va"/> + <paramref name="size"/>) to physical addresses from <paramref name="pa"/> on.</summary>
    /// <param name="va">Start of the virtual range, page-aligned.</param>
    /// <param name="pa">Start of the physical range, page-aligned.</param>
    /// <param name="size">Bytes to map, a non-zero multiple of the page size.</param>
    /// <param name="flags">The flags of every pte: present, and no PFN bit.</param>
    public void map_range(ulong va, ulong pa, ulong size, ulong flags)
    {
        var end = CheckRange(va, size);
        if ((pa & ~PageMask) != 0 || (pa >> PageShift) > MaxPfn || ((size >> PageShift) - 1) > MaxPfn - (pa >> PageShift))
            throw new ArgumentOutOfRangeException(nameof(pa), Invariant($"Physical range 0x{pa:x} + 0x{size:x} is unaligned or past the largest page frame 0x{MaxPfn:x}."));
        if ((flags & PfnMask) != 0 || (flags & Present) == 0)
            throw new ArgumentException(Invariant($"Flags 0x{flags:x} must include the present bit and no PFN bit."), nameof(flags));

        var delta = unchecked(pa - va);
        var addr = va;
        var pgdp = Root() + ((addr >> PgdirShift) & IndexMask);
        do
        {
            var next = AddrEnd(addr, end, PgdirShift);
            map_pud_range(pud_alloc(pgdp, addr), addr, next, delta, flags);
            pgdp++;
            addr = next;
        }
        while (addr != end);
    }

    /// <summary>Unmaps [<paramref name="va"/>, <paramref name="va"/> + <paramref name="size"/>) and frees every table that becomes empty but the top-level one.</summary>
    /// <param name="va">Start of the virtual range, page-aligned.</param>
    /// <param name="size">Bytes to unmap, a non-zero multiple of the page size.</param>
    public void unmap_range(ulong va, ulong size) => unmap_pgd_range(va, CheckRange(va, size));

    /// <summary>Looks up the physical address that <paramref name="va"/> maps to.</summary>
    /// <param name="va">Any virtual address below 2^48.</param>
    /// <param name="pa">The physical address, page offset included; 0 when unmapped.</param>
    /// <param name="flags">The pte's flags; 0 when unmapped.</param>
    /// <returns>True when <paramref name="va"/> is mapped.</returns>
    public bool translate(ulong va, out ulong pa, out ulong flags)
    {
        pa = 0;
        flags = 0;
        CheckAddress(va);
        var pgdp = Root() + ((va >> PgdirShift) & IndexMask);
        if ((Volatile.Read(ref *pgdp) & Present) == 0)
            return false;
        var pudp = Table(pgdp) + ((va >> PudShift) & IndexMask);
        if ((Volatile.Read(ref *pudp) & Present) == 0)
            return false;
        var pmdp = Table(pudp) + ((va >> PmdShift) & IndexMask);
        if ((Volatile.Read(ref *pmdp) & Present) == 0)
            return false;
        var pte = Volatile.Read(ref *(Table(pmdp) + ((va >> PageShift) & IndexMask)));
        if ((pte & Present) == 0)
            return false;
        pa = (pte & PfnMask) | (va & ~PageMask);
        flags = pte & ~PfnMask;
        return true;
    }

    /// <summary>Frees every table, the top-level one included.</summary>
    public void teardown()
    {
        if (pgd == null)
            return;
        unmap_pgd_range(0, VaEnd);
        allocator.Free(PageTableLevel.Pgd, pgd);
        pgd = null;
    }

    /// <summary>Tears down the tables and frees the physical memory.</summary>
    public void Dispose()
    {
        if (!memory.IsDisposed)
        {
            teardown();
            memory.Dispose();
        }
    }

    private void map_pud_range(ulong* pudp, ulong addr, ulong end, ulong delta, ulong flags)
    {
        do
        {
            var next = AddrEnd(addr, end, PudShift);
            map_pmd_range(pmd_alloc(pudp, addr), addr, next, delta, flags);
            pudp++;
            addr = next;
        }
        while (addr != end);
    }

    private void map_pmd_range(ulong* pmdp, ulong addr, ulong end, ulong delta, ulong flags)
    {
        do
        {
            var next = AddrEnd(addr, end, PmdShift);
            var nr = (int)(unchecked(next - addr) >> PageShift);
            SetPtes(pte_alloc(pmdp, addr), ((unchecked(addr + delta) >> PageShift << PageShift) & PfnMask) | flags, nr);
            pmdp++;
            addr = next;
        }
        while (addr != end);
    }

    private static void SetPtes(ulong* ptep, ulong pte, int nr)
    {
        if (nr <= 0)
            return;
        for (;;)
        {
            Volatile.Write(ref *ptep, pte);
            if (--nr == 0)
                break;
            ptep++;
            pte += PageSize;
        }
    }

    private void unmap_pgd_range(ulong addr, ulong end)
    {
        var pgdp = Root() + ((addr >> PgdirShift) & IndexMask);
        do
        {
            var next = AddrEnd(addr, end, PgdirShift);
            if (Volatile.Read(ref *pgdp) != 0)
            {
                unmap_pud_range(pgdp, addr, next);
                FreeIfEmpty(pgdp, PageTableLevel.Pud);
            }

            pgdp++;
            addr = next;
        }
        while (addr != end);
    }

    private void unmap_pud_range(ulong* pgdp, ulong addr, ulong end)
    {
        var pudp = Table(pgdp) + ((addr >> PudShift) & IndexMask);
        do
        {
            var next = AddrEnd(addr, end, PudShift);
            if (Volatile.Read(ref *pudp) != 0)
            {
                unmap_pmd_range(pudp, addr, next);
                FreeIfEmpty(pudp, PageTableLevel.Pmd);
            }

            pudp++;
            addr = next;
        }
        while (addr != end);
    }

    private void unmap_pmd_range(ulong* pudp, ulong addr, ulong end)
    {
        var pmdp = Table(pudp) + ((addr >> PmdShift) & IndexMask);
        do
        {
            var next = AddrEnd(addr, end, PmdShift);
            if (Volatile.Read(ref *pmdp) != 0)
            {
                unmap_pte_range(pmdp, addr, next);
                FreeIfEmpty(pmdp, PageTableLevel.Pte);
            }

            pmdp++;
            addr = next;
        }
        while (addr != end);
    }

    private static void unmap_pte_range(ulong* pmdp, ulong addr, ulong end)
    {
        var ptep = Table(pmdp) + ((addr >> PageShift) & IndexMask);
        var nr = (int)(unchecked(end - addr) >> PageShift);
        for (var i = 0; i < nr; i++)
            Interlocked.Exchange(ref ptep[i], 0UL);
    }

    // Frees the table under one entry once all of its entries are zero: clear the entry, then free.
    private void FreeIfEmpty(ulong* entry, PageTableLevel level)
    {
        var table = Table(entry);
        for (var i = 0; i < PtrsPerTable; i++)
        {
            if (table[i] != 0)
                return;
        }

        Volatile.Write(ref *entry, 0UL);
        allocator.Free(level, table);
    }

    private ulong* pud_alloc(ulong* pgdp, ulong addr) => Populated(pgdp, PageTableLevel.Pud) + ((addr >> PudShift) & IndexMask);

    private ulong* pmd_alloc(ulong* pudp, ulong addr) => Populated(pudp, PageTableLevel.Pmd) + ((addr >> PmdShift) & IndexMask);

    private ulong* pte_alloc(ulong* pmdp, ulong addr) => Populated(pmdp, PageTableLevel.Pte) + ((addr >> PageShift) & IndexMask);

    // Gives an empty entry a new table of the level below, then steps into the table it points to.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong* Populated(ulong* entry, PageTableLevel child)
    {
        if (Volatile.Read(ref *entry) == 0)
            Volatile.Write(ref *entry, (DirectMap.__pa(Alloc(child)) & PfnMask) | TableFlags);
        return Table(entry);
    }

    private ulong* Alloc(PageTableLevel level) => (ulong*)allocator.Alloc(level, PtrsPerTable * sizeof(ulong));

    // The table an entry points to: read the entry once, mask out the physical address, map it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong* Table(ulong* entry) => (ulong*)DirectMap.__va(Volatile.Read(ref *entry) & PfnMask);

    // The kernel's pXX_addr_end: the end of the entry's range or end, whichever comes first, wrap-safe.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddrEnd(ulong addr, ulong end, int shift)
    {
        var boundary = unchecked((addr + (1UL << shift)) & ~((1UL << shift) - 1));
        return unchecked(boundary - 1 < end - 1) ? boundary : end;
    }

    private ulong* Root()
    {
        if (pgd == null)
            throw new ObjectDisposedException(nameof(RawMm), "The address space has been torn down.");
        return pgd;
    }

    private static void CheckAddress(ulong va)
    {
        if (va > VaLast)
            throw new ArgumentOutOfRangeException(nameof(va), va, Invariant($"Virtual address 0x{va:x} is past the top of the {VaBits}-bit address space."));
    }

    private static ulong CheckRange(ulong va, ulong size)
    {
        if (((va | size) & ~PageMask) != 0 || size == 0 || va > VaLast || size - 1 > VaLast - va)
        {
            throw new ArgumentOutOfRangeException(nameof(size), Invariant(
                $"Range 0x{va:x} + 0x{size:x} must be page-aligned, non-empty and end at 2^{VaBits} at the latest."));
        }

        return unchecked(va + size);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
