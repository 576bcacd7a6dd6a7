using System.Globalization;
using System.IO;
using System.Linq;
using HandleGen.Generator;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Core;

/// <summary>
/// The formats of the repository's levels.json travel inside the generator: a project without a
/// levels.json builds them by naming one in HandleGenArch, and a user's arch takes one as its "base" and
/// replaces some of its keys.
/// </summary>
public sealed class ShippedFormatTests
{
    // A user's arch on x86_64 that changes four keys; the expectations below are worked out by hand.
    private const string Overridden = """
        {
          "defaultArch": "mine",
          "arches": {
            "mine": { "base": "x86_64", "namespace": "Kernel.Mm", "pfnBits": 36, "directMap": "offset:0xffff888000000000",
                      "levels": { "pgd": 9, "p4d": 9, "pud": 9, "pmd": 9, "pte": 9 } }
          }
        }
        """;

    private const string OverriddenProbe = """
        using static Kernel.Mm.Pgtable;
        internal static unsafe class Probe
        {
            public static ulong Mask() => PTE_PFN_MASK;
            public static ulong Pte(ulong pfn) => pte_val(pfn_pte(pfn, PAGE_KERNEL));
            public static ulong Va(ulong pa) => (ulong)__va(pa);
            public static int PgdirShift() => PGDIR_SHIFT;
            public static int P4dEntries() => PTRS_PER_P4D;
        }
        """;

    [Fact]
    public void The_generator_carries_the_repository_levels_json_itself()
    {
        using var stream = typeof(LevelsGenerator).Assembly.GetManifestResourceStream("HandleGen.Formats.levels.json");
        Assert.NotNull(stream);

        Assert.Equal(File.ReadAllText(RepoPaths.LevelsJson), new StreamReader(stream).ReadToEnd());
    }

