using System.Linq;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Tests.Diagnostics;

/// <summary>
/// Every fault in levels.json is an HG error at the exact spot, with a message naming the key, and
/// nothing is generated. Positions are checked against the spot picked by hand in each case.
/// </summary>
public sealed class SpecDiagnosticTests
{
    internal static readonly SpecFault[] All =
    [
        new SpecFault("trailing garbage", BaseSpec.Text + "\nxyz", "HG0001", "xyz", "after the end"),
        new SpecFault("a comment", BaseSpec.With("\"arches\": {", "\"arches\": { // the arches"), "HG0001", "//", "Comments"),
        new SpecFault("a trailing comma", BaseSpec.With("\"pte\": 9 }", "\"pte\": 9, }"), "HG0001", ", }", "Trailing comma"),
        new SpecFault("the same arch twice", BaseSpec.With("\"arches\": {", "\"arches\": { \"x86_64\": { },"), "HG0002", "\"x86_64\"", "x86_64", Occurrence: 3),
        new SpecFault("the same key twice", BaseSpec.With("\"pageShift\": 12,", "\"pageShift\": 12, \"pageShift\": 12,"), "HG0002", "\"pageShift\"", "pageShift", Occurrence: 2),
        new SpecFault("the same level twice", BaseSpec.With("\"pmd\": 9,", "\"pmd\": 9, \"pmd\": 9,"), "HG0002", "\"pmd\"", "pmd", Occurrence: 2),
        new SpecFault("a misspelled key", BaseSpec.With("\"pageShift\"", "\"pageShfit\""), "HG0003", "\"pageShfit\"", "pageShift"),
        new SpecFault("an extra root key", BaseSpec.With("\"namespace\"", "\"colour\": \"red\", \"namespace\""), "HG0003", "\"colour\"", "colour"),
        new SpecFault("a missing key", BaseSpec.With("\"entryBits\": 64, ", ""), "HG0004", "\"x86_64\": {", "entryBits"),
        new SpecFault("a missing defaultArch", BaseSpec.With("\"defaultArch\": \"x86_64\",", ""), "HG0004", "{", "defaultArch"),
        new SpecFault("a width as a string", BaseSpec.With("\"pud\": 9", "\"pud\": \"9\""), "HG0005", "\"9\"", "arches.x86_64.levels.pud"),
        new SpecFault("a fractional width", BaseSpec.With("\"pud\": 9", "\"pud\": 9.5"), "HG0005", "9.5", "arches.x86_64.levels.pud"),
        new SpecFault("a namespace that is a number", BaseSpec.With("\"PageTables\"", "42"), "HG0005", "42", "namespace"),
        new SpecFault("a document that is an array", "[1, 2]", "HG0005", "[", "document"),
        new SpecFault("a negative width", BaseSpec.With("\"pud\": 9", "\"pud\": -1"), "HG0006", "-1", "arches.x86_64.levels.pud"),
        new SpecFault("a width too large for any integer", BaseSpec.With("\"pud\": 9", "\"pud\": 123456789012345678901234567890"), "HG0006", "123456789012345678901234567890", "too large for any integer type"),
        new SpecFault("an unknown form", BaseSpec.With("\"alias\"", "\"strnog\""), "HG0006", "\"strnog\"", "arches.x86_64.form"),
        new SpecFault("an unknown style", BaseSpec.With("\"form\": \"alias\"", "\"form\": \"alias\", \"style\": \"elements\""), "HG0006", "\"elements\"", "arches.x86_64.style"),
        new SpecFault("an unknown direct map", BaseSpec.With("\"form\": \"alias\"", "\"form\": \"alias\", \"directMap\": \"hhdm\""), "HG0006", "\"hhdm\"", "arches.x86_64.directMap"),
        new SpecFault("an offset direct map without a number", BaseSpec.With("\"form\": \"alias\"", "\"form\": \"alias\", \"directMap\": \"offset:0xg0\""), "HG0006", "\"offset:0xg0\"", "arches.x86_64.directMap"),
        new SpecFault("an unknown level", BaseSpec.With("\"pmd\": 9,", "\"pmdd\": 9,"), "HG0007", "\"pmdd\"", "pmdd"),
        new SpecFault("a missing level", BaseSpec.With(", \"pte\": 9", ""), "HG0008", "\"levels\"", "pte"),
        new SpecFault("pgd folded", BaseSpec.With("\"pgd\": 9", "\"pgd\": 0"), "HG0009", "0, \"p4d\"", "pgd"),
        new SpecFault("pte folded", BaseSpec.With("\"pte\": 9", "\"pte\": 0"), "HG0009", "0 }", "pte"),
        new SpecFault("more than 64 address bits", BaseSpec.With("\"pageShift\": 12", "\"pageShift\": 24").Replace("\"pgd\": 9, \"p4d\": 0", "\"pgd\": 13, \"p4d\": 9"), "HG0010", "\"levels\"", "pageShift"),
        new SpecFault("a lower table larger than a page", BaseSpec.With("\"pmd\": 9", "\"pmd\": 10"), "HG0011", "10", "pmd"),
        new SpecFault("entryBits 48", BaseSpec.With("\"entryBits\": 64", "\"entryBits\": 48"), "HG0012", "48", "entryBits"),
        new SpecFault("pageShift 9", BaseSpec.With("\"pageShift\": 12", "\"pageShift\": 9"), "HG0013", "9,", "pageShift"),
        new SpecFault("pageShift 25", BaseSpec.With("\"pageShift\": 12", "\"pageShift\": 25"), "HG0013", "25", "pageShift"),
        new SpecFault("a namespace with a space", BaseSpec.With("\"PageTables\"", "\"Page Tables\""), "HG0014", "\"Page Tables\"", "namespace"),
        new SpecFault("a namespace that is a keyword", BaseSpec.With("\"PageTables\"", "\"My.class\""), "HG0014", "\"My.class\"", "class"),
        new SpecFault("an arch namespace that is invalid", BaseSpec.With("\"form\": \"alias\"", "\"form\": \"alias\", \"namespace\": \"1x\""), "HG0014", "\"1x\"", "namespace"),
        new SpecFault("defaultArch not among the arches", BaseSpec.With("\"defaultArch\": \"x86_64\"", "\"defaultArch\": \"x86\""), "HG0015", "\"x86\"", "defaultArch"),
        new SpecFault("no arches", "{ \"defaultArch\": \"x86_64\", \"arches\": { } }", "HG0016", "{ }", "arches"),
        new SpecFault("presentBit inside the PFN field", BaseSpec.With("\"form\": \"alias\"", "\"form\": \"alias\", \"presentBit\": 20"), "HG0024", "20", "presentBit"),
        new SpecFault("pageFlags inside the PFN field", BaseSpec.With("\"form\": \"alias\"", "\"form\": \"alias\", \"pageFlags\": \"0x1063\""), "HG0024", "\"0x1063\"", "pageFlags"),
        new SpecFault("tableFlags without the present bit", BaseSpec.With("\"form\": \"alias\"", "\"form\": \"alias\", \"tableFlags\": \"0x2\""), "HG0024", "\"0x2\"", "tableFlags"),
        new SpecFault("a role naming an unknown bit", Named("\"bits\": { \"PRESENT\": 0, \"NX\": 63 }, \"pfnBits\": 40, \"roles\": { \"present\": [\"PRESENT\"], \"exec\": \"!XD\" }"), "HG0027", "\"!XD\"", "XD"),
        new SpecFault("a present bit that is not defined", Named("\"bits\": { \"PRESENT\": 0 }, \"roles\": { \"present\": [\"VALID\"] }"), "HG0027", "\"VALID\"", "VALID"),
        new SpecFault("a protection naming an unknown bit", Named("\"bits\": { \"PRESENT\": 0, \"RW\": 1 }, \"protections\": { \"PAGE_KERNEL\": [\"PRESENT\", \"RWW\"] }"), "HG0027", "\"RWW\"", "RWW"),
        new SpecFault("an unknown role", Named("\"bits\": { \"PRESENT\": 0 }, \"roles\": { \"present\": [\"PRESENT\"], \"writable\": \"PRESENT\" }"), "HG0003", "\"writable\"", "writable"),
        new SpecFault("a named bit inside the PFN field", Named("\"bits\": { \"NX\": 63 }"), "HG0028", "63 }", "NX"),
        new SpecFault("a role naming a field", Named("\"bits\": { \"TYPE\": { \"bit\": 0, \"width\": 2 }, \"VALID\": 0 }, \"roles\": { \"present\": [\"VALID\"], \"young\": \"TYPE\" }"), "HG0028", "\"TYPE\"", "young", Occurrence: 2),
        new SpecFault("presentBit beside roles.present", Named("\"presentBit\": 0, \"bits\": { \"PRESENT\": 0 }, \"roles\": { \"present\": [\"PRESENT\"] }"), "HG0028", "0, \"bits\"", "presentBit"),
        new SpecFault("a contiguous bit that is not defined", Named("\"bits\": { \"PRESENT\": 0 }, \"contiguous\": { \"bit\": \"CONT\", \"pte\": 16 }"), "HG0027", "\"CONT\"", "CONT"),
        new SpecFault("a contiguous run that is not a power of two", Named("\"bits\": { \"PRESENT\": 0, \"CONT\": 52 }, \"pfnBits\": 40, \"contiguous\": { \"bit\": \"CONT\", \"pte\": 12 }"), "HG0028", "12 }", "power of two"),
        new SpecFault("a contiguous run of one entry", Named("\"bits\": { \"PRESENT\": 0, \"CONT\": 52 }, \"pfnBits\": 40, \"contiguous\": { \"bit\": \"CONT\", \"pmd\": 1 }"), "HG0006", "1 }", "contiguous.pmd"),
        new SpecFault("a contiguous run at pud", Named("\"bits\": { \"PRESENT\": 0, \"CONT\": 52 }, \"pfnBits\": 40, \"contiguous\": { \"bit\": \"CONT\", \"pud\": 16 }"), "HG0003", "\"pud\"", "pud"),
        new SpecFault("contiguous without its bit", Named("\"bits\": { \"PRESENT\": 0 }, \"contiguous\": { \"pte\": 16 }"), "HG0028", "\"contiguous\"", "bit"),
        new SpecFault("a contiguous field", Named("\"bits\": { \"PRESENT\": 0, \"C\": { \"bit\": 52, \"width\": 2 } }, \"pfnBits\": 40, \"contiguous\": { \"bit\": \"C\", \"pte\": 16 }"), "HG0028", "\"C\"", "field", Occurrence: 2),
        new SpecFault("readonly without a write bit", Named("\"bits\": { \"VALID\": 0, \"RDONLY\": 7 }, \"roles\": { \"present\": [\"VALID\"], \"readonly\": \"RDONLY\" }"), "HG0028", "\"RDONLY\"", "readonly", Occurrence: 2),
        new SpecFault("leafLevels without a leaf marker", Named("\"bits\": { \"PRESENT\": 0 }, \"roles\": { \"present\": [\"PRESENT\"] }, \"leafLevels\": [\"pmd\"]"), "HG0028", "[\"pmd\"]", "roles.leaf"),
        new SpecFault("a leaf level above a folded level", Named(X86Roles + ", \"leafLevels\": [\"pgd\"]"), "HG0028", "\"pgd\"", "p4d is folded"),
        new SpecFault("a leaf level pte", Named(X86Roles + ", \"leafLevels\": [\"pte\"]"), "HG0006", "\"pte\"", "leafLevels"),
        new SpecFault("table flags that read as a leaf", Named(X86Roles + ", \"leafLevels\": [\"pmd\"], \"tableFlags\": \"0xe7\""), "HG0028", "\"0xe7\"", "leaf marker"),
        new SpecFault("levelTableFlags of a level that populates nothing", Named(X86Roles + ", \"levelTableFlags\": { \"pgd\": \"0x1\" }"), "HG0028", "\"0x1\"", "pgd_populate"),
        new SpecFault("a kernel that is not a Linux version", Named("\"kernel\": \"6.12\""), "HG0006", "\"6.12\"", "v6.12"),
        new SpecFault("a kernel that is not a string", Named("\"kernel\": 6.12"), "HG0005", "6.12", "arches.x86_64.kernel"),
        new SpecFault("protections without PAGE_KERNEL", Named("\"protections\": { \"PAGE_NONE\": \"0x0\" }"), "HG0028", "\"protections\"", "PAGE_KERNEL"),
        new SpecFault("pageFlags beside protections", Named("\"pageFlags\": \"0x63\", \"protections\": { \"PAGE_KERNEL\": \"0x63\" }"), "HG0028", "\"0x63\"", "pageFlags"),
        new SpecFault("a protection not named PAGE_", Named("\"protections\": { \"PAGE_KERNEL\": \"0x63\", \"KERNEL_RO\": \"0x61\" }"), "HG0028", "\"KERNEL_RO\"", "PAGE_"),
        new SpecFault("an unknown base", Based("x86-64", ""), "HG0036", "\"x86-64\"", "did you mean \"x86_64\"?"),
        new SpecFault("a base in the wrong case", Based("X86_64", ""), "HG0036", "\"X86_64\"", "shipped formats: x86_64, x86_64_la57, i386"),
        new SpecFault("a base that is not a string", Based("x86_64", "").Replace("\"x86_64\" }", "64 }"), "HG0005", "64 }", "arches.x86_64.base"),
        new SpecFault("a misspelt base key", Based("x86_64", "").Replace("\"base\"", "\"bsae\""), "HG0003", "\"bsae\"", "did you mean \"base\"?"),
        new SpecFault("an unknown key beside base", Based("x86_64", ", \"pfnBtis\": 36"), "HG0003", "\"pfnBtis\"", "pfnBits"),
        new SpecFault("an override out of range", Based("x86_64", ", \"pfnBits\": 99"), "HG0006", "99", "arches.x86_64.pfnBits"),
        new SpecFault("an override the base's values do not fit", Based("x86_64", ", \"entryBits\": 32"), "HG0006", "\"base\"", "arches.x86_64.pfnBits"),
        new SpecFault("an override of bits the base's roles need", Based("x86_64", ", \"bits\": { \"PRESENT\": 0, \"RW\": 1 }"), "HG0027", "\"base\"", "USER"),
        new SpecFault("an override of levels the base's leaf levels do not fit", Based("x86_64", ", \"levels\": { \"pgd\": 9, \"p4d\": 9, \"pud\": 9, \"pmd\": 9, \"pte\": 0 }"), "HG0028", "\"base\"", "pte is folded into pmd"),
        new SpecFault("an override too wide for the base's page", Based("x86_64", ", \"pageShift\": 10"), "HG0011", "\"base\"", "pud"),
    ];

