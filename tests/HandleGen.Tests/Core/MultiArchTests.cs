using System.Linq;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Core;

/// <summary>
/// Several arches in one compilation (a hypervisor's host tables beside EPT or stage 2): each arch is
/// generated completely into its own namespace, each with its own form.
/// </summary>
public sealed class MultiArchTests
{
    /// <summary>Both arches' API used side by side: the host's through the global aliases, EPT's through its namespace.</summary>
    private const string BothArches = """
        using Ept = PageTables.Ept;
        internal static unsafe class Use
        {
            public static ulong Host(PageTables.pte_t* p) { hw_ptep h = p; return PageTables.Pgtable.pte_val(PageTables.Pgtable.ptep_get(h)); }
            public static ulong Guest(Ept.pte_t* p) => Ept.Pgtable.pte_val(Ept.Pgtable.ptep_get(Ept.Pgtable.__hw_ptep(p)));
        }
        """;

    [Theory]
    [InlineData("x86_64;ept", "alias")]
    [InlineData("x86_64;ept", "strong")]
    [InlineData("x86_64;ept", "x86_64=alias;ept=strong")]
    [InlineData("x86_64;ept", "x86_64=strong;ept=alias")]
    [InlineData("x86_64;ept;arm64_s2_4k", "strong;ept=alias")]
    public void Several_arches_compile_clean_each_in_its_namespace(string arches, string forms)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arches, forms));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics.Select(d => d.ToString()));
        var names = arches.Split(';');
        Assert.Equal(names.Length * RepoPaths.NetFiles(), run.Sources.Count);
        Assert.Equal(run.Sources.Count, run.Sources.Select(s => s.HintName).Distinct().Count());
    }

    [Theory]
    [InlineData("alias")]
    [InlineData("x86_64=alias;ept=strong")]
    public void User_code_reaches_both_arches(string forms)
    {
        // x86_64 is listed first, so in the alias form it owns the global hw_ptep alias.
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64;ept", forms), [BothArches]);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("x86_64=alias;ept=strong", "x86_64", "alias")]
    [InlineData("x86_64=alias;ept=strong", "ept", "strong")]
    [InlineData("strong;ept=alias", "x86_64", "strong")]
    [InlineData("strong;ept=alias", "ept", "alias")]
    public void Each_arch_gets_its_own_form(string forms, string arch, string expected)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64;ept", forms));

        var header = run.Sources.Select(s => s.Source.Split('\n')[1]).First(l => l.Contains("arch \"" + arch + "\""));
        Assert.Contains(expected + " form", header);
    }

    [Fact]
    public void Strong_levels_can_be_given_per_arch()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64;ept", "strong", "ept=pte;ept=pmd"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics.Select(d => d.ToString()));
        var headers = run.Sources.Select(s => s.Source.Split('\n')[1]).Distinct().ToList();
        Assert.Contains(headers, h => h.Contains("arch \"ept\", strong form at pmd, pte (the other levels alias)"));
        Assert.Contains(headers, h => h.Contains("arch \"x86_64\", strong form."));
    }

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void A_host_entry_handed_to_an_ept_helper_is_a_compile_error(string form)
    {
        // The two formats' entries are different types in either form: a host pte is never read as an EPT entry.
        const string mixUp = """
            using Ept = PageTables.Ept;
            internal static unsafe class MixUp
            {
                internal static Ept.pte_t Read(PageTables.pte_t* host) => Ept.Pgtable.ptep_get(PageTables.Pgtable.__hw_ptep(host));
            }
            """;

        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64;ept", form), [mixUp]);

        var error = Assert.Single(run.CompileDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CS1503", error.Id);
    }

    [Fact]
    public void Two_arches_in_one_namespace_is_an_error_at_the_second_arch()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64;i386"));

        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("HG0030", d.Id);
        Assert.Contains("\"x86_64\" and \"i386\"", d.GetMessage());
        Assert.Contains("\"PageTables\"", d.GetMessage());
        // Reported at the name of i386 in levels.json.
        var line = GeneratorHarness.ShippedSpec.Split('\n')[d.Location.GetLineSpan().StartLinePosition.Line];
        Assert.StartsWith("    \"i386\":", line);
        Assert.Empty(run.Sources);
    }

    [Theory]
    [InlineData("x86_64;ept", "x86_64=alias;arm64_s2_4k=strong", null, "HandleGenForm has \"arm64_s2_4k=strong\", but arch \"arm64_s2_4k\" is not built")]
    [InlineData("x86_64;ept", "ept=alias;ept=strong", null, "it gives arch \"ept\" more than one form")]
    [InlineData("x86_64;ept", "strong", "i386=pte", "HandleGenStrongLevels has \"i386=pte\", but arch \"i386\" is not built")]
    public void A_switch_item_for_an_arch_not_built_is_an_error(string arches, string forms, string? levels, string message)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arches, forms, levels));

        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("HG0029", d.Id);
        Assert.Contains(message, d.GetMessage());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void An_unknown_arch_in_the_list_is_named()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64;vtx"));

        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("HG0017", d.Id);
        Assert.Contains("HandleGenArch is \"vtx\"", d.GetMessage());
    }
}
