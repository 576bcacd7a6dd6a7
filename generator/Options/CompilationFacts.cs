using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Generator.Options;

/// <summary>
/// What the consuming project allows and what its libraries offer that the generated code can use. A project
/// on .NET 8 or later has all of it; a freestanding kernel with a corlib of its own may have none, and the
/// generated code then falls back on what the language alone gives (see the README's "Using HandleGen in a kernel").
/// </summary>
internal sealed record CompilationFacts(
    bool AllowUnsafe,
    LanguageVersion LanguageVersion,
    bool HasVolatile,
    bool HasInterlocked,
    bool HasEquatable,
    bool HasObsoleteError,
    bool HasFormatting,
    bool HasMethodImpl,
    bool RuntimeReferenced,
    bool RuntimeUsable)
{
    /// <summary>The threading types live in System.Threading in .NET's reference assemblies, in the core library elsewhere.</summary>
    private const string ThreadingAssembly = "System.Threading";

    public static CompilationFacts Read(Compilation compilation, ParseOptions options)
    {
        // Only the core library and System.Threading are searched: a lookup in the whole compilation would read
        // the type tables of every referenced assembly.
        var core = compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly;
        var threading = compilation.SourceModule.ReferencedAssemblySymbols.FirstOrDefault(a => a.Name == ThreadingAssembly);
        INamedTypeSymbol? Find(string name) => core.GetTypeByMetadataName(name) ?? threading?.GetTypeByMetadataName(name);

        var obsolete = Find("System.ObsoleteAttribute");
        var runtime = compilation.SourceModule.ReferencedAssemblySymbols.FirstOrDefault(a => a.Name == RuntimeAssembly);
        return new CompilationFacts(
            compilation.Options is CSharpCompilationOptions { AllowUnsafe: true },
            options is CSharpParseOptions csharp ? csharp.LanguageVersion : LanguageVersion.Default,
            Find("System.Threading.Volatile") is not null,
            Find("System.Threading.Interlocked") is { } interlocked && HasUnsignedExchange(interlocked),
            Find("System.IEquatable`1") is not null,
            obsolete is not null && obsolete.InstanceConstructors.Any(c => c.Parameters.Length == 2)
                && compilation.GetSpecialType(SpecialType.System_Nullable_T).TypeKind != TypeKind.Error,
            Find("System.Globalization.CultureInfo") is not null && Find("System.ValueTuple`2") is not null
                && Find("System.Collections.Generic.IReadOnlyList`1") is not null,
            Find("System.Runtime.CompilerServices.MethodImplAttribute") is not null,
            runtime is not null,
            runtime is not null && RuntimeBindsHere(runtime, compilation));
    }

    /// <summary>The assembly the runtime direct map's code calls.</summary>
    private const string RuntimeAssembly = "HandleGen.Runtime";

    /// <summary>
    /// Whether HandleGen.Runtime's types bind in this compilation: it is built on .NET's standard library, so on a
    /// kernel's own corlib (NoStdLib) its DirectMap derives from an Object the compilation does not have, and every
    /// call into it would be CS0012.
    /// </summary>
    private static bool RuntimeBindsHere(IAssemblySymbol runtime, Compilation compilation) =>
        runtime.GetTypeByMetadataName(RuntimeAssembly + ".DirectMap")?.BaseType is { } baseType
        && SymbolEqualityComparer.Default.Equals(baseType, compilation.GetSpecialType(SpecialType.System_Object));

    /// <summary>Whether Interlocked exchanges unsigned words in place (.NET 5 on; netstandard2.0 has only the signed ones).</summary>
    private static bool HasUnsignedExchange(INamedTypeSymbol interlocked) =>
        interlocked.GetMembers("Exchange").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 2 && m.Parameters[0].Type.SpecialType == SpecialType.System_UInt64);
}
