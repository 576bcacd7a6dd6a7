extern alias alias_form;
extern alias strong_form;

using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Workloads;
using AliasLoops = alias_form::Workloads.PteLoops;
using AliasPte = alias_form::PageTables.pte_t;
using StrongLoops = strong_form::Workloads.PteLoops;
using StrongPte = strong_form::PageTables.pte_t;

namespace HandleGen.Bench;

/// <summary>
/// One full pte table (512 entries, a page) in native memory, allocated once per process and shared by
/// the raw, alias and strong methods of a class: each row runs the same loop on the same bytes.
/// </summary>
// The disassembly, with addresses, shows that the rows run the same machine code and where each loop landed.
[MemoryDiagnoser]
[DisassemblyDiagnoser(printInstructionAddresses: true, maxDepth: 2)]
public abstract unsafe class TableBenchmark
{
    /// <summary>Entries in one x86_64 pte table.</summary>
    protected const int Entries = 512;

    /// <summary>The first entry: page frame 0x1000, flags 0x63 (present, writable, accessed, dirty).</summary>
    protected const ulong First = (0x1000UL << 12) | 0x63;

    /// <summary>The table, page-aligned.</summary>
    protected ulong* Table { get; private set; }

    /// <summary>
    /// Allocates the table and runs every workload on it once, in the same order in every process, so
    /// that each benchmark process has jitted the same methods before measuring (see docs/benchmarks.md:
    /// where the loop lands relative to a 64-byte boundary changes its speed); the table ends up filled as set_ptes fills it.
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        Table = (ulong*)NativeMemory.AlignedAlloc(Entries * sizeof(ulong), 4096);
        RawLoops.Store(Table, First, Entries);
        RawLoops.SumGet(Table, Entries);
        RawLoops.SumGetOnce(Table, Entries);
        AliasLoops.SumGet((AliasPte*)Table, Entries);
        AliasLoops.SumGetOnce((AliasPte*)Table, Entries);
        StrongLoops.SumGet((StrongPte*)Table, Entries);
        StrongLoops.SumGetOnce((StrongPte*)Table, Entries);
        AliasLoops.SetPtes((AliasPte*)Table, First, Entries);
        StrongLoops.SetPtes((StrongPte*)Table, First, Entries);
        RawLoops.SetPtes(Table, First, Entries);
    }

    /// <summary>Frees the table.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(Table);
        Table = null;
    }
}

/// <summary>set_ptes over a full table; and the physical limit, a plain store loop over the same bytes.</summary>
public unsafe class SetPtes : TableBenchmark
{
    /// <summary>The loop written by hand on ulong*, with single-copy-atomic stores as set_pte makes.</summary>
    [Benchmark(Baseline = true)]
    public void Raw() => RawLoops.SetPtes(Table, First, Entries);

    /// <summary>The generated set_ptes, alias form.</summary>
    [Benchmark]
    public void Alias() => AliasLoops.SetPtes((AliasPte*)Table, First, Entries);

    /// <summary>The generated set_ptes, strong form.</summary>
    [Benchmark]
    public void Strong() => StrongLoops.SetPtes((StrongPte*)Table, First, Entries);

    /// <summary>A plain store loop over the same bytes (ptep[i] = pte + (i &lt;&lt; 12)), which the JIT may unroll or vectorize.</summary>
    [Benchmark]
    public void PlainStore() => RawLoops.Store(Table, First, Entries);
}

/// <summary>Sums a full table read with ptep_get (a plain load).</summary>
public unsafe class PtepGet : TableBenchmark
{
    /// <summary>sum += *p on ulong*.</summary>
    [Benchmark(Baseline = true)]
    public ulong Raw() => RawLoops.SumGet(Table, Entries);

    /// <summary>sum += pte_val(ptep_get(ptep)), alias form.</summary>
    [Benchmark]
    public ulong Alias() => AliasLoops.SumGet((AliasPte*)Table, Entries);

    /// <summary>sum += pte_val(ptep_get(ptep)), strong form.</summary>
    [Benchmark]
    public ulong Strong() => StrongLoops.SumGet((StrongPte*)Table, Entries);
}

/// <summary>Sums a full table read with ptep_get_once (a volatile load).</summary>
public unsafe class PtepGetOnce : TableBenchmark
{
    /// <summary>sum += Volatile.Read(ref *p) on ulong*.</summary>
    [Benchmark(Baseline = true)]
    public ulong Raw() => RawLoops.SumGetOnce(Table, Entries);

    /// <summary>sum += pte_val(ptep_get_once(ptep)), alias form.</summary>
    [Benchmark]
    public ulong Alias() => AliasLoops.SumGetOnce((AliasPte*)Table, Entries);

    /// <summary>sum += pte_val(ptep_get_once(ptep)), strong form.</summary>
    [Benchmark]
    public ulong Strong() => StrongLoops.SumGetOnce((StrongPte*)Table, Entries);
}
