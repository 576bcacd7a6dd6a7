using Microsoft.CodeAnalysis.Diagnostics;

namespace HandleGen.Generator.Options;

/// <summary>
/// The MSBuild properties that steer generation, as plain strings (empty when unset). The package's
/// buildTransitive props make them visible to the compiler as build_property.*; the lists (arches,
/// forms, strong levels) arrive with ',' between items (see HandleGen.targets).
/// </summary>
internal sealed record BuildSwitches(string Arch, string Form, string StrongLevels, string SpecPath, string Style, string DirectMap)
{
    public static BuildSwitches From(AnalyzerConfigOptions options) => new(
        Read(options, "_HandleGenArchList"),
        Read(options, "_HandleGenFormList"),
        Read(options, "_HandleGenStrongLevelList"),
        Read(options, "HandleGenSpec"),
        Read(options, "_HandleGenStyleList"),
        Read(options, "HandleGenDirectMap"));

    private static string Read(AnalyzerConfigOptions options, string name) =>
        options.TryGetValue("build_property." + name, out var value) ? value.Trim() : string.Empty;
}
