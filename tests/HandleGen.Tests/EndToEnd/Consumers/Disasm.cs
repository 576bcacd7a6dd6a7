// Runs every workload once so the JIT compiles it (with tiered compilation off: fully optimized) and
// writes its disassembly; then spins on ptep_get_once until another thread's store ends the spin.
using System;
using System.Runtime.InteropServices;
using System.Threading;
using PageTables;
using Workloads;

unsafe
{
    const int Entries = 512;
    var table = (pte_t*)NativeMemory.AlignedAlloc(Entries * 8, 4096);
    NativeMemory.Clear(table, Entries * 8);

    PteLoops.SetPtes(table, 0x1063, Entries);
    RawLoops.SetPtes((ulong*)table, 0x1063, Entries);
    Console.WriteLine($"sums {PteLoops.SumGet(table, Entries)} {PteLoops.SumGetOnce(table, Entries)} {RawLoops.SumGet((ulong*)table, Entries)} {RawLoops.SumGetOnce((ulong*)table, Entries)}");

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
    NativeMemory.AlignedFree(table);
    return 0;
}
