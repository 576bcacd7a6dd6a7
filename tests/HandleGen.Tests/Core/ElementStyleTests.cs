using System.Linq;
using HandleGen.Runtime;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Core;

/// <summary>
/// The posted upstream vocabulary (style "element"): code holds <c>hw_pte_t*</c>, a pointer to the table's element
/// type, which is <c>pte_t</c> itself in the alias form and a wrapper struct in the strong form. The same small mm
/// module, written once per style against that style's API, builds and runs in both forms with the same result.
/// </summary>
[Collection(Runtime.PhysicalMemoryCollection.Name)]
public sealed unsafe class ElementStyleTests
{
    /// <summary>Maps one page and translates it back: the walk of every level, written with hw_L_t* pointers.</summary>
    private const string ElementModule = """
        using HandleGen.Runtime;
        using PageTables;
        using static PageTables.Pgtable;

        public static unsafe class Mm
        {
            public static ulong MapAndTranslate(PageTableAllocator a, ulong va, ulong pa)
            {
                hw_pgd_t* root = (hw_pgd_t*)__hw_pgdp_ptr(__hw_pgdp((pgd_t*)a.Alloc(PageTableLevel.Pgd, PTRS_PER_PGD * sizeof(pgd_t))));
                hw_pgd_t* pgdp = pgd_offset_pgd(root, va);
                if (pgd_none(pgdp_get(pgdp)))
                    pgd_populate(pgdp, __hw_p4dp((p4d_t*)a.Alloc(PageTableLevel.P4d, PTRS_PER_P4D * sizeof(p4d_t))));
                hw_p4d_t* p4dp = p4d_offset(pgdp, va);
                if (p4d_none(p4dp_get(p4dp)))
                    p4d_populate(p4dp, __hw_pudp((pud_t*)a.Alloc(PageTableLevel.Pud, PTRS_PER_PUD * sizeof(pud_t))));
                hw_pud_t* pudp = pud_offset(p4dp, va);
                if (pud_none(pudp_get(pudp)))
                    pud_populate(pudp, __hw_pmdp((pmd_t*)a.Alloc(PageTableLevel.Pmd, PTRS_PER_PMD * sizeof(pmd_t))));
                hw_pmd_t* pmdp = pmd_offset(pudp, va);
                if (pmd_none(pmdp_get(pmdp)))
                    pmd_populate(pmdp, __hw_ptep((pte_t*)a.Alloc(PageTableLevel.Pte, PTRS_PER_PTE * sizeof(pte_t))));
                hw_pte_t* ptep = pte_offset_kernel(pmdp, va);
                set_pte(ptep, pfn_pte(pa >> PAGE_SHIFT, PAGE_KERNEL));
                // The stored bits, as an atomic operation would see them, and the value through the posted conversion.
                if (hw_pte_val(*ptep) != pte_val(__pte_from_hw(*ptep)))
                    return 0;
                pte_t pte = ptep_get_once(pte_offset_kernel(pmd_offset(pud_offset(p4d_offset(pgd_offset_pgd(root, va), va), va), va), va));
                return (pte_pfn(pte) << PAGE_SHIFT) | (va & ~PAGE_MASK);
            }
        }
        """;

