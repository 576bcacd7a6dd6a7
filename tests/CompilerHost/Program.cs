// Usage: HandleGen.CompilerHost <response file> <base directory> <output assembly>
// Prints what a compiler would (diagnostics as "file(line,col): severity ID: message") plus the host's facts,
// the generated files and where each analyzer dependency was loaded from; exits 0 when the compilation
// has no error.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using HandleGen.CompilerHost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: HandleGen.CompilerHost <response file> <base directory> <output assembly>");
    return 2;
}

var (responseFile, baseDirectory, output) = (args[0], args[1], args[2]);
Console.WriteLine($"host: {RuntimeInformation.FrameworkDescription}, Roslyn {typeof(CSharpCompilation).Assembly.GetName().Version}");

var arguments = CSharpCommandLineParser.Default.Parse(["@" + responseFile], baseDirectory, sdkDirectory: null);
if (arguments.Errors.Any(e => e.Severity == DiagnosticSeverity.Error))
{
    foreach (var error in arguments.Errors)
        Console.WriteLine(error);
    return 2;
}

var trees = arguments.SourceFiles
    .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f.Path), arguments.ParseOptions, f.Path))
    .ToList();
var references = arguments.MetadataReferences
    .Select(r => (MetadataReference)MetadataReference.CreateFromFile(r.Reference, r.Properties))
    .ToList();
var compilation = CSharpCompilation.Create(arguments.CompilationName, trees, references, arguments.CompilationOptions);

var analyzers = arguments.ResolveAnalyzerReferences(RoslynLoader.Create());
var generators = analyzers.SelectMany(a => a.GetGenerators(LanguageNames.CSharp)).ToList();
GeneratorDriver driver = CSharpGeneratorDriver.Create(
    generators,
    arguments.AdditionalFiles.Select(f => (AdditionalText)new AdditionalFile(f.Path)),
    (CSharpParseOptions)arguments.ParseOptions,
    ConfigOptionsProvider.From(arguments.AnalyzerConfigPaths));
var ran = driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);

foreach (var result in ran.GetRunResult().Results)
{
    foreach (var source in result.GeneratedSources)
        Console.WriteLine($"generated: {result.Generator.GetGeneratorType().Name}/{source.HintName}");
}

var emit = generated.Emit(output);
var diagnostics = generatorDiagnostics.Concat(emit.Diagnostics).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
foreach (var diagnostic in diagnostics)
    Console.WriteLine(diagnostic);

// Where the generator's dependencies came from: the load context tells an analyzer's own copy from the host's.
foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()
             .Where(a => a.GetName().Name is { } n && (n.StartsWith("HandleGen", StringComparison.Ordinal) || n.StartsWith("Scriban", StringComparison.Ordinal) || n == "System.Text.Json"))
             .OrderBy(a => a.GetName().Name, StringComparer.Ordinal))
    Console.WriteLine($"loaded: {assembly.GetName().Name} {assembly.GetName().Version} in {AssemblyLoadContext.GetLoadContext(assembly)}{(AssemblyLoadContext.GetLoadContext(assembly)?.IsCollectible == true ? " (collectible)" : "")} from {(assembly.IsDynamic ? "(dynamic)" : assembly.Location)}");

var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
Console.WriteLine($"{errors} error(s), {diagnostics.Count - errors} warning(s), emit {(emit.Success ? "succeeded" : "failed")}");
return emit.Success && errors == 0 ? 0 : 1;
