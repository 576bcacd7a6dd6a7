// Compiled by the access-flag tests with the generated API, once per arch, form and level: "LL" stands for a level
// that maps pages (pte or a leaf level) and `entry_raw` for the arch's entry type. The same source builds in both forms.
using System.Runtime.InteropServices;
using PageTables;
using static PageTables.Pgtable;

/// <summary>Drives LLp_test_and_clear_young, LLp_set_access_flags and LLp_set_wrprotect on one live entry.</summary>
public static unsafe class AccessFlagsProbe
{
    /// <summary>
    /// From `start`: clear young twice, relax toward `wanted` after a read fault then twice after a write fault,
    /// then write-protect. Returns each call's result (0/1) followed by the entry after it.
    /// </summary>
    public static ulong[] Steps(ulong start, ulong wanted)
    {
        var entry = (LL_t*)NativeMemory.AlignedAlloc((nuint)sizeof(LL_t), (nuint)sizeof(LL_t));
        try
        {
            var p = __hw_LLp(entry);
            set_LL(p, __LL((entry_raw)start));
            var target = __LL((entry_raw)wanted);
            var seen = new System.Collections.Generic.List<ulong>();
            void Record(bool result) { seen.Add(result ? 1UL : 0UL); seen.Add(LL_val(LLp_get_once(p))); }
            Record(LLp_test_and_clear_young(p));
            Record(LLp_test_and_clear_young(p));
            Record(LLp_set_access_flags(p, target, dirty: false));
            Record(LLp_set_access_flags(p, target, dirty: true));
            Record(LLp_set_access_flags(p, target, dirty: true));
            LLp_set_wrprotect(p);
            seen.Add(LL_val(LLp_get_once(p)));
            return seen.ToArray();
        }
        finally
        {
            NativeMemory.AlignedFree(entry);
        }
    }

    /// <summary>
    /// Two threads on one live entry. The MMU sets `young` with LLp_cmpxchg whenever it is clear, and `dirty` once;
    /// the CPU, on every step, clears young with LLp_test_and_clear_young, then alternately write-protects the entry
    /// (LLp_set_wrprotect) and makes it writable again (LLp_set_access_flags with `writable`). Each stops after
    /// `changes` changes of young, once the other is done too. Returns the times the MMU set young, the times the CPU
    /// cleared it, the times the MMU set dirty, then the final entry.
    /// </summary>
    public static ulong[] Contend(int changes, ulong start, ulong young, ulong dirty, ulong writable)
    {
        var entry = (LL_t*)NativeMemory.AlignedAlloc((nuint)sizeof(LL_t), (nuint)sizeof(LL_t));
        try
        {
            var p = __hw_LLp(entry);
            set_LL(p, __LL((entry_raw)start));
            long sets = 0, clears = 0, dirtied = 0;
            var mmuDone = 0;
            var cpuDone = 0;
            var mmu = new System.Threading.Thread(() =>
            {
                while (sets < changes || System.Threading.Volatile.Read(ref cpuDone) == 0)
                {
                    var old = LLp_get_once(p);
                    var bit = LL_val(old) & (entry_raw)young;
                    var wanted = bit == 0 ? (entry_raw)young : dirtied == 0 ? (entry_raw)dirty : (entry_raw)0;
                    if (wanted == 0 || sets >= changes)
                    {
                        System.Threading.Thread.Yield();
                        continue;
                    }

                    if (LL_val(LLp_cmpxchg(p, old, __LL((entry_raw)(LL_val(old) | wanted)))) == LL_val(old))
                    {
                        if (wanted == (entry_raw)young) sets++; else dirtied++;
                    }
                }

                System.Threading.Volatile.Write(ref mmuDone, 1);
            });
            mmu.Start();
            var step = 0;
            while (clears < changes || System.Threading.Volatile.Read(ref mmuDone) == 0)
            {
                if (clears < changes && LLp_test_and_clear_young(p))
                    clears++;
                if ((step++ & 1) == 0)
                    LLp_set_wrprotect(p);
                else
                    LLp_set_access_flags(p, __LL((entry_raw)writable), dirty: false);
                if (clears >= changes)
                {
                    System.Threading.Volatile.Write(ref cpuDone, 1);
                    System.Threading.Thread.Yield();
                }
            }

            mmu.Join();
            return [(ulong)sets, (ulong)clears, (ulong)dirtied, LL_val(LLp_get_once(p))];
        }
        finally
        {
            NativeMemory.AlignedFree(entry);
        }
    }
}
