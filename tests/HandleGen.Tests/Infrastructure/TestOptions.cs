using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.Tests.Infrastructure;

/// <summary>An additional file held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText source = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(System.Threading.CancellationToken cancellationToken = default) => source;
}

/// <summary>
/// What MSBuild hands the compiler for a HandleGen consumer: the switches as build_property.*, and the
/// HandleGenSpec metadata on the spec files (see package/build). Shared by the tests and the
/// generator benchmarks; it allocates nothing per query, so a benchmark measures only the generator.
/// </summary>
internal sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> global, ISet<string> specPaths) : AnalyzerConfigOptionsProvider
{
    private static readonly Options None = new(ImmutableDictionary<string, string>.Empty);
    private static readonly Options SpecMetadata = new(new Dictionary<string, string> { ["build_metadata.AdditionalFiles.HandleGenSpec"] = "true" });

    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => None;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => specPaths.Contains(textFile.Path) ? SpecMetadata : None;

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
