using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HandleGen.Generator.Input;

/// <summary>
/// The MSBuild properties that steer generation, as plain strings (empty when unset). The package's
/// build/ props make them visible to the compiler as build_property.*; the lists (arches,
/// forms, strong levels) arrive with ',' between items (see HandleGen.targets).
/// </summary>
/// <param name="Consumer">
/// True when the project references HandleGen itself. The generator also reaches projects that only reference
/// a library using HandleGen (NuGet passes analyzers along project references); they lack the props that set
/// this, and the generator then neither generates nor reports anything.
/// </param>
/// <param name="SpecGiven">Whether the project set HandleGenSpec itself, rather than leaving the default levels.json beside it.</param>
internal sealed record BuildSwitches(bool Consumer, string Arch, string Form, string StrongLevels, string SpecPath, string Style, string DirectMap, string Visibility, bool SpecGiven = false)
{
    public static BuildSwitches From(AnalyzerConfigOptions options) => new(
        Read(options, "_HandleGenConsumer") == "true",
        Read(options, "_HandleGenArchList"),
        Read(options, "_HandleGenFormList"),
        Read(options, "_HandleGenStrongLevelList"),
        Read(options, "HandleGenSpec"),
        Read(options, "_HandleGenStyleList"),
        Read(options, "HandleGenDirectMap"),
        Read(options, "HandleGenVisibility"),
        Read(options, "_HandleGenSpecGiven").Length > 0);

    /// <summary>The arches HandleGenArch names, each once, in its order; empty when it names none.</summary>
    public List<string> ArchNames() => Arch.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries)
        .Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private static string Read(AnalyzerConfigOptions options, string name) =>
        options.TryGetValue("build_property." + name, out var value) ? value.Trim() : string.Empty;
}
