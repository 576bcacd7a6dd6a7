using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HandleGen.CompilerHost;

/// <summary>
/// Roslyn's own analyzer loader, the one csc uses when it compiles in its own process. It is internal to
/// Microsoft.CodeAnalysis, so it is made through reflection with its default arguments: what matters is
/// that analyzers are loaded into the load contexts, and with the dependency resolution, of the real compiler.
/// </summary>
internal static class RoslynLoader
{
    public static IAnalyzerAssemblyLoader Create()
    {
        var type = typeof(AnalyzerFileReference).Assembly.GetType("Microsoft.CodeAnalysis.DefaultAnalyzerAssemblyLoader", throwOnError: true)!;
        var constructor = type.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(c => c.GetParameters().All(p => p.HasDefaultValue))
            .OrderBy(c => c.GetParameters().Length)
            .First();
        return (IAnalyzerAssemblyLoader)constructor.Invoke(constructor.GetParameters().Select(p => p.DefaultValue).ToArray());
    }
}
