using System.Linq;
using System.Reflection;
using HandleGen.Runtime;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Runtime;

/// <summary>
/// arm64's contiguous blocks on real memory, in both forms: the generated contpte_* helpers against the kernel's
/// definitions, with the expected bits typed in from arch/arm64/include/asm/pgtable-hwdef.h and pgtable-prot.h.
/// </summary>
[Collection(PhysicalMemoryCollection.Name)]
public sealed unsafe class ContiguousTests
{
    // pgtable-hwdef.h: PTE_CONT (1 << 52), PTE_AF (1 << 10); pgtable-prot.h: PTE_DIRTY (1 << 55).
    private const ulong Cont = 1UL << 52, Af = 1UL << 10, Dirty = 1UL << 55;

    // pgtable-hwdef.h with CONFIG_ARM64_CONT_PTE_SHIFT 4 and CONFIG_ARM64_CONT_PMD_SHIFT 4 (the 4K-granule values):
    // CONT_PTES = 1 << (CONT_PTE_SHIFT - PAGE_SHIFT) = 16, CONT_PTE_SIZE = 16 * 4 KiB; CONT_PMDS = 16, CONT_PMD_SIZE = 16 * 2 MiB.
    private const int ContPtes = 16;

    private const string Driver = """
        using HandleGen.Runtime;
        using PageTables;
        using static PageTables.Pgtable;

        public static unsafe class ContDriver
        {
            public static ulong Table(PageTableAllocator a) => DirectMap.__pa(a.Alloc(PageTableLevel.Pte, PTRS_PER_PTE * sizeof(pte_t)));
            private static hw_ptep At(ulong table, int index) => hw_pte_add(__hw_ptep((pte_t*)DirectMap.__va(table)), index);
            public static ulong Raw(ulong table, int index) => ((ulong*)DirectMap.__va(table))[index];
            public static void Poke(ulong table, int index, ulong raw) => ((ulong*)DirectMap.__va(table))[index] = raw;
            public static void SetPtes(ulong table, int index, ulong pfn, int nr) => contpte_set_ptes(At(table, index), pte_mkclean(pte_mkold(pfn_pte(pfn, PAGE_KERNEL))), nr);
            public static ulong Get(ulong table, int index) => pte_val(contpte_ptep_get(At(table, index)));
            public static ulong ClearFull(ulong table, int index) => pte_val(contpte_ptep_get_and_clear_full(At(table, index)));
            public static int AlignDown(ulong table, int index) =>
                (int)((DirectMap.__pa(__hw_ptep_ptr(contpte_align_down(At(table, index)))) - table) / (ulong)sizeof(pte_t));
            public static ulong[] Constants() => [CONT_PTES, CONT_PTE_SIZE, CONT_PTE_MASK, CONT_PMDS, CONT_PMD_SIZE, CONT_PMD_MASK,
                pte_cont(__pte(1UL << 52)) ? 1UL : 0UL, pte_val(pte_mkcont(__pte(0))), pte_val(pte_mknoncont(__pte(ulong.MaxValue))),
                pmd_val(pmd_mkcont(__pmd(0)))];
        }
        """;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Assembly> Assemblies = new();

