using System;
using System.Linq;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Core;

/// <summary>
/// The generated accessors on real native memory, in both forms. Expected values come from the
/// kernel's definitions applied by hand to the arch's inputs (page shift, PFN position).
/// </summary>
public sealed class BehaviourTests
{
    private const string Probe = "BehaviourProbe";

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Set_ptes_writes_nr_entries_advancing_the_pfn_and_nothing_else(string arch, string form)
    {
        var facts = SpecFacts.Of(arch);
        var first = (0x1234UL << facts.PfnShift) | 0x63;
        const int At = 5;
        const int Nr = 17;

        var table = ProbeAssemblies.For(arch, form).Call<ulong[]>(Probe, "SetPtes", first, Nr, At);

        Assert.Equal(facts.PtrsPer(4), table.Length);
        for (var i = 0; i < table.Length; i++)
        {
            // set_ptes: entry i of the run is the first entry with i added to its PFN field.
            var expected = i >= At && i < At + Nr ? first + ((ulong)(i - At) << facts.PfnShift) : 0;
            Assert.True(expected == table[i], $"entry {i}: expected 0x{expected:x}, found 0x{table[i]:x}");
        }
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Set_ptes_with_nr_zero_or_less_writes_nothing(string arch, string form)
    {
        var probe = ProbeAssemblies.For(arch, form);

        Assert.All(probe.Call<ulong[]>(Probe, "SetPtes", 0x1001UL, 0, 3), v => Assert.Equal(0UL, v));
        Assert.All(probe.Call<ulong[]>(Probe, "SetPtes", 0x1001UL, -4, 3), v => Assert.Equal(0UL, v));
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Plain_once_and_foreach_reads_see_every_entry_exactly_once(string arch, string form)
    {
        var facts = SpecFacts.Of(arch);
        var random = new Random(arch.Length * 31 + form.Length);
        var values = Enumerable.Range(0, 200).Select(_ => (ulong)random.NextInt64() & facts.EntryMask).ToArray();
        var sum = values.Aggregate(0UL, (a, v) => unchecked(a + v));

        var result = ProbeAssemblies.For(arch, form).Call<ulong[]>(Probe, "ReadBack", values);

        Assert.Equal([sum, sum, sum, (ulong)values.Length], result);
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Setters_store_exactly_the_one_entry_at_every_level(string arch, string form)
    {
        var facts = SpecFacts.Of(arch);
        var value = 0xA5A5_5A5A_F00D_BEEFUL & facts.EntryMask;

        var r = ProbeAssemblies.For(arch, form).Call<ulong[]>(Probe, "SetAndGetEveryLevel", value);

        for (var level = 0; level < 5; level++)
        {
            Assert.Equal(value, r[level * 4]);     // the word in memory
            Assert.Equal(value, r[level * 4 + 1]); // plain read
            Assert.Equal(value, r[level * 4 + 2]); // single-copy-atomic read
            Assert.Equal(0UL, r[level * 4 + 3]);   // neighbours untouched
        }
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Entries_have_the_spec_size_at_every_level(string arch, string form)
    {
        var facts = SpecFacts.Of(arch);

        var sizes = ProbeAssemblies.For(arch, form).Call<int[]>(Probe, "EntrySizes");

        Assert.All(sizes, s => Assert.Equal(facts.EntryBits / 8, s));
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Handles_compare_move_and_null_check_like_pointers(string arch, string form)
    {
        var identity = ProbeAssemblies.For(arch, form).Call<bool[]>(Probe, "HandleIdentity");

        Assert.All(identity, Assert.True);
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Pte_next_pfn_adds_one_frame_at_the_pfn_position(string arch, string form)
    {
        var facts = SpecFacts.Of(arch);
        var probe = ProbeAssemblies.For(arch, form);

        Assert.Equal((5UL << facts.PfnShift) | 0x3, probe.Call<ulong>(Probe, "NextPfn", (4UL << facts.PfnShift) | 0x3));
        Assert.Equal(1UL << facts.PfnShift, probe.Call<ulong>(Probe, "NextPfn", 0UL));
        Assert.All(probe.Call<bool[]>(Probe, "EntryEquality", 0x8000_0000_0000_1067UL & facts.EntryMask), Assert.True);
    }
}
