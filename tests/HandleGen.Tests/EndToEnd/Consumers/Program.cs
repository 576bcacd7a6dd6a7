// A consumer that goes through the API only: it must build and behave the same in both forms.
using System;
using System.Runtime.InteropServices;
using PageTables;
using static PageTables.Pgtable;

unsafe
{
    var bytes = (nuint)(PTRS_PER_PTE * sizeof(pte_t));
    var table = (pte_t*)NativeMemory.AlignedAlloc(bytes, 4096);
    NativeMemory.Clear(table, bytes);

    // Map page frames 2, 3, 4 into entries 1, 2, 3 of the table.
    hw_ptep first = __hw_ptep(table);
    var pte = pte_next_pfn(pte_next_pfn(__pte(default)));
    set_ptes(hw_pte_add(first, 1), pte, 3);

    ulong sum = 0;
    var count = 0;
    foreach (var ptep in hw_pte_range(first, 5))
    {
        sum += pte_val(ptep_get_once(ptep));
        count++;
    }

    Console.WriteLine($"shifts {PGDIR_SHIFT} {P4D_SHIFT} {PUD_SHIFT} {PMD_SHIFT} {PAGE_SHIFT}");
    Console.WriteLine($"ptrs {PTRS_PER_PGD} {PTRS_PER_P4D} {PTRS_PER_PUD} {PTRS_PER_PMD} {PTRS_PER_PTE}");
    Console.WriteLine($"entries {count} sum 0x{sum:x} last 0x{pte_val(ptep_get(hw_pte_add(first, 3))):x}");
    NativeMemory.AlignedFree(table);
}
