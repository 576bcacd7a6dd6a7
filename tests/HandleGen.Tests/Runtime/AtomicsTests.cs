using System.Collections.Concurrent;
using System.IO;
using System.Reflection;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Runtime;

/// <summary>
/// Lp_xchg, Lp_cmpxchg and Lp_try_cmpxchg at every level on native memory, with Linux's semantics
/// (include/linux/atomic/atomic-instrumented.h: xchg returns the old value, cmpxchg the value found,
/// try_cmpxchg a bool and the found value in old on failure), and under contention: no bit is lost.
/// </summary>
public sealed class AtomicsTests
{
    private static readonly ConcurrentDictionary<(string, string, string), Assembly> Probes = new();

    public static TheoryData<string, string, string> EveryLevel()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (arch, form) in new[] { ("x86_64", "alias"), ("x86_64", "strong"), ("i386", "alias"), ("i386", "strong") })
        {
            foreach (var level in new[] { "pgd", "p4d", "pud", "pmd", "pte" })
                data.Add(arch, form, level);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryLevel))]
    public void Exchange_and_compare_exchange_return_what_linux_returns(string arch, string form, string level)
    {
        var mask = SpecFacts.Of(arch).EntryMask;
        ulong start = 0x1063 & mask, a = 0xa5a5a5a5a5a5a5a5 & mask, b = 0x0123456789abcdef & mask, c = 0xfedcba9876543210 & mask;

        var seen = Probe(arch, form, level).Call<ulong[]>("AtomicsProbe", "Steps", start, a, b, c);

        // xchg: old value; failed cmpxchg: the value found (a), no store; successful cmpxchg: a, stores b;
        // failed try_cmpxchg: false, old loaded with b; second try_cmpxchg: true, stores c.
        Assert.Equal([start, a, a, 0UL, b, 1UL, c], seen);
    }

    [Theory]
    [InlineData("x86_64", "alias", "pte")]
    [InlineData("x86_64", "strong", "pte")]
    [InlineData("x86_64", "strong", "pmd")]
    [InlineData("i386", "strong", "pte")]
    public void An_mmu_setting_accessed_and_dirty_bits_against_a_cpu_clearing_them_loses_no_bit(string arch, string form, string level)
    {
        // A million steps of the CPU (a million try_cmpxchg on the write bit alone), 100,000 bit changes each way.
        const int Rounds = 1_000_000;
        const int Changes = 100_000;
        const ulong Accessed = 1 << 5, Dirty = 1 << 6, Write = 1 << 1, Start = 0x1001 | Write;

        var r = Probe(arch, form, level).Call<ulong[]>("AtomicsProbe", "Contend", Rounds, Changes, Accessed, Dirty, Write, Start);

        // Every bit ends as it started, plus the times it was set, minus the times it was cleared: a lost update
        // (a set overwritten by a clear computed from a stale value, or the reverse) breaks the balance.
        var final = r[6];
        Assert.Equal((Start & Accessed) != 0 ? 1 : 0, (long)((final & Accessed) != 0 ? 1 : 0) - (long)r[0] + (long)r[1]);
        Assert.Equal((Start & Dirty) != 0 ? 1 : 0, (long)((final & Dirty) != 0 ? 1 : 0) - (long)r[2] + (long)r[3]);
        Assert.Equal((Start & Write) != 0 ? 1 : 0, (long)((final & Write) != 0 ? 1 : 0) - (long)r[4] + (long)r[5]);
        Assert.Equal(Start & ~(Accessed | Dirty | Write), final & ~(Accessed | Dirty | Write));
        Assert.True(r[0] + r[2] >= Changes && r[1] + r[3] >= Changes && r[4] + r[5] >= Rounds, string.Join(" ", r));
    }

    private static Assembly Probe(string arch, string form, string level) => Probes.GetOrAdd((arch, form, level), _ =>
    {
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "HandleGen.Tests", "Probes", "AtomicsProbe.cs")).Replace("LL", level);
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arch, form),
            ["global using entry_raw = " + SpecFacts.Of(arch).EntryType + ";", SpecFacts.Of(arch).InArchNamespace(source)]);
        Assert.Empty(run.CompileDiagnostics);
        return CompiledAssembly.Load(run.Output);
    });
}