    // An arch on the shipped x86_64 with more keys of the user's, for the faults of "base" and of overrides.
    private static string Based(string name, string keys) => $$"""
        {
          "defaultArch": "x86_64",
          "arches": {
            "x86_64": { "base": "{{name}}"{{keys}} }
          }
        }
        """;

    // x86's named bits with a leaf marker, for faults of the leaf keys.
    private const string X86Roles = "\"bits\": { \"PRESENT\": 0, \"RW\": 1, \"PSE\": 7 }, \"roles\": { \"present\": [\"PRESENT\"], \"write\": \"RW\", \"leaf\": \"PSE\" }";

    private static string Named(string keys) => BaseSpec.With("\"form\": \"alias\"", "\"form\": \"alias\", " + keys);

    public static TheoryData<string> Faults => new(All.Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_fault_is_an_HG_error_at_its_spot_naming_the_key_and_nothing_is_generated(string name)
    {
        var fault = All.Single(f => f.Name == name);
        var run = GeneratorHarness.Run(fault.Spec);

        var diagnostic = run.GeneratorDiagnostics.FirstOrDefault(d => d.Id == fault.Id);
        Assert.True(diagnostic is not null, $"expected {fault.Id}, got: {string.Join("; ", run.GeneratorDiagnostics)}");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(GeneratorHarness.SpecPath, diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(fault.ExpectedPosition(), SpecFault.Position(diagnostic));
        Assert.Contains(fault.Key, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Sources);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785" or "HG9999");
    }

    [Fact]
    public void The_truncation_case_points_at_the_end_of_the_file()
    {
        // The table above locates "end of file" faults with an empty marker; check the position by hand too.
        var spec = BaseSpec.Text[..(BaseSpec.Text.IndexOf("\"x86_64\": {") - 1)];
        var diagnostic = Assert.Single(GeneratorHarness.Run(spec).GeneratorDiagnostics);
        var lines = spec.Split('\n');
        Assert.Equal((lines.Length, lines[^1].Length + 1), SpecFault.Position(diagnostic));
    }

    [Fact]
    public void A_top_level_table_larger_than_a_page_is_a_warning_and_code_is_still_generated()
    {
        var run = GeneratorHarness.Run(BaseSpec.With("\"pgd\": 9", "\"pgd\": 10"));

        var warning = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("HG0101", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.NotEmpty(run.Sources);
    }

    [Fact]
    public void Several_faults_are_all_reported_in_one_build()
    {
        var spec = BaseSpec.With("\"pud\": 9", "\"pud\": \"9\"").Replace("\"pageShift\"", "\"pageShfit\"").Replace("\"pmd\": 9,", "\"pmdd\": 9,");

        var ids = GeneratorHarness.Run(spec).GeneratorDiagnostics.Select(d => d.Id).ToHashSet();

        // Exactly these: a misspelt key or level is not reported a second time as missing.
        Assert.Equal(new[] { "HG0003", "HG0005", "HG0007" }.ToHashSet(), ids);
    }
}
