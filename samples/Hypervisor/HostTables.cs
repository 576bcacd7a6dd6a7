using HandleGen.Runtime;
using PageTables;
using static PageTables.Pgtable;

namespace Hypervisor;

/// <summary>The hypervisor's own x86-64 page tables: host virtual to host physical, 4 KiB pages.</summary>
internal sealed unsafe class HostTables(PageTableAllocator allocator)
{
    private readonly hw_pgdp root = __hw_pgdp((pgd_t*)allocator.Alloc(PageTableLevel.Pgd, PTRS_PER_PGD * sizeof(pgd_t)));

    /// <summary>Maps one 4 KiB page, creating the tables on the way down.</summary>
    public void MapPage(ulong va, ulong pa)
    {
        var pgdp = pgd_offset_pgd(root, va);
        if (pgd_none(pgdp_get(pgdp)))
            pgd_populate(pgdp, __hw_p4dp((p4d_t*)allocator.Alloc(PageTableLevel.P4d, PTRS_PER_P4D * sizeof(p4d_t))));
        var p4dp = p4d_offset(pgdp, va);
        if (p4d_none(p4dp_get(p4dp)))
            p4d_populate(p4dp, __hw_pudp((pud_t*)allocator.Alloc(PageTableLevel.Pud, PTRS_PER_PUD * sizeof(pud_t))));
        var pudp = pud_offset(p4dp, va);
        if (pud_none(pudp_get(pudp)))
            pud_populate(pudp, __hw_pmdp((pmd_t*)allocator.Alloc(PageTableLevel.Pmd, PTRS_PER_PMD * sizeof(pmd_t))));
        var pmdp = pmd_offset(pudp, va);
        if (pmd_none(pmdp_get(pmdp)))
            pmd_populate(pmdp, __hw_ptep((pte_t*)allocator.Alloc(PageTableLevel.Pte, PTRS_PER_PTE * sizeof(pte_t))));
        set_pte(pte_offset_kernel(pmdp, va), pfn_pte(pa >> PAGE_SHIFT, PAGE_KERNEL));
    }

    /// <summary>Host physical address of <paramref name="va"/>, or null where nothing is mapped.</summary>
    public ulong? Translate(ulong va)
    {
        var pgdp = pgd_offset_pgd(root, va);
        if (!pgd_present(pgdp_get(pgdp)))
            return null;
        var p4dp = p4d_offset(pgdp, va);
        if (!p4d_present(p4dp_get(p4dp)))
            return null;
        var pudp = pud_offset(p4dp, va);
        var pud = pudp_get_once(pudp);
        if (!pud_present(pud) || pud_leaf(pud))
            return null;
        var pmdp = pmd_offset(pudp, va);
        var pmd = pmdp_get_once(pmdp);
        if (!pmd_present(pmd) || pmd_leaf(pmd))
            return null;
        var pte = ptep_get(pte_offset_kernel(pmdp, va));
        return pte_present(pte) ? (pte_pfn(pte) << PAGE_SHIFT) | (va & ~PAGE_MASK) : null;
    }
}
