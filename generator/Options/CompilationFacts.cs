using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Generator.Options;

/// <summary>What the consuming project allows that the generated code depends on.</summary>
internal sealed record CompilationFacts(bool AllowUnsafe, LanguageVersion LanguageVersion)
{
    public static bool ReadAllowUnsafe(Compilation compilation) =>
        compilation.Options is CSharpCompilationOptions { AllowUnsafe: true };

    public static LanguageVersion ReadLanguageVersion(ParseOptions options) =>
        options is CSharpParseOptions csharp ? csharp.LanguageVersion : LanguageVersion.Default;
}
