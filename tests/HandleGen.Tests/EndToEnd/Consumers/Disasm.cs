// Runs every workload once, so the JIT compiles it (with tiered compilation off: fully optimized) and
// writes its disassembly (ILCompiler, which compiles everything ahead of time, writes it at publish), and
// prints values to check by hand; then spins on ptep_get_once until another thread's store ends the spin.
using System;
using System.Runtime.InteropServices;
using System.Threading;
using HandleGen.Runtime;
using PageTables;
using Workloads;
using static PageTables.Pgtable;

unsafe
{
    const int Entries = 512;
    var table = (pte_t*)NativeMemory.AlignedAlloc(Entries * 8, 4096);
    NativeMemory.Clear(table, Entries * 8);

    PteLoops.SetPtes(table, 0x1063, Entries);
    RawLoops.SetPtes((ulong*)table, 0x1063, Entries);
    Console.WriteLine($"sums {PteLoops.SumGet(table, Entries)} {PteLoops.SumGetOnce(table, Entries)} {RawLoops.SumGet((ulong*)table, Entries)} {RawLoops.SumGetOnce((ulong*)table, Entries)}");

    // A try_cmpxchg loop on entry 2 (0x3063) sets bit 11 and returns the value it replaced.
    var replaced = PteLoops.SetBitsAtomically(table + 2, 0x800);
    Console.WriteLine($"cmpxchg 0x{replaced:x} -> 0x{*(ulong*)(table + 2):x}");

    // The spin must see a store made by another thread: ptep_get_once keeps its load inside the loop.
    // Bounded: if the store is never seen, the process says so and exits after ten seconds.
    var entry = table + 7;
    var seen = *(ulong*)entry;
    long reads = -1;
    var spinner = new Thread(() => reads = PteLoops.SpinWhileUnchanged(entry, seen, long.MaxValue)) { IsBackground = true };
    spinner.Start();
    Thread.Sleep(50);
    Volatile.Write(ref *(ulong*)entry, seen + 0x1000);
    if (!spinner.Join(TimeSpan.FromSeconds(10)))
    {
        Console.WriteLine("spin did not end");
        return 3;
    }

    Console.WriteLine($"spin ended after {(reads > 0 ? "some" : "no")} reads");

    // A walk through real tables: pgd → pud → pmd → pte (p4d folded), built with populate.
    using (var memory = new PhysicalMemory(1 << 20))
    {
        var tables = new PageTableAllocator(memory);
        var pgd = (pgd_t*)tables.Alloc(PageTableLevel.Pgd, PTRS_PER_PGD * sizeof(pgd_t));
        var pud = (pud_t*)tables.Alloc(PageTableLevel.Pud, PTRS_PER_PUD * sizeof(pud_t));
        var pmd = (pmd_t*)tables.Alloc(PageTableLevel.Pmd, PTRS_PER_PMD * sizeof(pmd_t));
        var pte = (pte_t*)tables.Alloc(PageTableLevel.Pte, PTRS_PER_PTE * sizeof(pte_t));
        const ulong addr = 0x7f12_3456_7000;
        var p4dp = p4d_offset(pgd_offset_pgd(__hw_pgdp(pgd), addr), addr);
        p4d_populate(p4dp, __hw_pudp(pud));
        pud_populate(pud_offset(p4dp, addr), __hw_pmdp(pmd));
        pmd_populate(pmd_offset(pud_offset(p4dp, addr), addr), __hw_ptep(pte));
        set_pte(hw_pte_add(__hw_ptep(pte), (int)pte_index(addr)), __pte(0xabc_d063));
        Console.WriteLine($"walk 0x{PteLoops.Walk(pgd, addr):x} 0x{RawLoops.Walk((ulong*)pgd, addr):x}");
    }

    NativeMemory.AlignedFree(table);
    return 0;
}
