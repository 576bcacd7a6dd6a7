using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HandleGen.Generator.Input;

/// <summary>The text of one spec file as plain values (path, content); null content when unreadable.</summary>
internal sealed record SpecFile(string Path, string? Content)
{
    /// <summary>The item metadata the package's targets put on levels.json in AdditionalFiles.</summary>
    public const string MetadataKey = "build_metadata.AdditionalFiles.HandleGenSpec";

    public static bool IsSpec(AdditionalText file, AnalyzerConfigOptionsProvider options) =>
        options.GetOptions(file).TryGetValue(MetadataKey, out var value)
        && string.Equals(value, "true", System.StringComparison.OrdinalIgnoreCase);

    public static SpecFile Read(AdditionalText file, CancellationToken cancellationToken) =>
        new(file.Path, file.GetText(cancellationToken)?.ToString());
}
