using System.Collections.Generic;
using System.IO;
using System.Linq;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Core;

/// <summary>
/// The generated files, committed under Snapshots/ and reviewed in diffs: a change to a template shows up here as
/// a readable diff before it reaches users. Two configurations are snapshotted whole, in every form and style:
/// x86_64 and arm64_4k_48 (a 4-level walk with a folded p4d each, one with x86's PSE leaves and NX, one with
/// arm64's block descriptors, DBM and contiguous runs). Of every other shipped arch only the files whose text
/// depends on its format are: a file that is, but for the arch's name and namespace, the same as that file of
/// x86_64 or arm64_4k_48 in the same form is already checked by their snapshot, and has none of its own.
/// </summary>
public sealed class SnapshotTests
{
    /// <summary>The configurations snapshotted whole.</summary>
    private static readonly string[] FullArches = ["x86_64", "arm64_4k_48"];

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Generated_files_match_the_snapshots(string arch, string form)
    {
        if (FullArches.Contains(arch))
            MatchAll(arch + "." + form, new Switches(arch, form));
        else
            MatchFormatDependent(arch, form);
    }

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
        var sources = run.Sources;
        Assert.Equal(RepoPaths.NetFiles(contiguous: switches.Arch == "arm64_4k_48" && spec is null), sources.Count);
        Match(folder, sources);
    }

    /// <summary>
    /// Snapshots the files of <paramref name="arch"/> that no whole configuration's file matches once the arch's
    /// name and namespace are set aside; the others must have no snapshot (it would be a stale copy).
    /// </summary>
    private static void MatchFormatDependent(string arch, string form)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arch, form));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(RepoPaths.NetFiles(contiguous: false), run.Sources.Count);

        var covered = FullArches
            .SelectMany(full => Normalized(full, GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(full, form)).Sources))
            .ToHashSet();
        var dependent = run.Sources.Where(s => !covered.Contains(Normalized(arch, s))).ToList();
        Match(arch + "." + form, dependent);
    }

    private static IEnumerable<(string HintName, string Source)> Normalized(string arch, IEnumerable<(string HintName, string Source)> sources) =>
        sources.Select(s => Normalized(arch, s));

    // The arch's name appears quoted ("arch \"ept\""); its namespace in the namespace line, global:: names and the hint name.
    private static (string HintName, string Source) Normalized(string arch, (string HintName, string Source) source)
    {
        var ns = SpecFacts.Of(arch).Namespace;
        return (source.HintName.Replace(ns + ".", "NAMESPACE."),
            source.Source.Replace("\"" + arch + "\"", "\"ARCH\"").Replace(ns, "NAMESPACE"));
    }

    private static void Match(string folder, IReadOnlyList<(string HintName, string Source)> sources)
    {
        var dir = Path.Combine(RepoPaths.Snapshots, folder);
        Snapshot.MatchAll(sources.Select(s => (Path.Combine(dir, s.HintName), s.Source)));

        // A file the generator no longer writes, or no longer writes differently, must not linger as a stale snapshot.
        var stale = Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.g.cs").Select(Path.GetFileName).Except(sources.Select(s => s.HintName))
            : [];
        Assert.Empty(stale);
    }
}
