using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Core;

/// <summary>
/// Where a generated name is Linux's, its shape is Linux's: the signatures below are typed in from the kernel's
/// headers (quoted beside each), never read from the generator. The deliberate differences are in
/// docs/linux-fidelity.md; the ones a test can see are pinned here too.
/// </summary>
public sealed class LinuxFidelityTests
{
    private const BindingFlags Public = BindingFlags.Public | BindingFlags.Static;

    // include/linux/pgtable.h: "static inline pgd_t *pgd_offset_pgd(pgd_t *pgd, unsigned long address)" and
    // "#define pgd_offset(mm, address) pgd_offset_pgd((mm)->pgd, (address))": the walk from a table is pgd_offset_pgd;
    // pgd_offset takes an mm, which HandleGen has not, so it is not generated.
    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void The_walk_from_a_pgd_table_is_pgd_offset_pgd(string arch, string form)
    {
        var type = EntryFormatTests.Api.Of(arch, form).Type;

        var offset = type.GetMethod("pgd_offset_pgd", Public);
        Assert.NotNull(offset);
        Assert.Equal([offset.ReturnType, typeof(ulong)], offset.GetParameters().Select(p => p.ParameterType));
        Assert.Null(type.GetMethod("pgd_offset", Public));
    }

    // include/linux/pgtable.h (CONFIG_HAVE_ARCH_HUGE_VMAP):
    // "int p4d_set_huge(p4d_t *p4d, phys_addr_t addr, pgprot_t prot);" "void p4d_clear_huge(p4d_t *p4d);"
    // "int pud_set_huge(pud_t *pud, phys_addr_t addr, pgprot_t prot);" "int pmd_set_huge(pmd_t *pmd, phys_addr_t addr, pgprot_t prot);"
    // "int pud_clear_huge(pud_t *pud);" "int pmd_clear_huge(pmd_t *pmd);" (the folded p4d's are the same, static inline).
    private static readonly Dictionary<string, System.Type> HugeVmapReturns = new()
    {
        ["p4d_set_huge"] = typeof(int), ["p4d_clear_huge"] = typeof(void),
        ["pud_set_huge"] = typeof(int), ["pud_clear_huge"] = typeof(int),
        ["pmd_set_huge"] = typeof(int), ["pmd_clear_huge"] = typeof(int),
    };

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void The_huge_vmap_helpers_return_what_pgtable_h_declares(string arch, string form)
    {
        var type = EntryFormatTests.Api.Of(arch, form).Type;

        foreach (var (name, returns) in HugeVmapReturns)
        {
            var method = type.GetMethod(name, Public);
            Assert.True(method is not null, $"{arch}: no {name}");
            Assert.True(returns == method.ReturnType, $"{arch} {name} returns {method.ReturnType.Name}, pgtable.h's {returns.Name}");
        }
    }

    // No shipped format has p4d leaves, so p4d_clear_huge is the empty one there; a format that names them gets
    // the one that clears a leaf, still void.
    [Fact]
    public void A_p4d_that_may_be_a_leaf_has_a_void_p4d_clear_huge_that_clears_it()
    {
        const string spec = """
            { "defaultArch": "big", "arches": { "big": { "base": "x86_64_la57", "leafLevels": ["p4d", "pud", "pmd"] } } }
            """;
        var run = GeneratorHarness.Run(spec, new Switches("big", "alias"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics.Select(d => d.ToString()));

        var roles = run.Sources.Single(s => s.HintName.EndsWith(".Leaves.g.cs", System.StringComparison.Ordinal)).Source;
        Assert.Contains("""
                public static void p4d_clear_huge(hw_p4dp p4dp)
                {
                    if (p4d_leaf(p4dp_get_once(p4dp)))
                        p4d_clear(p4dp);
                }
            """, roles.Replace("\r\n", "\n"));
    }

    // The documented choice (docs/linux-fidelity.md): pXX_leaf checks present itself, as arm64's
    // "#define pmd_leaf(pmd) (pmd_present(pmd) && !pmd_table(pmd))" and riscv's "return pmd_present(pmd) &&
    // (pmd_val(pmd) & _PAGE_LEAF);" do, where x86's "return pmd_flags(pte) & _PAGE_PSE;" does not. The entries are
    // typed by hand: x86 _PAGE_PSE 0x80 with and without _PAGE_PRESENT 0x1; riscv _PAGE_READ 0x2 with and without
    // _PAGE_PRESENT 0x1.
    [Theory]
    [InlineData("x86_64", "pmd", 0x80UL, 0x81UL)]
    [InlineData("x86_64", "pud", 0x80UL, 0x81UL)]
    [InlineData("riscv_sv48", "pmd", 0x2UL, 0x3UL)]
    [InlineData("riscv_sv48", "pud", 0x2UL, 0x3UL)]
    public void A_leaf_test_is_false_for_an_entry_that_is_not_present(string arch, string level, ulong absent, ulong present)
    {
        var api = EntryFormatTests.Api.Of(arch, "alias");

        Assert.False(api.Is(level + "_leaf", api.Entry(level, absent)));
        Assert.True(api.Is(level + "_leaf", api.Entry(level, present)));
    }

    // The shipped formats whose bits and protections are Linux's name the release they follow (levels.json "kernel");
    // EPT and stage 2 are the hardware's layouts (the SDM's, the Arm ARM's), with protections composed as KVM makes a
    // RAM mapping, and name none.
    private static readonly Dictionary<string, string?> Kernels = new()
    {
        ["x86_64"] = "v6.12", ["x86_64_la57"] = "v6.12", ["i386"] = "v6.12", ["i386_pae"] = "v6.12",
        ["arm64_4k_48"] = "v6.12", ["riscv_sv39"] = "v6.12", ["riscv_sv48"] = "v6.12", ["riscv_sv57"] = "v6.12",
        ["ept"] = null, ["arm64_s2_4k"] = null,
    };

    [Theory]
    [ClassData(typeof(Arches))]
    public void The_protections_doc_comments_name_the_kernel_release_their_values_follow(string arch)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arch, "alias"));
        var format = run.Sources.Single(s => s.HintName.EndsWith(".Protections.g.cs", System.StringComparison.Ordinal)).Source;
        var kernel = Kernels[arch];

        // PAGE_KERNEL's summary, from its first line to its end.
        var start = format.IndexOf("The protection <c>PAGE_KERNEL</c>", System.StringComparison.Ordinal);
        Assert.True(start >= 0);
        var kernelDocs = format[start..format.IndexOf("</summary>", start, System.StringComparison.Ordinal)];
        if (kernel is null)
            Assert.DoesNotContain("As Linux", kernelDocs);
        else
            Assert.Contains("/// As Linux " + kernel + " defines it.\n", kernelDocs.Replace("\r", ""));
    }
}
