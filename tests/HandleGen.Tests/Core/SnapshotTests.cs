using System.IO;
using System.Linq;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Core;

/// <summary>
/// The generated files for every shipped arch and form, committed under Snapshots/ and reviewed in
/// diffs. A change to a template shows up here as a readable diff before it reaches users.
/// </summary>
public sealed class SnapshotTests
{
    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Generated_files_match_the_snapshots(string arch, string form) =>
        MatchAll(arch + "." + form, new Switches(arch, form));

    [Theory]
    [InlineData("x86_64", "alias")]
    [InlineData("x86_64", "strong")]
    [InlineData("arm64_4k_48", "alias")]
    [InlineData("arm64_4k_48", "strong")]
    public void The_element_style_matches_the_snapshots(string arch, string form) =>
        MatchAll(arch + "." + form + "-element", new Switches(arch, form, Style: "element"));

    [Fact]
    public void Staged_conversion_with_strong_pte_and_pmd_matches_the_snapshot() =>
        MatchAll("x86_64.strong-pte-pmd", new Switches("x86_64", "strong", "pte;pmd"));

    /// <summary>
    /// A spec written before levels.json named entry bits: presentBit, tableFlags and pageFlags only. It generates the
    /// API as before but for what changed for every spec (pgprot_t, PAGE_KERNEL as a protection, pfn_L taking one), and
    /// has no role helpers and no leaves.
    /// </summary>
    private const string SpecWithoutNamedBits = """
        {
          "defaultArch": "x86_64",
          "arches": {
            "x86_64": { "pageShift": 12, "entryBits": 64, "form": "alias",
                        "levels": { "pgd": 9, "p4d": 0, "pud": 9, "pmd": 9, "pte": 9 },
                        "pfnBits": 40, "tableFlags": "0x63", "pageFlags": "0x63" }
          }
        }
        """;

    [Fact]
    public void A_spec_without_named_bits_matches_the_snapshot_and_compiles()
    {
        MatchAll("unnamed-bits.x86_64.alias", new Switches("x86_64", "alias"), SpecWithoutNamedBits);
        Assert.Empty(GeneratorHarness.Run(SpecWithoutNamedBits, new Switches("x86_64", "alias")).CompileDiagnostics.Select(d => d.ToString()));
    }

    private static void MatchAll(string folder, Switches switches, string? spec = null)
    {
        var run = GeneratorHarness.Run(spec ?? GeneratorHarness.ShippedSpec, switches);
        Assert.Empty(run.GeneratorDiagnostics);
        var dir = Path.Combine(RepoPaths.Snapshots, folder);

        var sources = run.Sources;
        Assert.Equal(RepoPaths.NetFiles(contiguous: switches.Arch == "arm64_4k_48" && spec is null), sources.Count);
        Snapshot.MatchAll(sources.Select(s => (Path.Combine(dir, s.HintName), s.Source)));

        // A file the generator no longer writes must not linger as a stale snapshot.
        var stale = Directory.GetFiles(dir, "*.g.cs").Select(Path.GetFileName).Except(sources.Select(s => s.HintName));
        Assert.Empty(stale);
    }
}