    public static TheoryData<string, string> ShippedArchesAndForms()
    {
        var data = new TheoryData<string, string>();
        foreach (var arch in GeneratorHarness.ShippedArches())
        {
            data.Add(arch, "alias");
            data.Add(arch, "strong");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedArchesAndForms))]
    public void Without_a_levels_json_HandleGenArch_builds_the_shipped_format_as_the_repository_file_does(string arch, string form)
    {
        var switches = new Switches(Arch: arch, Form: form);

        var embedded = GeneratorHarness.RunFiles([], switches);

        Assert.Empty(embedded.GeneratorDiagnostics);
        Assert.Equal(GeneratorHarness.Run(GeneratorHarness.ShippedSpec, switches).Sources, embedded.Sources);
    }

    [Fact]
    public void Without_a_levels_json_a_list_of_shipped_formats_builds_each_in_its_shipped_namespace_and_compiles_clean()
    {
        var run = GeneratorHarness.RunFiles([], new Switches(Arch: "x86_64;ept;arm64_s2_4k"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        var namespaces = run.Sources.Select(s => s.Source.Split('\n').First(l => l.StartsWith("namespace ", System.StringComparison.Ordinal)).Trim()).ToHashSet();
        Assert.Equal(new[] { "namespace PageTables;", "namespace PageTables.Ept;", "namespace PageTables.Stage2;" }.ToHashSet(), namespaces);
    }

    [Fact]
    public void An_arch_with_only_a_base_is_the_shipped_format()
    {
        var spec = """{ "defaultArch": "x86_64", "arches": { "x86_64": { "base": "x86_64" } } }""";

        var run = GeneratorHarness.Run(spec, new Switches(Form: "strong"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Form: "strong")).Sources, run.Sources);
    }

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void The_keys_of_a_based_arch_replace_the_base_keys_whole(string form)
    {
        var run = GeneratorHarness.Run(Overridden, new Switches(Form: form), [OverriddenProbe]);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        var probe = CompiledAssembly.Load(run.Output);

        // pfnBits 36 from bit 12: bits 12..47, where x86_64's 40 would reach bit 51.
        Assert.Equal(0x0000_ffff_ffff_f000UL, probe.Call<ulong>("Probe", "Mask"));
        // A frame number of 37 bits loses its top bit; PAGE_KERNEL stays x86_64's (NX, GLOBAL, DIRTY, ACCESSED, RW, PRESENT).
        Assert.Equal(0x8000_ffff_ffff_f163UL, probe.Call<ulong>("Probe", "Pte", 0x1f_ffff_ffffUL));
        Assert.Equal(0xffff_8880_0000_1000UL, probe.Call<ulong>("Probe", "Va", 0x1000UL));
        // The five levels replaced whole: 12 + 4 * 9 = 48, and the p4d is no longer folded.
        Assert.Equal(48, probe.Call<int>("Probe", "PgdirShift"));
        Assert.Equal(512, probe.Call<int>("Probe", "P4dEntries"));
    }

    [Fact]
    public void A_user_file_needs_no_defaultArch_when_HandleGenArch_names_the_arches()
    {
        var spec = """{ "arches": { "kernel": { "base": "riscv_sv39" } } }""";

        var named = GeneratorHarness.Run(spec, new Switches(Arch: "kernel"));
        Assert.Empty(named.GeneratorDiagnostics);
        Assert.NotEmpty(named.Sources);

        var unnamed = GeneratorHarness.Run(spec);
        Assert.Equal("HG0004", Assert.Single(unnamed.GeneratorDiagnostics).Id);
        Assert.Contains("defaultArch", Message(unnamed.GeneratorDiagnostics[0]));
    }

    [Fact]
    public void With_no_spec_and_no_HandleGenArch_HG0020_says_the_three_ways_out()
    {
        var run = GeneratorHarness.RunFiles([]);

        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("HG0020", d.Id);
        Assert.Equal(Location.None, d.Location);
        Assert.Contains("beside the project file", Message(d));
        Assert.Contains("<HandleGenSpec>", Message(d));
        Assert.Contains("<HandleGenArch> to a format shipped in HandleGen: x86_64, x86_64_la57, i386, i386_pae, arm64_4k_48, ept, arm64_s2_4k, riscv_sv39, riscv_sv48, riscv_sv57", Message(d));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void A_HandleGenSpec_naming_a_missing_file_is_HG0020_even_with_HandleGenArch()
    {
        var run = GeneratorHarness.RunFiles([], new Switches(Arch: "x86_64", Spec: "specs/levels.json"));

        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("HG0020", d.Id);
        Assert.Contains("<HandleGenSpec> is \"specs/levels.json\", which does not exist", Message(d));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Without_a_levels_json_an_unknown_HandleGenArch_lists_the_shipped_formats()
    {
        var run = GeneratorHarness.RunFiles([], new Switches(Arch: "x86-64"));

        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("HG0017", d.Id);
        Assert.Equal(Location.None, d.Location);
        Assert.Contains("HandleGenArch is \"x86-64\", which is not a format shipped in HandleGen (did you mean \"x86_64\"?)", Message(d));
        Assert.Contains("shipped formats: x86_64, x86_64_la57, i386, i386_pae, arm64_4k_48, ept, arm64_s2_4k, riscv_sv39, riscv_sv48, riscv_sv57", Message(d));
    }

    [Fact]
    public void A_shipped_format_missing_from_a_user_file_is_HG0017_telling_how_to_add_it()
    {
        var run = GeneratorHarness.Run(Overridden, new Switches(Arch: "ept"));

        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("HG0017", d.Id);
        Assert.Contains("arches there: mine; to build the shipped format, add \"ept\": { \"base\": \"ept\" } to them", Message(d));
    }

    [Fact]
    public void Without_a_levels_json_two_shipped_formats_of_one_namespace_are_HG0030()
    {
        var d = Assert.Single(GeneratorHarness.RunFiles([], new Switches(Arch: "x86_64;x86_64_la57")).GeneratorDiagnostics);

        Assert.Equal("HG0030", d.Id);
        Assert.Equal(Location.None, d.Location);
        Assert.Contains("\"PageTables\"", Message(d));
    }

    [Fact]
    public void Two_bases_of_one_namespace_build_together_once_one_moves()
    {
        var spec = """{ "arches": { "x86_64": { "base": "x86_64" }, "i386": { "base": "i386", "namespace": "PageTables.I386" } } }""";

        var run = GeneratorHarness.Run(spec, new Switches(Arch: "x86_64;i386"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        Assert.Contains(run.Sources, s => s.Source.Contains("namespace PageTables.I386;"));
        Assert.Contains(run.Sources, s => s.Source.Contains("namespace PageTables;"));
    }

    private static string Message(Diagnostic d) => d.GetMessage(CultureInfo.InvariantCulture);
}
