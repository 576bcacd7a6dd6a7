using System;
using System.Collections.Generic;
using System.Globalization;
using HandleGen.Runtime;
using PageTables;
using static PageTables.Pgtable;

namespace MiniMm;

/// <summary>
/// One address space: a top-level table and the tables under it, in simulated physical memory. Generic mm
/// code in the shape of Linux's vmap and free_pgtables paths, written once against the generated API: it
/// never names an arch, and the same source builds in the alias and the strong form.
/// </summary>
/// <remarks>
/// Virtual addresses run from 0 to 2^VA_BITS (exclusive), as the tables index them; a range may end exactly
/// at the top. With VA_BITS = 64 the top is written 0, and the kernel's <c>pXX_addr_end</c> rule makes the
/// loops stop there. Folded levels need no special case here: the generated <c>none</c>, <c>populate</c>,
/// <c>offset</c> and <c>clear</c> of their parents behave as pgtable-nop4d.h, -nopud.h and -nopmd.h make them;
/// the generated <c>pXX_alloc</c>, <c>pte_alloc_kernel</c> and frees, which take tables from the allocator made
/// here (HandleGen.Runtime's <c>PageTableAllocator.Current</c>), skip a folded level as the kernel's do.
/// Not thread-safe. The TLB is the caller's, as in Linux: a kernel flushes it after <see cref="unmap_range"/>
/// (<c>flush_tlb_kernel_range</c>) and after remapping a page in <see cref="map_range"/>, before it frees a table or reuses a page.
/// </remarks>
public sealed unsafe class Mm : IDisposable
{
    /// <summary>The last virtual address the tables translate: 2^VA_BITS - 1.</summary>
    public const ulong VA_LAST = VA_BITS >= 64 ? ulong.MaxValue : (1UL << VA_BITS) - 1;

    /// <summary>The end of the address space: 2^VA_BITS, or 0 when that wraps (VA_BITS = 64).</summary>
    public const ulong VA_END = unchecked(VA_LAST + 1);

    /// <summary>The largest page frame number an entry can hold.</summary>
    public const ulong MAX_PFN = PTE_PFN_MASK >> PFN_PTE_SHIFT;

    private readonly PhysicalMemory memory;
    private readonly PageTableAllocator allocator;
    private hw_pgdp pgd;

