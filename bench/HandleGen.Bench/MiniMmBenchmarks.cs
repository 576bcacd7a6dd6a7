extern alias alias_form;
extern alias strong_form;

using System;
using BenchmarkDotNet.Attributes;
using Workloads;
using AliasMm = alias_form::MiniMm.Mm;
using StrongMm = strong_form::MiniMm.Mm;

namespace HandleGen.Bench;

/// <summary>
/// MiniMm in both forms and <see cref="RawMm"/>, each on a simulated physical memory of the same size made
/// once per process in its global setup. The direct map holds one physical memory at a time, so each
/// method gets its own (BenchmarkDotNet runs every method in a process of its own anyway); the page
/// allocator hands out pages lowest first and reuses a freed page first, so all three lay their tables
/// out identically.
/// </summary>
[MemoryDiagnoser]
[DisassemblyDiagnoser(printInstructionAddresses: true, maxDepth: 2)]
public abstract class MmBenchmark
{
    /// <summary>Start of the mapped range: 1 GiB.</summary>
    protected const ulong Va = 1UL << 30;

    /// <summary>Start of the physical range it maps to: 4 GiB (only the tables live in simulated memory).</summary>
    protected const ulong Pa = 4UL << 30;

    /// <summary>The range: 1 GiB, 262,144 base pages in 512 pte tables.</summary>
    protected const ulong Size = 1UL << 30;

    /// <summary>Present, writable, accessed, dirty.</summary>
    protected const ulong Flags = 0x63;

    /// <summary><see cref="Flags"/> as the alias form's protection.</summary>
    protected static readonly alias_form::PageTables.pgprot_t AliasProt = alias_form::PageTables.Pgtable.__pgprot(Flags);

    /// <summary><see cref="Flags"/> as the strong form's protection.</summary>
    protected static readonly strong_form::PageTables.pgprot_t StrongProt = strong_form::PageTables.Pgtable.__pgprot(Flags);

    /// <summary>Simulated physical memory: room for the 515 tables the range needs and spare.</summary>
    private const ulong PhysicalBytes = 8UL << 20;

    /// <summary>The alias-form address space, made by <see cref="SetupAlias"/>.</summary>
    protected AliasMm? AliasSpace { get; private set; }

    /// <summary>The strong-form address space.</summary>
    protected StrongMm? StrongSpace { get; private set; }

    /// <summary>The raw-pointer address space.</summary>
    protected RawMm? RawSpace { get; private set; }

    /// <summary>Makes the alias-form address space.</summary>
    [GlobalSetup(Target = "Alias")]
    public void SetupAlias()
    {
        RunEveryKindOnce();
        AliasSpace = new AliasMm(PhysicalBytes);
        Prepare();
    }

    /// <summary>Makes the strong-form address space.</summary>
    [GlobalSetup(Target = "Strong")]
    public void SetupStrong()
    {
        RunEveryKindOnce();
        StrongSpace = new StrongMm(PhysicalBytes);
        Prepare();
    }

    /// <summary>Makes the raw-pointer address space.</summary>
    [GlobalSetup(Target = "Raw")]
    public void SetupRaw()
    {
        RunEveryKindOnce();
        RawSpace = new RawMm(PhysicalBytes);
        Prepare();
    }

