using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Analyzers;

/// <summary>The analyzer tests' source files (AnalyzerSources/), and the expectations written beside their lines.</summary>
internal static class Sources
{
    public static string Read(string file) =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "HandleGen.Tests", "Analyzers", "AnalyzerSources", file));

    /// <summary>The source with every "LL" replaced by a level's name: one text serves all five levels.</summary>
    public static string ForLevel(string file, string level) => Read(file).Replace("LL", level);

    /// <summary>Every "// expect HGnnnn HGmmmm" marker, as (ID, line) pairs, in line order.</summary>
    public static (string Id, int Line)[] Expected(string text, string file, string prefix = "HG") =>
        text.Split('\n')
            .SelectMany((line, i) => Regex.Match(line, @"// expect ((?:HG\d{4}\s*)+)") is { Success: true } m
                ? m.Groups[1].Value.Split(' ', System.StringSplitOptions.RemoveEmptyEntries).Where(id => id.StartsWith(prefix, System.StringComparison.Ordinal)).Select(id => (id, i + 1))
                : [])
            .OrderBy(x => x.Item2).ThenBy(x => x.Item1)
            .ToArray();

    /// <summary>The (ID, line) pairs of the found diagnostics with the given prefix, in the same order as <see cref="Expected"/>.</summary>
    public static (string Id, int Line)[] Actual(System.Collections.Generic.IEnumerable<Found> found, string prefix = "HG") =>
        found.Where(f => f.Id.StartsWith(prefix, System.StringComparison.Ordinal)).Select(f => (f.Id, f.Line)).OrderBy(x => x.Line).ThenBy(x => x.Id).ToArray();
}
