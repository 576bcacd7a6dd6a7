// Races on live entries, written with the API so the same text builds in both forms. Marked lines are real
// faults; the look-alikes below them are correct and must not be reported.
using PageTables;
using static PageTables.Pgtable;

public static unsafe class Races
{
    public static bool ReadTwice(hw_ptep ptep) => pte_present(ptep_get(ptep)) && pte_pfn(ptep_get_once(ptep)) != 0; // expect HG1201

    public static ulong ReadTwiceApart(hw_pmdp pmdp)
    {
        var first = pmdp_get_once(pmdp);
        if (pmd_none(first))
            return 0;
        return pmd_pfn(pmdp_get(pmdp)); // expect HG1201
    }

    public static void SetAccessed(hw_ptep ptep) => set_pte(ptep, __pte(pte_val(ptep_get(ptep)) | 0x20)); // expect HG1202
    public static void SetTableFlag(hw_pudp pudp) => set_pud(pudp, __pud(pud_val(pudp_get_once(pudp)) | _PAGE_TABLE)); // expect HG1202
    public static void WrongLevel(hw_pmdp pmdp, ulong addr) => pmd_clear(hw_pmd_add(pmdp, (int)pud_index(addr))); // expect HG1203
    public static pmd_t WrongTable(pmd_t* table, ulong addr) => table[pud_index(addr)]; // expect HG1203

    // Look-alikes: two different entries, a store between the reads, the handle moved, exclusive branches.
    public static bool TwoEntries(hw_ptep ptep) => pte_present(ptep_get(ptep)) && pte_present(ptep_get(hw_pte_next(ptep)));

    public static ulong ReadStoreRead(hw_ptep ptep)
    {
        var before = ptep_get(ptep);
        set_pte(ptep, default);
        return pte_val(before) + pte_val(ptep_get(ptep));
    }

    public static ulong ReadProtectRead(hw_ptep ptep)
    {
        var before = ptep_get_once(ptep);
        ptep_set_wrprotect(ptep);
        var after = ptep_get_once(ptep);
        return ptep_test_and_clear_young(ptep) ? pte_val(before) ^ pte_val(after) : pte_val(ptep_get_once(ptep));
    }

    public static ulong Moved(hw_ptep ptep)
    {
        var here = ptep_get(ptep);
        ptep = hw_pte_next(ptep);
        return pte_val(here) + pte_val(ptep_get(ptep));
    }

    public static ulong Branches(hw_ptep ptep, bool young) =>
        young ? pte_val(ptep_get(ptep)) : pte_pfn(ptep_get(ptep));

    public static ulong EarlyReturn(hw_ptep ptep, bool young)
    {
        if (young)
        {
            var seen = ptep_get(ptep);
            return pte_val(seen);
        }

        return pte_pfn(ptep_get(ptep));
    }

    public static void Loop(hw_ptep ptep, int nr)
    {
        for (var i = 0; i < nr; i++)
        {
            if (pte_none(ptep_get(ptep)))
                set_pte(ptep, __pte(0x1));
            ptep = hw_pte_next(ptep);
        }
    }

    public static void CopyEntry(hw_ptep to, hw_ptep from) => set_pte(to, ptep_get(from));
    public static void RightLevel(hw_pmdp pmdp, ulong addr) => pmd_clear(hw_pmd_add(pmdp, (int)pmd_index(addr)));
    public static pmd_t RightTable(pmd_t* table, ulong addr) => table[pmd_index(addr)];

    public static void SetAccessedAtomically(hw_ptep ptep)
    {
        var old = ptep_get_once(ptep);
        while (!ptep_try_cmpxchg(ptep, ref old, __pte(pte_val(old) | 0x20)))
        {
        }
    }
}