    /// <summary>The same module against the handle style: hw_Lp handles where the element style has hw_L_t*.</summary>
    private const string HandleModule = """
        using HandleGen.Runtime;
        using PageTables;
        using static PageTables.Pgtable;

        public static unsafe class Mm
        {
            public static ulong MapAndTranslate(PageTableAllocator a, ulong va, ulong pa)
            {
                hw_pgdp root = __hw_pgdp((pgd_t*)a.Alloc(PageTableLevel.Pgd, PTRS_PER_PGD * sizeof(pgd_t)));
                hw_pgdp pgdp = pgd_offset_pgd(root, va);
                if (pgd_none(pgdp_get(pgdp)))
                    pgd_populate(pgdp, __hw_p4dp((p4d_t*)a.Alloc(PageTableLevel.P4d, PTRS_PER_P4D * sizeof(p4d_t))));
                hw_p4dp p4dp = p4d_offset(pgdp, va);
                if (p4d_none(p4dp_get(p4dp)))
                    p4d_populate(p4dp, __hw_pudp((pud_t*)a.Alloc(PageTableLevel.Pud, PTRS_PER_PUD * sizeof(pud_t))));
                hw_pudp pudp = pud_offset(p4dp, va);
                if (pud_none(pudp_get(pudp)))
                    pud_populate(pudp, __hw_pmdp((pmd_t*)a.Alloc(PageTableLevel.Pmd, PTRS_PER_PMD * sizeof(pmd_t))));
                hw_pmdp pmdp = pmd_offset(pudp, va);
                if (pmd_none(pmdp_get(pmdp)))
                    pmd_populate(pmdp, __hw_ptep((pte_t*)a.Alloc(PageTableLevel.Pte, PTRS_PER_PTE * sizeof(pte_t))));
                hw_ptep ptep = pte_offset_kernel(pmdp, va);
                set_pte(ptep, pfn_pte(pa >> PAGE_SHIFT, PAGE_KERNEL));
                pte_t pte = ptep_get_once(pte_offset_kernel(pmd_offset(pud_offset(p4d_offset(pgd_offset_pgd(root, va), va), va), va), va));
                return (pte_pfn(pte) << PAGE_SHIFT) | (va & ~PAGE_MASK);
            }
        }
        """;

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void The_element_style_compiles_clean_for_every_arch(string arch, string form)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arch, form, Style: "element"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("x86_64", "alias", "element")]
    [InlineData("x86_64", "strong", "element")]
    [InlineData("x86_64", "alias", "handle")]
    [InlineData("x86_64", "strong", "handle")]
    [InlineData("i386", "alias", "element")]
    [InlineData("i386", "strong", "element")]
    [InlineData("arm64_4k_48", "strong", "element")]
    [InlineData("arm64_4k_48", "strong", "handle")]
    public void The_same_mm_module_runs_in_each_style_and_form(string arch, string form, string style)
    {
        var module = style == "element" ? ElementModule : HandleModule;
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arch, form, Style: style), [module]);
        Assert.Empty(run.CompileDiagnostics.Where(d => d.Id != "CS1591").Select(d => d.ToString()));

        using var memory = new PhysicalMemory(64 * 4096);
        var va = arch == "i386" ? 0x1234_5678UL : 0x7f12_3456_7abcUL;
        var pa = CompiledAssembly.Load(run.Output).Call<ulong>("Mm", "MapAndTranslate", new PageTableAllocator(memory), va, 0x8765_4000UL);

        // Hand computed: the page at 0x87654000 plus the offset of va in its 4 KiB page.
        Assert.Equal(0x8765_4000UL | (va & 0xfff), pa);
    }

    private const string Misuse = """
        using PageTables;
        using static PageTables.Pgtable;
        internal static unsafe class Misuse
        {
            internal static pte_t StackCopy(hw_pte_t* ptep) { pte_t copy = ptep_get(ptep); return ptep_get(&copy); }
            internal static pte_t Deref(hw_pte_t* ptep) { pte_t value = *ptep; return value; }
            internal static hw_pte_t* Arithmetic(hw_pte_t* ptep) { ptep++; return ptep + 1; }
            internal static hw_pte_t Index(hw_pte_t* ptep) => ptep[3];
        }
        """;

    [Fact]
    public void The_strong_element_style_rejects_stack_copies_and_dereferences_but_not_pointer_arithmetic()
    {
        var strong = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64", "strong", Style: "element"), [Misuse]);
        var alias = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64", "alias", Style: "element"), [Misuse]);

        var errors = strong.CompileDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        // A pte_t* to a copy is not a hw_pte_t* (CS1503), and *ptep is the wrapper, not a pte_t (CS0029).
        Assert.Contains(errors, d => d.Id == "CS1503" && d.GetMessage().Contains("pte_t*"));
        Assert.Contains(errors, d => d.Id == "CS0029" && d.GetMessage().Contains("hw_pte_t"));
        Assert.Equal(2, errors.Count); // ptep++, ptep + 1 and ptep[3] still compile: a pointer is a pointer
        Assert.DoesNotContain(alias.CompileDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void The_style_can_be_given_per_arch()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64;ept", "strong", Style: "ept=element"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics.Select(d => d.ToString()));
        var headers = run.Sources.Select(s => s.Source.Split('\n')[1]).Distinct().ToList();
        Assert.Contains(headers, h => h.Contains("arch \"ept\", strong form, element style."));
        Assert.Contains(headers, h => h.Contains("arch \"x86_64\", strong form."));
    }

    [Fact]
    public void An_unknown_style_is_an_error()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64", Style: "pointer"));

        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("HG0031", d.Id);
        Assert.Contains("HandleGenStyle is \"pointer\"", d.GetMessage());
    }
}
