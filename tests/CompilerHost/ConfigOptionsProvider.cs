using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.CompilerHost;

/// <summary>The build's .editorconfig and .globalconfig files (build_property.* among them), as csc reads them.</summary>
internal sealed class ConfigOptionsProvider(AnalyzerConfigSet set) : AnalyzerConfigOptionsProvider
{
    public static ConfigOptionsProvider From(IEnumerable<string> paths) =>
        new(AnalyzerConfigSet.Create(paths.Select(p => AnalyzerConfig.Parse(File.ReadAllText(p), p)).ToList()));

    public override AnalyzerConfigOptions GlobalOptions => new Options(set.GlobalConfigOptions.AnalyzerOptions);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(set.GetOptionsForSourcePath(tree.FilePath).AnalyzerOptions);

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(set.GetOptionsForSourcePath(textFile.Path).AnalyzerOptions);

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}

/// <summary>An additional file read from disk, as csc hands it to generators.</summary>
internal sealed class AdditionalFile(string path) : AdditionalText
{
    public override string Path => path;

    public override SourceText? GetText(CancellationToken cancellationToken = default) =>
        File.Exists(path) ? SourceText.From(File.ReadAllText(path)) : null;
}
