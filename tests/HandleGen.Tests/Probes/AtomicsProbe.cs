// Compiled by the atomics tests with the generated API, once per arch, form and level: "LL" stands for the
// level and `entry_raw` for the arch's entry type (uint or ulong). The same source builds in both forms.
using System.Runtime.InteropServices;
using System.Threading;
using PageTables;
using static PageTables.Pgtable;

/// <summary>Drives LLp_xchg, LLp_cmpxchg and LLp_try_cmpxchg on native memory and reports what it saw.</summary>
public static unsafe class AtomicsProbe
{
    /// <summary>
    /// One entry, starting at `start`: xchg to `a`, cmpxchg expecting `b` (fails), cmpxchg expecting `a` to `b`
    /// (succeeds), try_cmpxchg expecting `a` (fails and loads `b`), try_cmpxchg again to `c` (succeeds).
    /// Returns the values returned or loaded at each step, the two results as 0/1 and the final entry.
    /// </summary>
    public static ulong[] Steps(ulong start, ulong a, ulong b, ulong c)
    {
        var entry = (LL_t*)NativeMemory.AlignedAlloc((nuint)sizeof(LL_t), (nuint)sizeof(LL_t));
        try
        {
            var p = __hw_LLp(entry);
            set_LL(p, __LL((entry_raw)start));
            var swapped = LLp_xchg(p, __LL((entry_raw)a));
            var failed = LLp_cmpxchg(p, __LL((entry_raw)b), __LL((entry_raw)c));
            var succeeded = LLp_cmpxchg(p, __LL((entry_raw)a), __LL((entry_raw)b));
            var expected = __LL((entry_raw)a);
            var firstTry = LLp_try_cmpxchg(p, ref expected, __LL((entry_raw)c));
            var loaded = expected;
            var secondTry = LLp_try_cmpxchg(p, ref expected, __LL((entry_raw)c));
            return
            [
                LL_val(swapped), LL_val(failed), LL_val(succeeded), firstTry ? 1UL : 0UL, LL_val(loaded), secondTry ? 1UL : 0UL,
                LL_val(LLp_get_once(p)),
            ];
        }
        finally
        {
            NativeMemory.AlignedFree(entry);
        }
    }

    /// <summary>
    /// Two threads on one live entry. The MMU sets the accessed and the dirty bit with LLp_cmpxchg whenever one is
    /// clear; the other CPU flips the write bit on every step and clears the accessed and dirty bits whenever
    /// they are set, with LLp_try_cmpxchg loops. Each counts the changes it made to each bit. The MMU stops after
    /// `changes` sets, the CPU after `rounds` steps and `changes` clears, each only once the other is done too,
    /// so they overlap throughout; a thread with nothing to do yields, so they also interleave on one core.
    /// Returns, per bit (accessed, dirty, write), how often it went 0 to 1 and 1 to 0, then the final entry.
    /// </summary>
    public static ulong[] Contend(int rounds, int changes, ulong accessed, ulong dirty, ulong write, ulong start)
    {
        var entry = (LL_t*)NativeMemory.AlignedAlloc((nuint)sizeof(LL_t), (nuint)sizeof(LL_t));
        try
        {
            var p = __hw_LLp(entry);
            set_LL(p, __LL((entry_raw)start));
            var youngDirty = (entry_raw)(accessed | dirty);
            long aSet = 0, dSet = 0, aCleared = 0, dCleared = 0, wSet = 0, wCleared = 0;
            var mmuDone = 0;
            var cpuDone = 0;
            using var go = new Barrier(2);
            var mmu = new Thread(() =>
            {
                go.SignalAndWait();
                while (true)
                {
                    if (aSet + dSet >= changes)
                    {
                        Volatile.Write(ref mmuDone, 1);
                        if (Volatile.Read(ref cpuDone) != 0)
                            break;
                    }

                    var old = LLp_get_once(p);
                    if ((LL_val(old) & youngDirty) == youngDirty)
                    {
                        Thread.Yield();
                        continue;
                    }

                    var bit = (LL_val(old) & (entry_raw)accessed) == 0 ? (entry_raw)accessed : (entry_raw)dirty;
                    if (LLp_cmpxchg(p, old, __LL((entry_raw)(LL_val(old) | bit))) == old)
                    {
                        if (bit == (entry_raw)accessed)
                            aSet++;
                        else
                            dSet++;
                    }
                }
            });
            mmu.Start();
            go.SignalAndWait();
            for (var i = 0L; ; i++)
            {
                if (i >= rounds && aCleared + dCleared >= changes)
                {
                    Volatile.Write(ref cpuDone, 1);
                    if (Volatile.Read(ref mmuDone) != 0)
                        break;
                }

                // Flip the write bit, then clear whichever of accessed and dirty is set, each in one try_cmpxchg loop.
                var old = LLp_get_once(p);
                while (!LLp_try_cmpxchg(p, ref old, __LL((entry_raw)(LL_val(old) ^ (entry_raw)write))))
                {
                }

                if ((LL_val(old) & (entry_raw)write) != 0)
                    wCleared++;
                else
                    wSet++;
                old = LLp_get_once(p);
                while ((LL_val(old) & youngDirty) != 0)
                {
                    var bit = (LL_val(old) & (entry_raw)accessed) != 0 ? (entry_raw)accessed : (entry_raw)dirty;
                    if (!LLp_try_cmpxchg(p, ref old, __LL((entry_raw)(LL_val(old) & (entry_raw)~bit))))
                        continue;
                    if (bit == (entry_raw)accessed)
                        aCleared++;
                    else
                        dCleared++;
                    break;
                }

                if ((LL_val(old) & youngDirty) == 0)
                    Thread.Yield();
            }

            mmu.Join();
            return [(ulong)aSet, (ulong)aCleared, (ulong)dSet, (ulong)dCleared, (ulong)wSet, (ulong)wCleared, LL_val(LLp_get_once(p))];
        }
        finally
        {
            NativeMemory.AlignedFree(entry);
        }
    }
}