    /// <summary>Makes physical memory of <paramref name="physicalBytes"/> bytes and an empty address space in it.</summary>
    /// <param name="physicalBytes">Bytes of simulated physical memory for the tables: a whole number of pages.</param>
    /// <exception cref="ArgumentOutOfRangeException">The memory is too large for a table's page frame number to fit an entry.</exception>
    public Mm(ulong physicalBytes = 16UL << 20)
    {
        if (physicalBytes == 0 || (physicalBytes - 1) >> PAGE_SHIFT > MAX_PFN)
        {
            throw new ArgumentOutOfRangeException(nameof(physicalBytes), physicalBytes,
                Invariant($"A table's physical address must fit the entry's PFN field: at most 0x{MAX_PFN + 1:x} pages."));
        }

        memory = new PhysicalMemory(physicalBytes, PAGE_SHIFT);
        try
        {
            allocator = new PageTableAllocator(memory);
            pgd = pgd_alloc();
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    /// <summary>The allocator that holds the tables: its live counts say what the address space costs.</summary>
    public PageTableAllocator Allocator => allocator;

    /// <summary>The physical address of the top-level table, what an MMU's root register would hold.</summary>
    public ulong PgdPhys => DirectMap.__pa(__hw_pgdp_ptr(Root()));

    /// <summary>
    /// Maps [<paramref name="va"/>, <paramref name="va"/> + <paramref name="size"/>) to physical addresses from
    /// <paramref name="pa"/> on, allocating the tables it needs. Pages mapped already are remapped. With
    /// <paramref name="huge"/>, each part of the range that covers a whole leaf-sized block at a level that may hold
    /// leaves (<c>arch_vmap_pud_supported</c> and friends), with its virtual and physical addresses both aligned to
    /// that size, is mapped by one leaf of the largest such size, as the kernel's <c>vmap_range</c> does with huge
    /// mappings; tables below a block mapped that way are freed.
    /// </summary>
    /// <param name="va">Start of the virtual range, page-aligned.</param>
    /// <param name="pa">Start of the physical range, page-aligned; the range's last page frame must fit an entry.</param>
    /// <param name="size">Bytes to map, a non-zero multiple of the page size, ending at the top of the address space at the latest.</param>
    /// <param name="prot">The protection of every page: a present one (<see cref="Pgtable.PAGE_KERNEL"/>, say), without PFN bits.</param>
    /// <param name="huge">True to map with leaves above the pte level where alignment allows.</param>
    /// <exception cref="ArgumentException">
    /// An argument breaks the rules above, or the range covers part of a leaf: a leaf is never split, so map or
    /// unmap all of it (nothing is changed then).
    /// </exception>
    /// <exception cref="PhysicalMemoryExhaustedException">No memory for a table; what was mapped before stays mapped.</exception>
    public void map_range(ulong va, ulong pa, ulong size, pgprot_t prot, bool huge = false)
    {
        var end = CheckRange(va, size);
        if ((pa & ~PAGE_MASK) != 0 || (pa >> PAGE_SHIFT) > MAX_PFN || ((size >> PAGE_SHIFT) - 1) > MAX_PFN - (pa >> PAGE_SHIFT))
            throw new ArgumentOutOfRangeException(nameof(pa), Invariant($"Physical range 0x{pa:x} + 0x{size:x} is unaligned or past the largest page frame 0x{MAX_PFN:x}."));
        if ((pgprot_val(prot) & PTE_PFN_MASK) != 0 || !pte_present(__pte(pgprot_val(prot))))
            throw new ArgumentException(Invariant($"Protection 0x{pgprot_val(prot):x} must make a pte present and set no bit of PTE_PFN_MASK."), nameof(prot));
        CheckWholeLeaves(va, end);

        // As the kernel's vmap_range: carry pa - va down, so each level adds its address back.
        var map = new MapRequest(unchecked(pa - va), prot, huge);
        var addr = va;
        var pgdp = pgd_offset_pgd(Root(), addr);
        do
        {
            var next = pgd_addr_end(addr, end);
            map_p4d_range(p4d_alloc(pgdp, addr), addr, next, map);
            pgdp = hw_pgd_next(pgdp);
            addr = next;
        }
        while (addr != end);
    }

    /// <summary>
    /// Unmaps [<paramref name="va"/>, <paramref name="va"/> + <paramref name="size"/>): clears its ptes and leaves and
    /// frees every table that becomes empty, up to (not including) the top-level table. Unmapped pages are skipped.
    /// </summary>
    /// <param name="va">Start of the virtual range, page-aligned.</param>
    /// <param name="size">Bytes to unmap, a non-zero multiple of the page size.</param>
    /// <exception cref="ArgumentException">
    /// The range is unaligned, empty or past the top of the address space, or it covers part of a leaf: a leaf is
    /// never split, so unmap all of it (nothing is changed then).
    /// </exception>
    public void unmap_range(ulong va, ulong size)
    {
        var end = CheckRange(va, size);
        CheckWholeLeaves(va, end);
        unmap_pgd_range(va, end);
    }

    /// <summary>
    /// Looks up the physical address that <paramref name="va"/> maps to, walking the tables as an MMU does: down to
    /// the pte, or to the first entry that is a leaf.
    /// </summary>
    /// <param name="va">Any virtual address below 2^VA_BITS.</param>
    /// <param name="pa">The physical address, page offset included; 0 when unmapped.</param>
    /// <param name="flags">The flags of the pte or leaf that maps it; 0 when unmapped.</param>
    /// <returns>True when <paramref name="va"/> is mapped.</returns>
    public bool translate(ulong va, out ulong pa, out ulong flags)
    {
        CheckAddress(va);
        var found = Find(va);
        pa = found.Mapped ? found.Pa | (va & ~found.Mask) : 0;
        flags = found.Mapped ? found.Flags : 0;
        return found.Mapped;
    }

    /// <summary>
    /// The walk of <paramref name="va"/> level by level, as the kernel's <c>show_pte</c> prints it: one step per
    /// level down to the first entry that is not present or is a leaf, folded levels included (they repeat their
    /// parent's entry).
    /// </summary>
    /// <param name="va">Any virtual address below 2^VA_BITS.</param>
    public IReadOnlyList<WalkStep> walk(ulong va)
    {
        CheckAddress(va);
        var steps = new List<WalkStep>(5);
        var pgdp = pgd_offset_pgd(Root(), va);
        var pgdv = pgdp_get_once(pgdp);
        steps.Add(new(PageTableLevel.Pgd, false, (int)pgd_index(va), Phys(__hw_pgdp_ptr(pgdp)), pgd_val(pgdv), pgd_present(pgdv), pgd_leaf(pgdv), pgd_pfn(pgdv) << PAGE_SHIFT));
        if (!pgd_present(pgdv) || pgd_leaf(pgdv))
            return steps;
        var p4dp = p4d_offset(pgdp, va);
        var p4dv = p4dp_get_once(p4dp);
        steps.Add(new(PageTableLevel.P4d, __PAGETABLE_P4D_FOLDED, (int)p4d_index(va), Phys(__hw_p4dp_ptr(p4dp)), p4d_val(p4dv), p4d_present(p4dv), p4d_leaf(p4dv), p4d_pfn(p4dv) << PAGE_SHIFT));
        if (!p4d_present(p4dv) || p4d_leaf(p4dv))
            return steps;
        var pudp = pud_offset(p4dp, va);
        var pudv = pudp_get_once(pudp);
        steps.Add(new(PageTableLevel.Pud, __PAGETABLE_PUD_FOLDED, (int)pud_index(va), Phys(__hw_pudp_ptr(pudp)), pud_val(pudv), pud_present(pudv), pud_leaf(pudv), pud_pfn(pudv) << PAGE_SHIFT));
        if (!pud_present(pudv) || pud_leaf(pudv))
            return steps;
        var pmdp = pmd_offset(pudp, va);
        var pmdv = pmdp_get_once(pmdp);
        steps.Add(new(PageTableLevel.Pmd, __PAGETABLE_PMD_FOLDED, (int)pmd_index(va), Phys(__hw_pmdp_ptr(pmdp)), pmd_val(pmdv), pmd_present(pmdv), pmd_leaf(pmdv), pmd_pfn(pmdv) << PAGE_SHIFT));
        if (!pmd_present(pmdv) || pmd_leaf(pmdv))
            return steps;
        var ptep = pte_offset_kernel(pmdp, va);
        var ptev = ptep_get_once(ptep);
        steps.Add(new(PageTableLevel.Pte, false, (int)pte_index(va), Phys(__hw_ptep_ptr(ptep)), pte_val(ptev), pte_present(ptev), pte_present(ptev), pte_pfn(ptev) << PAGE_SHIFT));
        return steps;
    }

    /// <summary>
    /// Frees every table, the top-level one included, as the kernel's <c>free_pgtables</c> and <c>pgd_free</c>
    /// do at exit. Afterwards the allocator has no live table and this address space can no longer be used.
    /// </summary>
    public void teardown()
    {
        if (hw_pgdp_is_null(pgd))
            return;
        unmap_pgd_range(0, VA_END);
        pgd_free(pgd);
        pgd = default;
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

    // Each level first tries one leaf for [addr, next), as the kernel's vmap_try_huge_pud and friends do, and
    // else steps down; a leaf in the way (wholly inside the range, CheckWholeLeaves saw to that) is cleared first.
    private void map_p4d_range(hw_p4dp p4dp, ulong addr, ulong end, MapRequest map)
    {
        do
        {
            var next = p4d_addr_end(addr, end);
            if (!try_huge_p4d(p4dp, addr, next, map))
            {
                p4d_clear_huge(p4dp);
                map_pud_range(pud_alloc(p4dp, addr), addr, next, map);
            }

            p4dp = hw_p4d_next(p4dp);
            addr = next;
        }
        while (addr != end);
    }

    private void map_pud_range(hw_pudp pudp, ulong addr, ulong end, MapRequest map)
    {
        do
        {
            var next = pud_addr_end(addr, end);
            if (!try_huge_pud(pudp, addr, next, map))
            {
                pud_clear_huge(pudp);
                map_pmd_range(pmd_alloc(pudp, addr), addr, next, map);
            }

            pudp = hw_pud_next(pudp);
            addr = next;
        }
        while (addr != end);
    }

    private void map_pmd_range(hw_pmdp pmdp, ulong addr, ulong end, MapRequest map)
    {
        do
        {
            var next = pmd_addr_end(addr, end);
            if (!try_huge_pmd(pmdp, addr, next, map))
            {
                pmd_clear_huge(pmdp);

                // [addr, next) lies in one pte table, so one set_ptes maps it.
                var nr = (int)(unchecked(next - addr) >> PAGE_SHIFT);
                set_ptes(pte_alloc_kernel(pmdp, addr), pfn_pte(unchecked(addr + map.Delta) >> PAGE_SHIFT, map.Prot), nr);
            }

            pmdp = hw_pmd_next(pmdp);
            addr = next;
        }
        while (addr != end);
    }

    // The kernel's vmap_try_huge_p4d, _pud and _pmd: a leaf when the format allows one at the level, the block is
    // whole and aligned on both sides (the format allowing a leaf of the protection: on RISC-V it must grant R, W or X);
    // a table under the entry is emptied and freed first (pmd_free_pte_page).
    private bool try_huge_p4d(hw_p4dp p4dp, ulong addr, ulong next, MapRequest map)
    {
        if (!map.Huge || !arch_vmap_p4d_supported(map.Prot) || !IsBlock(addr, next, map.Delta, P4D_SIZE))
            return false;
        var old = p4dp_get_once(p4dp);
        if (p4d_present(old) && !p4d_leaf(old))
        {
            unmap_pud_range(p4dp, addr, next);
            free_pud_table_if_empty(p4dp);
        }

        return p4d_set_huge(p4dp, unchecked(addr + map.Delta), map.Prot) != 0;
    }

    private bool try_huge_pud(hw_pudp pudp, ulong addr, ulong next, MapRequest map)
    {
        if (!map.Huge || !arch_vmap_pud_supported(map.Prot) || !IsBlock(addr, next, map.Delta, PUD_SIZE))
            return false;
        var old = pudp_get_once(pudp);
        if (pud_present(old) && !pud_leaf(old))
        {
            unmap_pmd_range(pudp, addr, next);
            free_pmd_table_if_empty(pudp);
        }

        return pud_set_huge(pudp, unchecked(addr + map.Delta), map.Prot) != 0;
    }

    private bool try_huge_pmd(hw_pmdp pmdp, ulong addr, ulong next, MapRequest map)
    {
        if (!map.Huge || !arch_vmap_pmd_supported(map.Prot) || !IsBlock(addr, next, map.Delta, PMD_SIZE))
            return false;
        var old = pmdp_get_once(pmdp);
        if (pmd_present(old) && !pmd_leaf(old))
        {
            unmap_pte_range(pmdp, addr, next);
            free_pte_table_if_empty(pmdp);
        }

        return pmd_set_huge(pmdp, unchecked(addr + map.Delta), map.Prot) != 0;
    }

    // True when [addr, next) is one whole block of size bytes and its physical address is aligned as well.
    private static bool IsBlock(ulong addr, ulong next, ulong delta, ulong size) =>
        unchecked(next - addr) == size && ((addr | unchecked(addr + delta)) & (size - 1)) == 0;

    private void unmap_pgd_range(ulong addr, ulong end)
    {
        var pgdp = pgd_offset_pgd(Root(), addr);
        do
        {
            var next = pgd_addr_end(addr, end);
            if (!pgd_none(pgdp_get_once(pgdp)))
            {
                unmap_p4d_range(pgdp, addr, next);
                free_p4d_table_if_empty(pgdp);
            }

            pgdp = hw_pgd_next(pgdp);
            addr = next;
        }
        while (addr != end);
    }

    private void unmap_p4d_range(hw_pgdp pgdp, ulong addr, ulong end)
    {
        var p4dp = p4d_offset(pgdp, addr);
        do
        {
            var next = p4d_addr_end(addr, end);
            // p4d_clear_huge returns nothing, as Linux's: a leaf it cleared leaves the entry none (vunmap_p4d_range).
            p4d_clear_huge(p4dp);
            if (!p4d_none(p4dp_get_once(p4dp)))
            {
                unmap_pud_range(p4dp, addr, next);
                free_pud_table_if_empty(p4dp);
            }

            p4dp = hw_p4d_next(p4dp);
            addr = next;
        }
        while (addr != end);
    }

    private void unmap_pud_range(hw_p4dp p4dp, ulong addr, ulong end)
    {
        var pudp = pud_offset(p4dp, addr);
        do
        {
            var next = pud_addr_end(addr, end);
            if (!pud_none(pudp_get_once(pudp)) && pud_clear_huge(pudp) == 0)
            {
                unmap_pmd_range(pudp, addr, next);
                free_pmd_table_if_empty(pudp);
            }

            pudp = hw_pud_next(pudp);
            addr = next;
        }
        while (addr != end);
    }

    private void unmap_pmd_range(hw_pudp pudp, ulong addr, ulong end)
    {
        var pmdp = pmd_offset(pudp, addr);
        do
        {
            var next = pmd_addr_end(addr, end);
            if (!pmd_none(pmdp_get_once(pmdp)) && pmd_clear_huge(pmdp) == 0)
            {
                unmap_pte_range(pmdp, addr, next);
                free_pte_table_if_empty(pmdp);
            }

            pmdp = hw_pmd_next(pmdp);
            addr = next;
        }
        while (addr != end);
    }

    private static void unmap_pte_range(hw_pmdp pmdp, ulong addr, ulong end)
    {
        foreach (var ptep in hw_pte_range(pte_offset_kernel(pmdp, addr), (int)(unchecked(end - addr) >> PAGE_SHIFT)))
            ptep_get_and_clear(ptep);
    }

    // Each frees the table under one entry once all of its entries are none: clear the entry, then free
    // (the kernel's free_pte_range order). A folded level's table is its parent's entry, so its none test
    // reads that entry, its parent's clear does nothing and its free does nothing.
    private void free_pte_table_if_empty(hw_pmdp pmdp)
    {
        var table = pte_offset_kernel(pmdp, 0);
        foreach (var ptep in hw_pte_range(table, PTRS_PER_PTE))
        {
            if (!pte_none(ptep_get(ptep)))
                return;
        }

        pmd_clear(pmdp);
        pte_free_kernel(table);
    }

    private void free_pmd_table_if_empty(hw_pudp pudp)
    {
        var table = pmd_offset(pudp, 0);
        foreach (var pmdp in hw_pmd_range(table, PTRS_PER_PMD))
        {
            if (!pmd_none(pmdp_get(pmdp)))
                return;
        }

        pud_clear(pudp);
        pmd_free(table);
    }

    private void free_pud_table_if_empty(hw_p4dp p4dp)
    {
        var table = pud_offset(p4dp, 0);
        foreach (var pudp in hw_pud_range(table, PTRS_PER_PUD))
        {
            if (!pud_none(pudp_get(pudp)))
                return;
        }

        p4d_clear(p4dp);
        pud_free(table);
    }

    private void free_p4d_table_if_empty(hw_pgdp pgdp)
    {
        var table = p4d_offset(pgdp, 0);
        foreach (var p4dp in hw_p4d_range(table, PTRS_PER_P4D))
        {
            if (!p4d_none(p4dp_get(p4dp)))
                return;
        }

        pgd_clear(pgdp);
        p4d_free(table);
    }

    // Refuses a range that covers part of a leaf, before anything changes: only the leaves at its two ends can.
    private void CheckWholeLeaves(ulong va, ulong end)
    {
        var last = unchecked(end - 1);
        foreach (var at in new[] { va, last })
        {
            var found = Find(at);
            if (found.Mapped && found.Mask != PAGE_MASK && ((at & found.Mask) < va || (at | ~found.Mask) > last))
            {
                throw new ArgumentException(Invariant(
                    $"Range 0x{va:x}..0x{last:x} covers part of the {~found.Mask + 1 >> 10} KiB leaf at 0x{at & found.Mask:x}; a leaf is never split, so map or unmap all of it."));
            }
        }
    }

    // The entry that maps va: its physical address, the mask of its page and its flags, or Mapped false. A leaf's
    // address comes from its pfn, which leaves out the flag bits a leaf may keep below its size.
    private Translation Find(ulong va)
    {
        var pgdp = pgd_offset_pgd(Root(), va);
        var pgd = pgdp_get_once(pgdp);
        if (!pgd_present(pgd))
            return default;
        if (pgd_leaf(pgd))
            return new(true, pgd_pfn(pgd) << PAGE_SHIFT, PGDIR_MASK, pgd_flags(pgd));
        var p4dp = p4d_offset(pgdp, va);
        var p4d = p4dp_get_once(p4dp);
        if (!p4d_present(p4d))
            return default;
        if (p4d_leaf(p4d))
            return new(true, p4d_pfn(p4d) << PAGE_SHIFT, P4D_MASK, p4d_flags(p4d));
        var pudp = pud_offset(p4dp, va);
        var pud = pudp_get_once(pudp);
        if (!pud_present(pud))
            return default;
        if (pud_leaf(pud))
            return new(true, pud_pfn(pud) << PAGE_SHIFT, PUD_MASK, pud_flags(pud));
        var pmdp = pmd_offset(pudp, va);
        var pmd = pmdp_get_once(pmdp);
        if (!pmd_present(pmd))
            return default;
        if (pmd_leaf(pmd))
            return new(true, pmd_pfn(pmd) << PAGE_SHIFT, PMD_MASK, pmd_flags(pmd));
        var pte = ptep_get_once(pte_offset_kernel(pmdp, va));
        return pte_present(pte) ? new(true, pte_page_paddr(pte), PAGE_MASK, pte_flags(pte)) : default;
    }

    private hw_pgdp Root()
    {
        if (hw_pgdp_is_null(pgd))
            throw new ObjectDisposedException(nameof(Mm), "The address space has been torn down.");
        return pgd;
    }

    private static ulong Phys(void* entry) => DirectMap.__pa(entry);

    private static void CheckAddress(ulong va)
    {
        if (va > VA_LAST)
            throw new ArgumentOutOfRangeException(nameof(va), va, Invariant($"Virtual address 0x{va:x} is past the top of the {VA_BITS}-bit address space."));
    }

    /// <summary>Checks a range and returns its end, 0 when it reaches 2^64.</summary>
    private static ulong CheckRange(ulong va, ulong size)
    {
        if (((va | size) & ~PAGE_MASK) != 0 || size == 0 || va > VA_LAST || size - 1 > VA_LAST - va)
        {
            throw new ArgumentOutOfRangeException(nameof(size), Invariant(
                $"Range 0x{va:x} + 0x{size:x} must be page-aligned, non-empty and end at 2^{VA_BITS} at the latest."));
        }

        return unchecked(va + size);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What one map_range call asks for: the offset from virtual to physical, the protection, and whether leaves may be used.</summary>
internal readonly record struct MapRequest(ulong Delta, pgprot_t Prot, bool Huge);

/// <summary>Where a translation ends: the page's physical address, the mask of its size and the flags of its entry.</summary>
internal readonly record struct Translation(bool Mapped, ulong Pa, ulong Mask, ulong Flags);

/// <summary>One level of a walk, as <see cref="Mm.walk"/> reports it.</summary>
/// <param name="Level">The level.</param>
/// <param name="Folded">True when the level is folded: its entry is its parent's, read again.</param>
/// <param name="Index">The level's index of the address.</param>
/// <param name="EntryPhys">The physical address of the entry.</param>
/// <param name="Entry">The entry's value.</param>
/// <param name="Present">True when the entry is present.</param>
/// <param name="Leaf">True when the entry maps a page itself (always at the pte level, when present): the walk ends here.</param>
/// <param name="NextPhys">
/// The physical address in the entry: of the next table, or of the page a leaf maps; meaningful when present.
/// </param>
public readonly record struct WalkStep(PageTableLevel Level, bool Folded, int Index, ulong EntryPhys, ulong Entry, bool Present, bool Leaf, ulong NextPhys);
