using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Generator.Input;

/// <summary>
/// What the consuming project allows and what its libraries offer that the generated code can use. A project
/// on .NET 8 or later has all of it; a freestanding kernel with a corlib of its own may have none, and the
/// generated code then falls back on what the language alone gives (see the README's "Using HandleGen in a kernel").
/// Each fact is the member the generated code calls, with the signature it calls it with, accessible from the
/// project: a type of the right name without that member is as good as none, so no generated call fails to bind.
/// </summary>
internal sealed record CompilationFacts(
    bool AllowUnsafe,
    LanguageVersion LanguageVersion,
    WordFacts Word32,
    WordFacts Word64,
    TargetWidth Target,
    bool HasIsVolatile,
    bool HasEquatable,
    bool HasObsoleteError,
    bool HasObjectOverrides,
    bool HasEntryBitsTable,
    bool HasMethodImpl,
    bool RuntimeReferenced,
    bool RuntimeUsable)
{
    /// <summary>The facts about entries of the given width (32 or 64 bits).</summary>
    public WordFacts Word(int bits) => bits == 64 ? Word64 : Word32;

    public static CompilationFacts Read(Compilation compilation, ParseOptions options)
    {
        var find = new TypeFinder(compilation);
        var obj = compilation.GetSpecialType(SpecialType.System_Object);
        var str = compilation.GetSpecialType(SpecialType.System_String);

        // ToString overrides: Object's virtual, "a" + b + "c" and word.ToString(format, CultureInfo.InvariantCulture).
        var invariant = find.Type("System.Globalization.CultureInfo", _ => true)?.GetMembers("InvariantCulture")
            .OfType<IPropertySymbol>().FirstOrDefault(p => p.IsStatic && p.GetMethod is { } get && find.Accessible(get));
        var formats = invariant is not null
            && Virtual(obj, "ToString", 0, m => m.ReturnType.SpecialType == SpecialType.System_String)
            && Method(find, str, "Concat", m => m.IsStatic && m.Parameters.Length == 3 && m.Parameters.All(p => p.Type.SpecialType == SpecialType.System_String));
        WordFacts Word(SpecialType word) => new(
            find.Type("System.Threading.Volatile", t => HasVolatile(find, t, word)) is not null,
            find.Type("System.Threading.Interlocked", t => HasInterlocked(find, t, word)) is not null,
            formats && Method(find, compilation.GetSpecialType(word), "ToString", m => !m.IsStatic && m.Parameters.Length == 2
                && m.Parameters[0].Type.SpecialType == SpecialType.System_String && compilation.ClassifyCommonConversion(invariant!.Type, m.Parameters[1].Type).IsImplicit));

        var obsolete = find.Type("System.ObsoleteAttribute", t => t.InstanceConstructors.Any(c => c.Parameters.Length == 2 && find.Accessible(c)));
        var runtime = compilation.SourceModule.ReferencedAssemblySymbols.FirstOrDefault(a => a.Name == RuntimeAssembly);
        return new CompilationFacts(
            compilation.Options is CSharpCompilationOptions { AllowUnsafe: true },
            options is CSharpParseOptions csharp ? csharp.LanguageVersion : LanguageVersion.Default,
            Word(SpecialType.System_UInt32),
            Word(SpecialType.System_UInt64),
            compilation.Options.Platform switch
            {
                Platform.X86 or Platform.Arm => TargetWidth.Bits32,
                Platform.X64 or Platform.Arm64 or Platform.Itanium => TargetWidth.Bits64,
                _ => TargetWidth.Any,
            },
            // The compiler takes the marker of a volatile field from the core library only (a special type).
            compilation.GetSpecialType(SpecialType.System_Runtime_CompilerServices_IsVolatile).TypeKind != TypeKind.Error,
            find.Type("System.IEquatable`1", t => t.TypeKind == TypeKind.Interface) is not null,
            obsolete is not null && compilation.GetSpecialType(SpecialType.System_Nullable_T).TypeKind != TypeKind.Error,
            Virtual(obj, "Equals", 1, m => m.ReturnType.SpecialType == SpecialType.System_Boolean && m.Parameters[0].Type.SpecialType == SpecialType.System_Object)
                && Virtual(obj, "GetHashCode", 0, m => m.ReturnType.SpecialType == SpecialType.System_Int32),
            // A T[] converts to IReadOnlyList<T> only when the core library declares it; a tuple's names need TupleElementNamesAttribute.
            compilation.GetSpecialType(SpecialType.System_Collections_Generic_IReadOnlyList_T).TypeKind != TypeKind.Error
                && find.Type("System.ValueTuple`2", _ => true) is not null
                && find.Type("System.Runtime.CompilerServices.TupleElementNamesAttribute", _ => true) is not null,
            find.Type("System.Runtime.CompilerServices.MethodImplAttribute", _ => true) is not null,
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

    /// <summary>Volatile.Read(ref word) and Volatile.Write(ref word, word), what pXXp_get_once and set_pXX call.</summary>
    private static bool HasVolatile(TypeFinder find, INamedTypeSymbol type, SpecialType word) =>
        Method(find, type, "Read", m => m.IsStatic && Takes(m, word, 1) && m.ReturnType.SpecialType == word)
        && Method(find, type, "Write", m => m.IsStatic && Takes(m, word, 2) && m.ReturnsVoid);

    /// <summary>Interlocked.Exchange(ref word, word) and CompareExchange(ref word, word, word), what the atomics call.</summary>
    private static bool HasInterlocked(TypeFinder find, INamedTypeSymbol type, SpecialType word) =>
        Method(find, type, "Exchange", m => m.IsStatic && Takes(m, word, 2) && m.ReturnType.SpecialType == word)
        && Method(find, type, "CompareExchange", m => m.IsStatic && Takes(m, word, 3) && m.ReturnType.SpecialType == word);

    /// <summary>True when the method takes <paramref name="count"/> words, the first by <c>ref</c> (or <c>ref readonly</c>), the others by value.</summary>
    private static bool Takes(IMethodSymbol m, SpecialType word, int count) =>
        m.Parameters.Length == count && !m.IsGenericMethod
        && m.Parameters.All(p => p.Type.SpecialType == word)
        && m.Parameters[0].RefKind is RefKind.Ref or RefKind.RefReadOnlyParameter
        && m.Parameters.Skip(1).All(p => p.RefKind == RefKind.None);

    private static bool Method(TypeFinder find, ITypeSymbol type, string name, Func<IMethodSymbol, bool> fits) =>
        type.GetMembers(name).OfType<IMethodSymbol>().Any(m => fits(m) && find.Accessible(m));

    /// <summary>True when Object declares the method virtual, so the generated structs can override it.</summary>
    private static bool Virtual(INamedTypeSymbol obj, string name, int parameters, Func<IMethodSymbol, bool> fits) =>
        obj.GetMembers(name).OfType<IMethodSymbol>().Any(m => m.IsVirtual && !m.IsStatic && m.Parameters.Length == parameters
            && m.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal && fits(m));

    /// <summary>
    /// Finds a library type the way the generated code's <c>global::</c> name binds to it, cheaply: the core library
    /// and System.Threading first (where every ordinary .NET project has all of them, so nothing else is read), and
    /// only when they lack a fitting type the compilation's own lookup (its source first, as a kernel that declares
    /// Volatile in its own assembly; then the one referenced assembly that declares it).
    /// </summary>
    private sealed class TypeFinder
    {
        /// <summary>The threading types live in System.Threading in .NET's reference assemblies, in the core library elsewhere.</summary>
        private const string ThreadingAssembly = "System.Threading";

        private readonly Compilation compilation;
        private readonly IAssemblySymbol[] fast;

        public TypeFinder(Compilation compilation)
        {
            this.compilation = compilation;
            var core = compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly;
            var threading = compilation.SourceModule.ReferencedAssemblySymbols.FirstOrDefault(a => a.Name == ThreadingAssembly);
            fast = threading is null ? [core] : [core, threading];
        }

        public bool Accessible(ISymbol symbol) => compilation.IsSymbolAccessibleWithin(symbol, compilation.Assembly);

        public INamedTypeSymbol? Type(string metadataName, Func<INamedTypeSymbol, bool> fits)
        {
            foreach (var assembly in fast)
            {
                if (assembly.GetTypeByMetadataName(metadataName) is { } type && Accessible(type) && fits(type))
                    return type;
            }

            return compilation.GetTypeByMetadataName(metadataName) is { } bound && Accessible(bound) && fits(bound) ? bound : null;
        }
    }
}

/// <summary>What the libraries offer for entries of one width (uint or ulong words).</summary>
/// <param name="Volatile">Volatile.Read and Write of the word: READ_ONCE and WRITE_ONCE through the library.</param>
/// <param name="Interlocked">Interlocked.Exchange and CompareExchange of the word: the atomic helpers.</param>
/// <param name="Format">ToString overrides can print the word (see <see cref="CompilationFacts.Read"/>).</param>
internal sealed record WordFacts(bool Volatile, bool Interlocked, bool Format);

/// <summary>The process width the compilation targets (its Platform): 32, 64, or either (AnyCPU), known only when the JIT runs.</summary>
internal enum TargetWidth
{
    Any,
    Bits32,
    Bits64,
}
