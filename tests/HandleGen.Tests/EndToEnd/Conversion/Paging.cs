// A paging module in the style of a hobby kernel, written against the alias form with the usual pointer
// spellings: *p, p->pte, p[i], p++, p + n, casts from the allocator, == null. The conversion test builds it in
// the alias form, converts it with dotnet format, and builds and runs it in the strong form.
using HandleGen.Runtime;
using PageTables;
using static HandleGen.Runtime.DirectMap;
using static PageTables.Pgtable;

public static unsafe class Paging
{
    private static PageTableAllocator tables = null!;
    private static hw_pgdp root;

    public static void init(PageTableAllocator allocator)
    {
        tables = allocator;
        root = (hw_pgdp)allocator.Alloc(PageTableLevel.Pgd, PTRS_PER_PGD * sizeof(pgd_t));
    }

    public static ulong root_phys() => __pa(root);

    private static ulong table_pfn(void* table) => __pa(table) >> PAGE_SHIFT;

    // The next-level table an entry points to, or null when the entry is empty.
    private static hw_pudp pud_table(hw_p4dp p4d)
    {
        if (p4d_none(*p4d))
            return null;
        return (hw_pudp)__va(p4d_page_paddr(*p4d));
    }

    private static hw_pmdp pmd_table(hw_pudp pud)
    {
        if (pud_none(*pud))
            return null;
        return (hw_pmdp)__va(pud_page_paddr(*pud));
    }

    private static hw_ptep pte_table(hw_pmdp pmd)
    {
        if (pmd_none(*pmd))
            return null;
        return (hw_ptep)__va(pmd_page_paddr(*pmd));
    }

    // Walks to the pte of va, allocating missing tables on the way.
    private static hw_ptep walk_alloc(ulong va)
    {
        hw_pgdp pgd = root + pgd_index(va);
        hw_p4dp p4d = p4d_offset(pgd, va);
        if (p4d_none(*p4d))
        {
            hw_pudp fresh = (hw_pudp)tables.Alloc(PageTableLevel.Pud, PTRS_PER_PUD * sizeof(pud_t));
            *p4d = pfn_p4d(table_pfn(fresh), __pgprot(_PAGE_TABLE));
        }

        hw_pudp pud = pud_table(p4d) + pud_index(va);
        if (pud_none(*pud))
        {
            hw_pmdp fresh = (hw_pmdp)tables.Alloc(PageTableLevel.Pmd, PTRS_PER_PMD * sizeof(pmd_t));
            *pud = pfn_pud(table_pfn(fresh), __pgprot(_PAGE_TABLE));
        }

        hw_pmdp pmd = pmd_table(pud);
        pmd += pmd_index(va);
        if (pmd_none(pmd[0]))
        {
            hw_ptep fresh = (hw_ptep)tables.Alloc(PageTableLevel.Pte, PTRS_PER_PTE * sizeof(pte_t));
            pmd[0] = pfn_pmd(table_pfn(fresh), __pgprot(_PAGE_TABLE));
        }

        hw_ptep pte = pte_table(pmd);
        return &pte[pte_index(va)];
    }

    // Walks to the pte of va without allocating; null when a table on the way is missing.
    private static hw_ptep walk(ulong va)
    {
        hw_p4dp p4d = p4d_offset(root + pgd_index(va), va);
        hw_pudp pud = pud_table(p4d);
        if (pud == null)
            return null;
        hw_pmdp pmd = pmd_table(pud + pud_index(va));
        if (pmd == null)
            return null;
        hw_ptep pte = pte_table(pmd + pmd_index(va));
        if (pte == null)
            return null;
        return pte + pte_index(va);
    }

    public static void map(ulong va, ulong pa, ulong size, ulong flags)
    {
        for (ulong off = 0; off < size; off += PAGE_SIZE)
        {
            hw_ptep pte = walk_alloc(va + off);
            *pte = pfn_pte((pa + off) >> PAGE_SHIFT, __pgprot(flags));
        }
    }

    // Maps a run of pages that stays inside one pte table, stepping the handle as the loop goes.
    public static void map_run(ulong va, ulong pa, int pages, ulong flags)
    {
        hw_ptep pte = walk_alloc(va);
        for (int i = 0; i < pages; i++)
        {
            pte[i] = pfn_pte((pa >> PAGE_SHIFT) + (ulong)i, __pgprot(flags));
        }
    }

    public static bool translate(ulong va, out ulong pa)
    {
        pa = 0;
        hw_ptep pte = walk(va);
        if (pte == null || !pte_present(*pte))
            return false;
        pa = (pte_pfn(*pte) << PAGE_SHIFT) | (va & ~PAGE_MASK);
        return true;
    }

    public static int unmap(ulong va, ulong size)
    {
        int cleared = 0;
        for (ulong off = 0; off < size; off += PAGE_SIZE)
        {
            hw_ptep pte = walk(va + off);
            if (pte != null && pte_present(*pte))
            {
                *pte = default;
                cleared++;
            }
        }

        return cleared;
    }

    // Counts the present entries of one pte table, walking it with a stepped handle.
    private static int count_table(hw_ptep table)
    {
        int n = 0;
        hw_ptep p = table;
        for (int i = 0; i < PTRS_PER_PTE; i++, p++)
        {
            if (pte_present(*p))
                n++;
        }

        return n;
    }

    // Counts mapped pages over every level: pgd entries, then pud, pmd and pte tables.
    public static int count_mapped()
    {
        int n = 0;
        hw_pgdp pgd = root;
        for (int g = 0; g < PTRS_PER_PGD; g++)
        {
            hw_pudp pud = pud_table(p4d_offset(pgd, (ulong)g << PGDIR_SHIFT));
            ++pgd;
            if (pud == null)
                continue;
            for (int u = 0; u < PTRS_PER_PUD; u++)
            {
                hw_pmdp pmd = pmd_table(pud + u);
                if (pmd == null)
                    continue;
                for (int m = 0; m < PTRS_PER_PMD; m++)
                {
                    hw_ptep pte = pte_table(pmd + m);
                    if (pte != null)
                        n += count_table(pte);
                }
            }
        }

        return n;
    }

    // Frees the pte tables that hold no mapping, scanning each pmd table up to its end.
    public static int free_empty_pte_tables(ulong va)
    {
        hw_pudp pud = pud_table(p4d_offset(root + pgd_index(va), va));
        if (pud == null)
            return 0;
        hw_pmdp pmd = pmd_table(pud + pud_index(va));
        if (pmd == null)
            return 0;
        int freed = 0;
        hw_pmdp end = pmd + PTRS_PER_PMD;
        for (hw_pmdp p = pmd; p < end; p += 1)
        {
            hw_ptep pte = pte_table(p);
            if (pte != null && count_table(pte) == 0)
            {
                tables.Free(PageTableLevel.Pte, pte);
                *p = __pmd(0);
                freed++;
            }
        }

        return freed;
    }
}
