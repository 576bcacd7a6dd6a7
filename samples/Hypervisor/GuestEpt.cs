using HandleGen.Runtime;
using PageTables.Ept;
using static PageTables.Ept.Pgtable;
using Ept = PageTables.Ept;

namespace Hypervisor;

/// <summary>
/// One guest's EPT tables: guest physical to host physical. An EPT entry has no present bit: it is present
/// when it grants read, write or execute, which the generated <c>pte_present</c> tests. The handles are
/// named through <c>Ept.</c>: the unqualified <c>hw_pgdp</c> is the host's global alias.
/// </summary>
internal sealed unsafe class GuestEpt(PageTableAllocator allocator)
{
    private readonly Ept.hw_pgdp root = __hw_pgdp((pgd_t*)allocator.Alloc(PageTableLevel.Pgd, PTRS_PER_PGD * sizeof(pgd_t)));

    /// <summary>Host physical address of the EPT's top table, what the EPT pointer holds.</summary>
    public ulong RootPhysical => DirectMap.__pa(__hw_pgdp_ptr(root));

    /// <summary>Maps one 4 KiB page of guest RAM, readable, writable and executable.</summary>
    public void MapPage(ulong gpa, ulong hpa)
    {
        var pmdp = PmdFor(gpa);
        if (pmd_none(pmdp_get(pmdp)))
            pmd_populate(pmdp, __hw_ptep((pte_t*)allocator.Alloc(PageTableLevel.Pte, PTRS_PER_PTE * sizeof(pte_t))));
        set_pte(pte_offset_kernel(pmdp, gpa), pfn_pte(hpa >> PAGE_SHIFT, PAGE_KERNEL_EXEC));
    }

    /// <summary>Maps 2 MiB of guest RAM with one PDE that maps the page itself (bit 7 set).</summary>
    public void Map2M(ulong gpa, ulong hpa) => set_pmd(PmdFor(gpa), pmd_mkhuge(pfn_pmd(hpa >> PAGE_SHIFT, PAGE_KERNEL)));

    /// <summary>The PDE that maps <paramref name="gpa"/>, creating the tables above it.</summary>
    private Ept.hw_pmdp PmdFor(ulong gpa)
    {
        var pgdp = pgd_offset_pgd(root, gpa);
        if (pgd_none(pgdp_get(pgdp)))
            pgd_populate(pgdp, __hw_p4dp((p4d_t*)allocator.Alloc(PageTableLevel.P4d, PTRS_PER_P4D * sizeof(p4d_t))));
        var p4dp = p4d_offset(pgdp, gpa);
        if (p4d_none(p4dp_get(p4dp)))
            p4d_populate(p4dp, __hw_pudp((pud_t*)allocator.Alloc(PageTableLevel.Pud, PTRS_PER_PUD * sizeof(pud_t))));
        var pudp = pud_offset(p4dp, gpa);
        if (pud_none(pudp_get(pudp)))
            pud_populate(pudp, __hw_pmdp((pmd_t*)allocator.Alloc(PageTableLevel.Pmd, PTRS_PER_PMD * sizeof(pmd_t))));
        return pmd_offset(pudp, gpa);
    }

    /// <summary>Host physical address of <paramref name="gpa"/> and the level that mapped it, or null (an EPT violation).</summary>
    public (ulong Hpa, string Level)? Translate(ulong gpa)
    {
        var pgdp = pgd_offset_pgd(root, gpa);
        if (!pgd_present(pgdp_get(pgdp)))
            return null;
        var p4dp = p4d_offset(pgdp, gpa);
        if (!p4d_present(p4dp_get(p4dp)))
            return null;
        var pudp = pud_offset(p4dp, gpa);
        var pud = pudp_get_once(pudp);
        if (!pud_present(pud))
            return null;
        if (pud_leaf(pud))
            return ((pud_pfn(pud) << PAGE_SHIFT) | (gpa & ~PUD_MASK), "pud");
        var pmdp = pmd_offset(pudp, gpa);
        var pmd = pmdp_get_once(pmdp);
        if (!pmd_present(pmd))
            return null;
        if (pmd_leaf(pmd))
            return ((pmd_pfn(pmd) << PAGE_SHIFT) | (gpa & ~PMD_MASK), "pmd");
        var pte = ptep_get_once(pte_offset_kernel(pmdp, gpa));
        return pte_present(pte) ? ((pte_pfn(pte) << PAGE_SHIFT) | (gpa & ~PAGE_MASK), "pte") : null;
    }
}
