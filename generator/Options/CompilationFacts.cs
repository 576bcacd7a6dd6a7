using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Generator.Options;

/// <summary>What the consuming project allows that the generated code depends on.</summary>
internal sealed record CompilationFacts(bool AllowUnsafe, LanguageVersion LanguageVersion, bool HasBitCast)
{
    public static CompilationFacts Read(Compilation compilation, ParseOptions options) =>
        new(compilation.Options is CSharpCompilationOptions { AllowUnsafe: true },
            options is CSharpParseOptions csharp ? csharp.LanguageVersion : LanguageVersion.Default,
            CoreLibraryHasBitCast(compilation));

    /// <summary>
    /// Whether the core library has Unsafe.BitCast: the mark of .NET 8 or later, which the generated code
    /// needs. Only the core library is searched: a lookup in the whole compilation would read the type
    /// tables of every referenced assembly.
    /// </summary>
    private static bool CoreLibraryHasBitCast(Compilation compilation) =>
        compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly
            .GetTypeByMetadataName("System.Runtime.CompilerServices.Unsafe") is { } type
        && !type.GetMembers("BitCast").IsEmpty;
}
