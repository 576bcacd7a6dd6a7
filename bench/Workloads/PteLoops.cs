// The loops measured by the benchmarks and compared instruction by instruction by the machine-code
// test. Written once against the generated API; built in the alias and in the strong form.
using System.Runtime.CompilerServices;
using PageTables;
using static PageTables.Pgtable;

namespace Workloads;

/// <summary>Page-table loops through the generated API.</summary>
public static unsafe class PteLoops
{
    /// <summary>set_ptes over <paramref name="nr"/> entries from the start of a table.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SetPtes(pte_t* table, ulong first, int nr) => set_ptes(__hw_ptep(table), __pte(first), nr);

    /// <summary>Sums <paramref name="nr"/> entries read with ptep_get, moving with hw_pte_next.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong SumGet(pte_t* table, int nr)
    {
        ulong sum = 0;
        var ptep = __hw_ptep(table);
        for (var i = 0; i < nr; i++)
        {
            sum += pte_val(ptep_get(ptep));
            ptep = hw_pte_next(ptep);
        }

        return sum;
    }

    /// <summary>Sums <paramref name="nr"/> entries read with ptep_get_once, moving with hw_pte_next.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong SumGetOnce(pte_t* table, int nr)
    {
        ulong sum = 0;
        var ptep = __hw_ptep(table);
        for (var i = 0; i < nr; i++)
        {
            sum += pte_val(ptep_get_once(ptep));
            ptep = hw_pte_next(ptep);
        }

        return sum;
    }

    /// <summary>Spins until the entry is no longer <paramref name="seen"/> or <paramref name="limit"/> reads were made; returns the reads made.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long SpinWhileUnchanged(pte_t* entry, ulong seen, long limit)
    {
        var ptep = __hw_ptep(entry);
        long reads = 0;
        while (reads < limit && pte_val(ptep_get_once(ptep)) == seen)
            reads++;
        return reads;
    }

    /// <summary>
    /// Sets <paramref name="bits"/> in a live entry with a ptep_try_cmpxchg loop, the read-modify-write every role
    /// atomic is; returns the value it replaced.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong SetBitsAtomically(pte_t* entry, ulong bits)
    {
        var ptep = __hw_ptep(entry);
        var old = ptep_get_once(ptep);
        while (!ptep_try_cmpxchg(ptep, ref old, __pte(pte_val(old) | bits)))
        {
        }

        return pte_val(old);
    }

    /// <summary>The pte value that maps <paramref name="addr"/>: a walk from pgd_offset_pgd down to pte_offset_kernel (every level present).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Walk(pgd_t* root, ulong addr)
    {
        var pgdp = pgd_offset_pgd(__hw_pgdp(root), addr);
        var p4dp = p4d_offset(pgdp, addr);
        var pudp = pud_offset(p4dp, addr);
        var pmdp = pmd_offset(pudp, addr);
        var ptep = pte_offset_kernel(pmdp, addr);
        return pte_val(ptep_get_once(ptep));
    }

    /// <summary>The generated lookup walk (the TLB-miss path): the physical address <paramref name="addr"/> maps to, 0 when unmapped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Lookup(pgd_t* root, ulong addr) => lookup_address(__hw_pgdp(root), addr).phys;
}