    private static Assembly For(string form) => Assemblies.GetOrAdd(form, f =>
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("arm64_4k_48", f), [Driver]);
        Assert.Empty(run.CompileDiagnostics.Where(d => d.Id != "CS1591").Select(d => d.ToString()));
        return CompiledAssembly.Load(run.Output);
    });

    private static ulong Pfn(ulong raw) => (raw & 0x0000_ffff_ffff_f000) >> 12;

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void The_constants_and_the_bit_are_the_kernels(string form)
    {
        var c = For(form).Call<ulong[]>("ContDriver", "Constants");

        Assert.Equal([16UL, 0x1_0000UL, ~0xffffUL, 16UL, 0x200_0000UL, ~0x1ff_ffffUL, 1UL, Cont, ~Cont, Cont], c);
    }

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void Young_and_dirty_are_gathered_from_every_entry_of_the_block(string form)
    {
        var a = For(form);
        using var memory = new PhysicalMemory(16 * 4096);
        var table = a.Call<ulong>("ContDriver", "Table", new PageTableAllocator(memory));
        a.Call<object>("ContDriver", "SetPtes", table, 16, 0x100UL, ContPtes);

        // Read through entry 2 of the block: neither young nor dirty anywhere yet.
        Assert.Equal(0UL, a.Call<ulong>("ContDriver", "Get", table, 16 + 2) & (Af | Dirty));
        // The MMU sets the access flag in entry 13 only, the dirty state in entry 15 only.
        a.Call<object>("ContDriver", "Poke", table, 16 + 13, a.Call<ulong>("ContDriver", "Raw", table, 16 + 13) | Af);
        var seen = a.Call<ulong>("ContDriver", "Get", table, 16 + 2);
        Assert.Equal(Af, seen & (Af | Dirty));
        Assert.Equal(0x102UL, Pfn(seen)); // the entry read is entry 2's, only the gathered bits come from the others
        a.Call<object>("ContDriver", "Poke", table, 16 + 15, a.Call<ulong>("ContDriver", "Raw", table, 16 + 15) | Dirty);
        Assert.Equal(Af | Dirty, a.Call<ulong>("ContDriver", "Get", table, 16 + 2) & (Af | Dirty));
        // Entry 2 itself is unchanged in memory; the neighbouring block (entries 0-15) is not looked at.
        Assert.Equal(0UL, a.Call<ulong>("ContDriver", "Raw", table, 16 + 2) & (Af | Dirty));
        Assert.Equal(16, a.Call<int>("ContDriver", "AlignDown", table, 16 + 13));
    }

    [Theory]
    [InlineData("alias", 5, 0x1005UL, 40)]
    [InlineData("strong", 5, 0x1005UL, 40)]
    [InlineData("alias", 0, 0x2000UL, 64)]
    [InlineData("strong", 3, 0x2003UL, 100)]
    [InlineData("alias", 16, 0x2008UL, 32)] // the frames are not aligned to a block: no hint anywhere
    public void A_block_gets_the_hint_only_when_whole_and_aligned(string form, int index, ulong pfn, int nr)
    {
        var a = For(form);
        using var memory = new PhysicalMemory(16 * 4096);
        var table = a.Call<ulong>("ContDriver", "Table", new PageTableAllocator(memory));
        a.Call<object>("ContDriver", "SetPtes", table, index, pfn, nr);

        for (var i = 0; i < 512; i++)
        {
            var raw = a.Call<ulong>("ContDriver", "Raw", table, i);
            if (i < index || i >= index + nr)
            {
                Assert.Equal(0UL, raw);
                continue;
            }

            Assert.Equal(pfn + (ulong)(i - index), Pfn(raw));
            // A whole block: all of [start, start + 16) mapped and its first frame a multiple of 16.
            var start = i / ContPtes * ContPtes;
            var whole = start >= index && start + ContPtes <= index + nr && (pfn + (ulong)(start - index)) % ContPtes == 0;
            Assert.True(whole == ((raw & Cont) != 0), $"entry {i}: hint {(raw & Cont) != 0}, whole block {whole}");
        }
    }

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void Clearing_one_entry_unfolds_the_block_first(string form)
    {
        var a = For(form);
        using var memory = new PhysicalMemory(16 * 4096);
        var table = a.Call<ulong>("ContDriver", "Table", new PageTableAllocator(memory));
        a.Call<object>("ContDriver", "SetPtes", table, 32, 0x40UL, ContPtes);
        a.Call<object>("ContDriver", "Poke", table, 32 + 9, a.Call<ulong>("ContDriver", "Raw", table, 32 + 9) | Af);
        Assert.All(Enumerable.Range(32, ContPtes), i => Assert.NotEqual(0UL, a.Call<ulong>("ContDriver", "Raw", table, i) & Cont));

        var old = a.Call<ulong>("ContDriver", "ClearFull", table, 32 + 4);

        Assert.Equal(0x44UL, Pfn(old));
        Assert.Equal(0UL, a.Call<ulong>("ContDriver", "Raw", table, 32 + 4));
        for (var i = 0; i < 512; i++)
            Assert.Equal(0UL, a.Call<ulong>("ContDriver", "Raw", table, i) & Cont);
        foreach (var i in Enumerable.Range(32, ContPtes).Where(i => i != 32 + 4))
        {
            var raw = a.Call<ulong>("ContDriver", "Raw", table, i);
            Assert.Equal(0x40UL + (ulong)(i - 32), Pfn(raw));
            Assert.Equal(Af, raw & Af); // the access flag of entry 9 was gathered into every entry of the unfolded block
        }
    }

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void Overwriting_part_of_a_block_unfolds_it(string form)
    {
        var a = For(form);
        using var memory = new PhysicalMemory(16 * 4096);
        var table = a.Call<ulong>("ContDriver", "Table", new PageTableAllocator(memory));
        a.Call<object>("ContDriver", "SetPtes", table, 16, 0x100UL, ContPtes);

        a.Call<object>("ContDriver", "SetPtes", table, 18, 0x999UL, 1);

        Assert.Equal(0x999UL, Pfn(a.Call<ulong>("ContDriver", "Raw", table, 18)));
        for (var i = 16; i < 32; i++)
            Assert.Equal(0UL, a.Call<ulong>("ContDriver", "Raw", table, i) & Cont);
    }

    [Fact]
    public void In_the_strong_form_a_stack_copy_cannot_reach_the_block_helpers()
    {
        const string misuse = """
            using PageTables;
            using static PageTables.Pgtable;
            internal static unsafe class Misuse
            {
                internal static pte_t Read(hw_ptep ptep) { var copy = ptep_get(ptep); return contpte_ptep_get(&copy); }
            }
            """;

        var strong = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("arm64_4k_48", "strong"), [misuse]);
        var alias = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("arm64_4k_48", "alias"), [misuse]);

        Assert.Contains(strong.CompileDiagnostics, d => d.Id == "CS1503");
        Assert.DoesNotContain(alias.CompileDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }
}