    /// <summary>Frees the address space and its physical memory.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        AliasSpace?.Dispose();
        StrongSpace?.Dispose();
        RawSpace?.Dispose();
        AliasSpace = null;
        StrongSpace = null;
        RawSpace = null;
    }

    /// <summary>
    /// Maps, translates in and unmaps a 4 MiB range in each kind of address space in turn (one at a time:
    /// the direct map holds one physical memory), the same in every benchmark process, so that each has
    /// jitted the same methods before measuring; see docs/benchmarks.md on code placement.
    /// </summary>
    private static void RunEveryKindOnce()
    {
        const ulong small = 4UL << 20;
        using (var alias = new AliasMm(PhysicalBytes))
        {
            alias.map_range(Va, Pa, small, AliasProt);
            alias.translate(Va, out _, out _);
            alias.unmap_range(Va, small);
        }

        using (var strong = new StrongMm(PhysicalBytes))
        {
            strong.map_range(Va, Pa, small, StrongProt);
            strong.translate(Va, out _, out _);
            strong.unmap_range(Va, small);
        }

        using (var raw = new RawMm(PhysicalBytes))
        {
            raw.map_range(Va, Pa, small, Flags);
            raw.translate(Va, out _, out _);
            raw.unmap_range(Va, small);
        }
    }

    /// <summary>What a class does to the fresh address space before measuring.</summary>
    protected virtual void Prepare()
    {
    }

    /// <summary>Maps <see cref="Size"/> bytes at <see cref="Va"/> in whichever address space this process made.</summary>
    protected void MapAll()
    {
        AliasSpace?.map_range(Va, Pa, Size, AliasProt);
        StrongSpace?.map_range(Va, Pa, Size, StrongProt);
        RawSpace?.map_range(Va, Pa, Size, Flags);
    }

    /// <summary>Translates <paramref name="va"/> in whichever address space this process made.</summary>
    /// <param name="va">A virtual address.</param>
    /// <returns>The physical address it maps to, 0 when unmapped.</returns>
    protected ulong TranslateOne(ulong va)
    {
        ulong pa = 0;
        if (AliasSpace is not null)
            AliasSpace.translate(va, out pa, out _);
        else if (StrongSpace is not null)
            StrongSpace.translate(va, out pa, out _);
        else
            RawSpace!.translate(va, out pa, out _);
        return pa;
    }
}

/// <summary>MiniMm's map_range then unmap_range of 1 GiB in base pages: 512 pte tables made, filled, cleared and freed.</summary>
public class MapUnmap1GiB : MmBenchmark
{
    /// <summary>RawMm.</summary>
    [Benchmark(Baseline = true)]
    public void Raw()
    {
        RawSpace!.map_range(Va, Pa, Size, Flags);
        RawSpace.unmap_range(Va, Size);
    }

    /// <summary>MiniMm, alias form.</summary>
    [Benchmark]
    public void Alias()
    {
        AliasSpace!.map_range(Va, Pa, Size, AliasProt);
        AliasSpace.unmap_range(Va, Size);
    }

    /// <summary>MiniMm, strong form.</summary>
    [Benchmark]
    public void Strong()
    {
        StrongSpace!.map_range(Va, Pa, Size, StrongProt);
        StrongSpace.unmap_range(Va, Size);
    }

    /// <inheritdoc/>
    protected override void Prepare()
    {
        // One round before measuring, checked: the range maps where it should and unmapping frees every table but the pgd.
        MapAll();
        if (TranslateOne(Va + Size - 1) != Pa + Size - 1)
            throw new InvalidOperationException("map_range did not map the range as expected.");
        AliasSpace?.unmap_range(Va, Size);
        StrongSpace?.unmap_range(Va, Size);
        RawSpace?.unmap_range(Va, Size);
        var live = AliasSpace?.Allocator.LiveTotal ?? StrongSpace?.Allocator.LiveTotal ?? RawSpace!.Allocator.LiveTotal;
        if (live != 1)
            throw new InvalidOperationException($"unmap_range left {live} tables live; expected the pgd only.");
    }
}

/// <summary>MiniMm's translate of one million random addresses of a mapped 1 GiB range (the same addresses for every row).</summary>
public class Translate1M : MmBenchmark
{
    /// <summary>How many addresses one invocation translates.</summary>
    public const int Count = 1_000_000;

    private ulong[] addresses = [];

