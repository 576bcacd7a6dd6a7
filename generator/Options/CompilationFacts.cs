using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Generator.Options;

/// <summary>What the consuming project allows that the generated code depends on.</summary>
internal sealed record CompilationFacts(bool AllowUnsafe, LanguageVersion LanguageVersion, bool HasBitCast)
{
    /// <summary>Whether the target framework has Unsafe.BitCast: the mark of .NET 8 or later, which the generated code needs.</summary>
    public static bool ReadHasBitCast(Compilation compilation) =>
        compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.Unsafe") is { } type
        && !type.GetMembers("BitCast").IsEmpty;

    public static bool ReadAllowUnsafe(Compilation compilation) =>
        compilation.Options is CSharpCompilationOptions { AllowUnsafe: true };

    public static LanguageVersion ReadLanguageVersion(ParseOptions options) =>
        options is CSharpParseOptions csharp ? csharp.LanguageVersion : LanguageVersion.Default;
}
