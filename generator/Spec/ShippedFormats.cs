using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using HandleGen.Generator.Diagnostics;

namespace HandleGen.Generator.Spec;

/// <summary>
/// The formats HandleGen ships: the repository's levels.json, embedded in this assembly when it is built
/// and read once per process, by the same reader as a user's levels.json. A project without a
/// levels.json builds them by naming one in HandleGenArch; an arch of a user's levels.json takes one as
/// its "base".
/// </summary>
internal static class ShippedFormats
{
    private const string ResourceName = "HandleGen.Formats.levels.json";

    // Only a broken build of HandleGen could make the shipped formats fail to read; the message names them so.
    private const string DisplayPath = "levels.json shipped in HandleGen";

    private static readonly Lazy<LevelsSpec> Read = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shipped formats as a valid spec; its arches carry the members of the embedded file.</summary>
    public static LevelsSpec Spec => Read.Value;

    /// <summary>The names of the shipped formats, in the file's order.</summary>
    public static IReadOnlyList<string> Names => Spec.Arches.Select(a => a.Name).ToList();

    public static ArchSpec? Find(string name) => Spec.Arches.FirstOrDefault(a => a.Name == name);

    private static LevelsSpec Load()
    {
        var assembly = typeof(ShippedFormats).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("the resource " + ResourceName + " is missing from " + assembly.GetName().Name);
        using var reader = new StreamReader(stream);
        var diagnostics = new List<DiagnosticInfo>();
        return SpecReader.Read(DisplayPath, reader.ReadToEnd(), diagnostics, requireDefaultArch: true, allowBase: false)
            ?? throw new InvalidOperationException("the " + DisplayPath + " has errors: " + string.Join(", ", diagnostics.Select(d => d.Id)));
    }
}
