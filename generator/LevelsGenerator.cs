using System;
using System.Collections.Generic;
using System.Linq;
using HandleGen.Generator.Common;
using HandleGen.Generator.Diagnostics;
using HandleGen.Generator.Emit;
using HandleGen.Generator.Input;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.Generator;

/// <summary>
/// Generates the Linux per-level page-table API (entry values, live-entry handles, accessors,
/// geometry) from the project's levels.json. Pipeline: spec file + build switches + compilation
/// facts → <see cref="GenerationResult"/> (spec → settings → an equatable model, and diagnostics) → templates.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class LevelsGenerator : IIncrementalGenerator
{
    /// <summary>Names of the tracked pipeline steps, pinned by the incrementality tests.</summary>
    internal static class Steps
    {
        public const string SpecFiles = nameof(SpecFiles);
        public const string Switches = nameof(Switches);
        public const string Facts = nameof(Facts);
        public const string Result = nameof(Result);
        public const string Model = nameof(Model);
        public const string Diagnostics = nameof(Diagnostics);
    }

    /// <summary>Created by the compiler just before it runs the generator; the templates parse meanwhile.</summary>
    public LevelsGenerator() => TemplateWarmup.StartParsing();

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var specFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(pair => SpecFile.IsSpec(pair.Left, pair.Right))
            .Select((pair, ct) => SpecFile.Read(pair.Left, ct))
            .Collect()
            .Select((files, _) => files.Distinct().OrderBy(f => f.Path, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(Steps.SpecFiles);

        var switches = context.AnalyzerConfigOptionsProvider
            .Select((options, _) => BuildSwitches.From(options.GlobalOptions))
            .WithTrackingName(Steps.Switches);

        // Reference types all the way: see EquatableArray for why the pipeline carries no struct.
        var facts = context.CompilationProvider
            .Combine(context.ParseOptionsProvider)
            .Select((pair, _) => CompilationFacts.Read(pair.Left, pair.Right))
            .WithTrackingName(Steps.Facts);

        var result = specFiles
            .Combine(switches)
            .Combine(facts)
            .Select((input, _) => GenerationResult.From(input.Left.Left, input.Left.Right, input.Right))
            .WithTrackingName(Steps.Result);

        // One item per arch: the driver compares each with the previous run's, so an edit of one arch in
        // levels.json renders that arch again and leaves the others' sources cached.
        var model = result.SelectMany((r, _) => r.Models).WithTrackingName(Steps.Model);
        var diagnostics = result.Select((r, _) => r.Diagnostics).WithTrackingName(Steps.Diagnostics);

        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var diagnostic in list)
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        context.RegisterSourceOutput(model, static (spc, arch) =>
        {
            IReadOnlyList<(string HintName, SourceText Source)> sources;
            try
            {
                sources = RenderCache.Get(arch);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                spc.ReportDiagnostic(FailureDiagnostic.From(e, whileReadingInput: false).ToDiagnostic());
                return;
            }

            foreach (var (hintName, source) in sources)
                spc.AddSource(hintName, source);
        });
    }
}