    /// <summary>RawMm.</summary>
    [Benchmark(Baseline = true)]
    public ulong Raw()
    {
        var space = RawSpace!;
        ulong sum = 0;
        foreach (var va in addresses)
        {
            space.translate(va, out var pa, out _);
            sum += pa;
        }

        return sum;
    }

    /// <summary>MiniMm, alias form.</summary>
    [Benchmark]
    public ulong Alias()
    {
        var space = AliasSpace!;
        ulong sum = 0;
        foreach (var va in addresses)
        {
            space.translate(va, out var pa, out _);
            sum += pa;
        }

        return sum;
    }

    /// <summary>MiniMm, strong form.</summary>
    [Benchmark]
    public ulong Strong()
    {
        var space = StrongSpace!;
        ulong sum = 0;
        foreach (var va in addresses)
        {
            space.translate(va, out var pa, out _);
            sum += pa;
        }

        return sum;
    }

    /// <inheritdoc/>
    protected override void Prepare()
    {
        MapAll();
        var random = new Random(20240601);
        addresses = new ulong[Count];
        for (var i = 0; i < Count; i++)
            addresses[i] = Va + (ulong)random.NextInt64((long)Size);
        foreach (var va in addresses.AsSpan(0, 1000))
        {
            if (TranslateOne(va) != Pa + (va - Va))
                throw new InvalidOperationException($"translate(0x{va:x}) is wrong.");
        }
    }
}

/// <summary>
/// The lookup walk of one million random addresses of a mapped 1 GiB range, all rows on the same tables (made by
/// MiniMm, alias form): the generated <c>lookup_address</c> in each form against the walk written by hand on ulong*.
/// </summary>
public unsafe class Lookup1M
{
    private const int Count = 1_000_000;
    private AliasMm? space;
    private ulong* root;
    private ulong[] addresses = [];

    /// <summary>Maps the range with 4 KiB pages and picks the addresses.</summary>
    [GlobalSetup]
    public void Setup()
    {
        space = new AliasMm(8UL << 20);
        space.map_range(1UL << 30, 4UL << 30, 1UL << 30, alias_form::PageTables.Pgtable.__pgprot(0x63));
        root = (ulong*)HandleGen.Runtime.DirectMap.__va(space.PgdPhys);
        var random = new Random(20240601);
        addresses = new ulong[Count];
        for (var i = 0; i < Count; i++)
            addresses[i] = (1UL << 30) + (ulong)random.NextInt64(1L << 30);
        foreach (var va in addresses.AsSpan(0, 1000))
        {
            var expected = (4UL << 30) + (va - (1UL << 30));
            if (RawLoops.Lookup(root, va) != expected || alias_form::Workloads.PteLoops.Lookup((alias_form::PageTables.pgd_t*)root, va) != expected
                || strong_form::Workloads.PteLoops.Lookup((strong_form::PageTables.pgd_t*)root, va) != expected)
                throw new InvalidOperationException($"lookup(0x{va:x}) is wrong.");
        }
    }

    /// <summary>Frees the tables and the physical memory.</summary>
    [GlobalCleanup]
    public void Cleanup() => space?.Dispose();

    /// <summary>The walk written by hand.</summary>
    [Benchmark(Baseline = true)]
    public ulong Raw()
    {
        ulong sum = 0;
        foreach (var va in addresses)
            sum += RawLoops.Lookup(root, va);
        return sum;
    }

    /// <summary>lookup_address, alias form.</summary>
    [Benchmark]
    public ulong Alias()
    {
        ulong sum = 0;
        foreach (var va in addresses)
            sum += alias_form::Workloads.PteLoops.Lookup((alias_form::PageTables.pgd_t*)root, va);
        return sum;
    }

    /// <summary>lookup_address, strong form.</summary>
    [Benchmark]
    public ulong Strong()
    {
        ulong sum = 0;
        foreach (var va in addresses)
            sum += strong_form::Workloads.PteLoops.Lookup((strong_form::PageTables.pgd_t*)root, va);
        return sum;
    }
}
