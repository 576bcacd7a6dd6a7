using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Infrastructure;

/// <summary>Emits a compilation and loads it, so tests can run generated code on real memory.</summary>
internal static class CompiledAssembly
{
    public static Assembly Load(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        if (!emit.Success)
        {
            throw new InvalidOperationException("Emit failed:\n" + string.Join("\n",
                emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        image.Position = 0;
        var context = new AssemblyLoadContext(compilation.AssemblyName + "-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return context.LoadFromStream(image);
    }

    /// <summary>Calls a public static method by name.</summary>
    public static T Call<T>(this Assembly assembly, string type, string method, params object[] args)
    {
        var target = assembly.GetType(type, throwOnError: true)!.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(type, method);
        return (T)target.Invoke(null, args)!;
    }
}
