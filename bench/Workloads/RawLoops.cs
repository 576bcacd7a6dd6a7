// The hand-written baseline: the same loops on a raw ulong*, as page-table code is written without
// HandleGen. The benchmarks report every API loop as a ratio to these.
using System.Runtime.CompilerServices;
using System.Threading;
using HandleGen.Runtime;

namespace Workloads;

/// <summary>Page-table loops on raw pointers.</summary>
public static unsafe class RawLoops
{
    // x86_64, the arch the machine-code test and the benchmarks use: PFN_PTE_SHIFT, the PFN field, 9-bit indexes.
    private const int PfnShift = 12;
    private const ulong PfnMask = 0x000F_FFFF_FFFF_F000;
    private const ulong IndexMask = 511;
    private const ulong Present = 1;
    private const ulong Pse = 1UL << 7;

    /// <summary>The set_ptes loop on a raw pointer: store, advance the pointer and the PFN.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SetPtes(ulong* ptep, ulong pte, int nr)
    {
        if (nr <= 0)
            return;
        for (;;)
        {
            Volatile.Write(ref *ptep, pte);
            if (--nr == 0)
                break;
            ptep++;
            pte += 1UL << PfnShift;
        }
    }

    /// <summary>The physical limit of set_ptes: a plain store loop over the same bytes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Store(ulong* ptep, ulong pte, int nr)
    {
        for (var i = 0; i < nr; i++)
            ptep[i] = pte + ((ulong)i << PfnShift);
    }

    /// <summary>Sums <paramref name="nr"/> entries with plain loads.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong SumGet(ulong* ptep, int nr)
    {
        ulong sum = 0;
        for (var i = 0; i < nr; i++)
        {
            sum += *ptep;
            ptep++;
        }

        return sum;
    }

    /// <summary>Sums <paramref name="nr"/> entries with volatile loads.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong SumGetOnce(ulong* ptep, int nr)
    {
        ulong sum = 0;
        for (var i = 0; i < nr; i++)
        {
            sum += Volatile.Read(ref *ptep);
            ptep++;
        }

        return sum;
    }

    /// <summary>
    /// The x86_64 walk written by hand: each level reads its entry once, masks out the next table's
    /// physical address, maps it through the direct map and indexes it (p4d is folded: no step).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Walk(ulong* root, ulong addr)
    {
        var pgd = root + ((addr >> 39) & IndexMask);
        var pud = (ulong*)DirectMap.__va(Volatile.Read(ref *pgd) & PfnMask) + ((addr >> 30) & IndexMask);
        var pmd = (ulong*)DirectMap.__va(Volatile.Read(ref *pud) & PfnMask) + ((addr >> 21) & IndexMask);
        var pte = (ulong*)DirectMap.__va(Volatile.Read(ref *pmd) & PfnMask) + ((addr >> PfnShift) & IndexMask);
        return Volatile.Read(ref *pte);
    }

    /// <summary>
    /// The TLB-miss path written by hand for x86_64, as lookup_address does it: each entry read once, stop at
    /// the first entry not present or at a 1 GiB or 2 MiB leaf (PSE, bit 7); the physical address, page offset included.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Lookup(ulong* root, ulong addr)
    {
        var pgd = Volatile.Read(ref *(root + ((addr >> 39) & IndexMask)));
        if ((pgd & Present) == 0)
            return 0;
        var pud = Volatile.Read(ref *((ulong*)DirectMap.__va(pgd & PfnMask) + ((addr >> 30) & IndexMask)));
        if ((pud & Present) == 0)
            return 0;
        if ((pud & Pse) != 0)
            return (pud & PfnMask & ~((1UL << 30) - 1)) | (addr & ((1UL << 30) - 1));
        var pmd = Volatile.Read(ref *((ulong*)DirectMap.__va(pud & PfnMask) + ((addr >> 21) & IndexMask)));
        if ((pmd & Present) == 0)
            return 0;
        if ((pmd & Pse) != 0)
            return (pmd & PfnMask & ~((1UL << 21) - 1)) | (addr & ((1UL << 21) - 1));
        var pte = Volatile.Read(ref *((ulong*)DirectMap.__va(pmd & PfnMask) + ((addr >> PfnShift) & IndexMask)));
        if ((pte & Present) == 0)
            return 0;
        return (pte & PfnMask) | (addr & ((1UL << PfnShift) - 1));
    }
}
