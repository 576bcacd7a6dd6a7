// The same races spelled with pointers, as alias-form code has them.
using PageTables;
using static PageTables.Pgtable;

public static unsafe class AliasRaces
{
    public static bool DerefThenGet(hw_ptep p) => pte_present(*p) && pte_pfn(ptep_get(p)) != 0; // expect HG1201
    public static void OrInPlace(hw_pmdp p) => *p = __pmd(p->pmd | _PAGE_TABLE); // expect HG1202
    public static void ClearInPlace(hw_ptep p, int i) => p[i] = __pte(p[i].pte & ~0x40UL); // expect HG1202
    public static void StoreFromSelf(hw_ptep p) => *p = __pte(pte_val(*p) | 0x40); // expect HG1202
    public static pmd_t WrongIndex(hw_pmdp p, ulong addr) => p[pud_index(addr)]; // expect HG1203
    public static hw_pmdp WrongOffset(hw_pmdp p, ulong addr) => p + pud_index(addr); // expect HG1203

    // Look-alikes.
    public static bool TwoEntries(hw_ptep p) => pte_present(p[0]) && pte_present(p[1]);
    public static void Copy(hw_ptep to, hw_ptep from) => *to = *from;
}
