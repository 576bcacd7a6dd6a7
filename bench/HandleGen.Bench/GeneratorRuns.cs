using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using HandleGen.Generator;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.Bench;

/// <summary>
/// The generator's own cost, driven through <see cref="CSharpGeneratorDriver"/> as the compiler and the IDE
/// drive it, on the repository's levels.json (embedded in this assembly at build time) for x86_64:
/// a cold run (a new driver on a fresh compilation; BenchmarkDotNet's warm-up has jitted the generator),
/// a rerun after an unrelated C# edit (one syntax tree added), and a rerun after a levels.json edit
/// (x86_64's pageShift 12 → 13). The setup checks that the unrelated edit renders nothing.
/// </summary>
[MemoryDiagnoser]
public class GeneratorRuns
{
    private const string SpecPath = "/project/levels.json";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12, DocumentationMode.Parse);

    private CSharpCompilation compilation = null!;
    private AdditionalText spec = null!;
    private AdditionalText editedSpec = null!;
    private SyntaxTree unrelatedTree = null!;
    private GeneratorDriver warmDriver = null!;

    /// <summary>The form generated.</summary>
    [Params("alias", "strong")]
    public string Form { get; set; } = "alias";

    /// <summary>Builds the inputs, runs the driver once, and checks what each scenario recomputes.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var text = ReadSpec();
        spec = new InMemoryAdditionalText(SpecPath, text);
        var edited = text.Replace("\"x86_64\": { \"pageShift\": 12", "\"x86_64\": { \"pageShift\": 13", StringComparison.Ordinal);
        if (edited == text)
            throw new InvalidOperationException("levels.json no longer has the x86_64 pageShift the edit changes.");
        editedSpec = new InMemoryAdditionalText(SpecPath, edited);

        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(HandleGen.Runtime.DirectMap).Assembly.Location));
        compilation = CSharpCompilation.Create(
            "Consumer",
            [CSharpSyntaxTree.ParseText("class A { }", ParseOptions)],
            framework,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, optimizationLevel: OptimizationLevel.Release));
        unrelatedTree = CSharpSyntaxTree.ParseText("class B { int x; }", ParseOptions);
        warmDriver = NewDriver(trackSteps: false).RunGenerators(compilation);
        Check();
    }

    /// <summary>A new driver on a fresh compilation: parse levels.json, build the model, render every template.</summary>
    [Benchmark]
    public GeneratorDriver Cold() => NewDriver(trackSteps: false).RunGenerators(compilation.Clone());

    /// <summary>The warm driver after an unrelated C# edit: every step cached, nothing rendered.</summary>
    [Benchmark]
    public GeneratorDriver UnrelatedEdit() => warmDriver.RunGenerators(compilation.AddSyntaxTrees(unrelatedTree));

    /// <summary>The warm driver after a levels.json edit: the spec, the model and every file again.</summary>
    [Benchmark]
    public GeneratorDriver LevelsJsonEdit() => warmDriver.ReplaceAdditionalText(spec, editedSpec).RunGenerators(compilation);

    private static string ReadSpec()
    {
        using var stream = typeof(GeneratorRuns).Assembly.GetManifestResourceStream("levels.json")
            ?? throw new InvalidOperationException("levels.json is not embedded in the benchmark assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private GeneratorDriver NewDriver(bool trackSteps) => CSharpGeneratorDriver.Create(
        [new LevelsGenerator().AsSourceGenerator()],
        [spec],
        ParseOptions,
        new TestOptionsProvider(
            new Dictionary<string, string> { ["build_property._HandleGenConsumer"] = "true", ["build_property.HandleGenArch"] = "x86_64", ["build_property.HandleGenForm"] = Form },
            new HashSet<string> { SpecPath }),
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    // The scenarios, with step tracking on: the cold run renders every file without a diagnostic, the
    // unrelated edit leaves every step cached or unchanged and renders nothing, the levels.json edit renders again.
    private void Check()
    {
        var cold = NewDriver(trackSteps: true).RunGenerators(compilation);
        var coldResult = cold.GetRunResult().Results.Single();
        if (coldResult.GeneratedSources.Length == 0 || !coldResult.Diagnostics.IsEmpty || coldResult.Exception is not null)
            throw new InvalidOperationException("The cold run generated nothing or reported: " + string.Join("; ", coldResult.Diagnostics));

        var rerun = cold.RunGenerators(compilation.AddSyntaxTrees(unrelatedTree)).GetRunResult().Results.Single();
        // The compiler's own input steps (Compilation, …) change with the edit; HandleGen's steps must not.
        string[] steps =
        [
            LevelsGenerator.Steps.SpecFiles, LevelsGenerator.Steps.Switches, LevelsGenerator.Steps.Facts,
            LevelsGenerator.Steps.Result, LevelsGenerator.Steps.Model, LevelsGenerator.Steps.Diagnostics,
        ];
        var recomputed = rerun.TrackedSteps.Where(step => steps.Contains(step.Key)).Concat(rerun.TrackedOutputSteps)
            .SelectMany(step => step.Value.SelectMany(s => s.Outputs).Select(o => (step.Key, o.Reason)))
            .Where(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .ToList();
        var rendered = rerun.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Any(o => o.Reason != IncrementalStepRunReason.Cached);
        if (recomputed.Count > 0 || rendered)
            throw new InvalidOperationException("The unrelated edit recomputed: " + string.Join(", ", recomputed));

        var edit = cold.ReplaceAdditionalText(spec, editedSpec).RunGenerators(compilation).GetRunResult().Results.Single();
        if (!edit.GeneratedSources.Any(s => s.SourceText.ToString().Contains("PAGE_SHIFT = 13;", StringComparison.Ordinal)))
            throw new InvalidOperationException("The levels.json edit did not render the new page shift.");
    }
}
