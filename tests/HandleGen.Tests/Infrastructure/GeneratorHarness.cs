using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.Json;
using HandleGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Tests.Infrastructure;

/// <summary>The MSBuild switches of one run, as a user would pass them with -p:; <see cref="Spec"/> is a HandleGenSpec the project sets.</summary>
/// <param name="Consumer">Whether the project references HandleGen itself (its props set _HandleGenConsumer), or only a library that does.</param>
internal sealed record Switches(string? Arch = null, string? Form = null, string? StrongLevels = null, string? Style = null, string? DirectMap = null,
    string? Spec = null, string? Visibility = null, bool Consumer = true)
{
    public Dictionary<string, string> ToBuildProperties()
    {
        var properties = new Dictionary<string, string>();
        if (Consumer)
            properties["build_property._HandleGenConsumer"] = "true";
        if (Arch is not null)
            properties["build_property._HandleGenArchList"] = Arch.Replace(';', ',');
        if (Form is not null)
            properties["build_property._HandleGenFormList"] = Form.Replace(';', ',');
        if (Style is not null)
            properties["build_property._HandleGenStyleList"] = Style.Replace(';', ',');
        if (StrongLevels is not null)
            properties["build_property._HandleGenStrongLevelList"] = StrongLevels.Replace(';', ',');
        if (DirectMap is not null)
            properties["build_property.HandleGenDirectMap"] = DirectMap;
        if (Spec is not null)
        {
            properties["build_property.HandleGenSpec"] = Spec;
            properties["build_property._HandleGenSpecGiven"] = "true";
        }
        if (Visibility is not null)
            properties["build_property.HandleGenVisibility"] = Visibility;
        return properties;
    }
}

/// <summary>One generator run: the driver's result and the compilation with the generated code added.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output)
{
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    public IReadOnlyList<(string HintName, string Source)> Sources =>
        Result.Results.SelectMany(r => r.GeneratedSources).Select(s => (s.HintName, s.SourceText.ToString())).ToList();

    /// <summary>Compiler diagnostics of the whole compilation (user code plus generated code), hidden ones left out.</summary>
    public IReadOnlyList<Diagnostic> CompileDiagnostics =>
        Output.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToList();
}

/// <summary>Runs <see cref="LevelsGenerator"/> the way the compiler does, on in-memory inputs.</summary>
internal static class GeneratorHarness
{
    public const string SpecPath = "/project/levels.json";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll" or "Microsoft.Win32.Primitives.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    public static string ShippedSpec => File.ReadAllText(RepoPaths.LevelsJson);

    /// <summary>The arch names of the repository's levels.json, read with an ordinary JSON reader.</summary>
    public static IReadOnlyList<string> ShippedArches()
    {
        using var doc = JsonDocument.Parse(ShippedSpec);
        return doc.RootElement.GetProperty("arches").EnumerateObject().Select(p => p.Name).ToList();
    }

    /// <summary>HandleGen.Runtime, which the generated walkers call and every package user gets with HandleGen.</summary>
    public static readonly MetadataReference Runtime = MetadataReference.CreateFromFile(typeof(HandleGen.Runtime.DirectMap).Assembly.Location);

    public static IEnumerable<MetadataReference> References(IEnumerable<MetadataReference>? extra = null) =>
        Framework.Value.Append(Runtime).Concat(extra ?? []);

    public static CSharpCompilation NewCompilation(
        IEnumerable<string> sources,
        bool allowUnsafe = true,
        CSharpParseOptions? parseOptions = null,
        IEnumerable<MetadataReference>? references = null,
        string assemblyName = "Consumer") =>
        NewCompilationOn(References(references), sources, allowUnsafe, parseOptions, assemblyName);

    /// <summary>A compilation against exactly the given framework references (another target framework).</summary>
    public static CSharpCompilation NewCompilationOn(
        IEnumerable<MetadataReference> framework,
        IEnumerable<string> sources,
        bool allowUnsafe = true,
        CSharpParseOptions? parseOptions = null,
        string assemblyName = "Consumer") =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select(s => CSharpSyntaxTree.ParseText(s, parseOptions ?? ParseOptions)),
            framework,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                allowUnsafe: allowUnsafe,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                optimizationLevel: OptimizationLevel.Release));

    /// <summary>A fresh driver with step tracking on, fed the given spec files and switches.</summary>
    public static GeneratorDriver NewDriver(IEnumerable<(string Path, string Text)> specFiles, Switches switches, CSharpParseOptions? parseOptions = null) =>
        NewDriver(specFiles.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)).ToList(), switches, parseOptions);

    /// <summary>A fresh driver over the given spec files (kept, so a test can replace one later).</summary>
    public static GeneratorDriver NewDriver(IReadOnlyList<AdditionalText> specFiles, Switches switches, CSharpParseOptions? parseOptions = null) =>
        CSharpGeneratorDriver.Create(
            [new LevelsGenerator().AsSourceGenerator()],
            specFiles,
            parseOptions ?? ParseOptions,
            new TestOptionsProvider(switches.ToBuildProperties(), specFiles.Select(f => f.Path).ToHashSet()),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator on one spec text with the given switches and user sources.</summary>
    public static GeneratorRun Run(
        string specText,
        Switches? switches = null,
        IEnumerable<string>? sources = null,
        bool allowUnsafe = true,
        CSharpParseOptions? parseOptions = null,
        IEnumerable<MetadataReference>? references = null) =>
        RunFiles([(SpecPath, specText)], switches, sources, allowUnsafe, parseOptions, references);

    /// <summary>Runs the generator in a compilation against other framework references.</summary>
    public static GeneratorRun RunOn(IEnumerable<MetadataReference> framework, string specText, Switches switches)
    {
        var compilation = NewCompilationOn(framework, []);
        var driver = NewDriver([(SpecPath, specText)], switches).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return new GeneratorRun(driver, driver.GetRunResult(), output);
    }

    public static GeneratorRun RunFiles(
        IEnumerable<(string Path, string Text)> specFiles,
        Switches? switches = null,
        IEnumerable<string>? sources = null,
        bool allowUnsafe = true,
        CSharpParseOptions? parseOptions = null,
        IEnumerable<MetadataReference>? references = null)
    {
        var compilation = NewCompilation(sources ?? [], allowUnsafe, parseOptions, references);
        var driver = NewDriver(specFiles, switches ?? new Switches(), parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return new GeneratorRun(driver, driver.GetRunResult(), output);
    }
}
