using System.Collections.Generic;
using System.IO;
using System.Linq;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Tests.OwnMemory.Corlibs;

/// <summary>
/// Core libraries of freestanding kernels, written here from what the C# compiler needs (the shapes of the corlibs
/// kernel projects ship, not their code), and the pieces a kernel adds to them or to its own assemblies.
/// </summary>
internal static class CorlibShapes
{
    /// <summary>What every corlib here has: the types the compiler names for the generated code, and no more.</summary>
    private const string Common = """
        namespace System
        {
            public abstract class ValueType { }
            public abstract class Enum : ValueType { }
            public struct Void { }
            public struct Boolean { }
            public struct Char { }
            public struct SByte { }
            public struct Byte { }
            public struct Int16 { }
            public struct UInt16 { }
            public struct Int32 { }
            public struct Int64 { }
            public struct IntPtr { }
            public struct UIntPtr { }
            public struct Single { }
            public struct Double { }
            public abstract class Array { }
            public abstract class Attribute { }
            public abstract class Delegate { }
            public abstract class MulticastDelegate : Delegate { }
            public struct RuntimeTypeHandle { }
            public struct RuntimeFieldHandle { }
            public struct RuntimeMethodHandle { }
            public abstract class Type { }

            public enum AttributeTargets { Assembly = 1, Module = 2, Class = 4, Struct = 8, Enum = 16, Constructor = 32, Method = 64, Property = 128, Field = 256, Event = 512, Interface = 1024, Parameter = 2048, Delegate = 4096, ReturnValue = 8192, GenericParameter = 16384, All = 32767 }

            public sealed class AttributeUsageAttribute : Attribute
            {
                public AttributeUsageAttribute(AttributeTargets validOn) { }
                public bool AllowMultiple { get; set; }
                public bool Inherited { get; set; }
            }
        }
        """;

    /// <summary>
    /// Shaped like bflat's zerolib and zerosharp's corlib: an Object with no virtual method, no ObsoleteAttribute,
    /// Volatile, Interlocked, IEquatable, Nullable or IsVolatile, no globalization.
    /// </summary>
    public const string Zerolib = Common + """
        namespace System
        {
            public class Object { }
            public sealed class String { }
            public struct UInt32 { }
            public struct UInt64 { }
        }
        """;

    /// <summary>
    /// Shaped like MOOS's corlib: Object's virtuals, IsVolatile, and a CultureInfo without InvariantCulture (beside
    /// string.Concat and the words' ToString(string, IFormatProvider), so that only InvariantCulture is missing).
    /// </summary>
    public const string Moos = Common + """
        namespace System
        {
            public class Object
            {
                public virtual bool Equals(object? obj) => false;
                public virtual int GetHashCode() => 0;
                public virtual string? ToString() => null;
            }

            public interface IFormatProvider { }

            public sealed class String
            {
                public static string Concat(string? a, string? b, string? c) => a!;
            }

            public struct UInt32
            {
                public string ToString(string format, IFormatProvider? provider) => format;
            }

            public struct UInt64
            {
                public string ToString(string format, IFormatProvider? provider) => format;
            }
        }

        namespace System.Globalization
        {
            public class CultureInfo : IFormatProvider
            {
                public static CultureInfo CurrentCulture => new CultureInfo();
            }
        }

        namespace System.Runtime.CompilerServices
        {
            public static class IsVolatile { }
        }
        """;

    /// <summary>System.Threading.Volatile and Interlocked for both entry widths, as a kernel writes them (intrinsics in its compiler).</summary>
    public const string Threading = """
        namespace System.Threading
        {
            public static class Volatile
            {
                public static uint Read(ref uint location) => location;
                public static ulong Read(ref ulong location) => location;
                public static void Write(ref uint location, uint value) => location = value;
                public static void Write(ref ulong location, ulong value) => location = value;
            }

            public static class Interlocked
            {
                public static uint Exchange(ref uint location, uint value) { var old = location; location = value; return old; }
                public static ulong Exchange(ref ulong location, ulong value) { var old = location; location = value; return old; }
                public static uint CompareExchange(ref uint location, uint value, uint comparand) { var old = location; if (old == comparand) location = value; return old; }
                public static ulong CompareExchange(ref ulong location, ulong value, ulong comparand) { var old = location; if (old == comparand) location = value; return old; }
            }
        }
        """;

    /// <summary>Threading types of the right names without what the generated code calls: Volatile of bool only, Interlocked of signed words only and a ulong CompareExchange without Exchange.</summary>
    public const string PartialThreading = """
        namespace System.Threading
        {
            public static class Volatile
            {
                public static bool Read(ref bool location) => location;
                public static void Write(ref bool location, bool value) => location = value;
            }

            public static class Interlocked
            {
                public static int Exchange(ref int location, int value) { var old = location; location = value; return old; }
                public static long Exchange(ref long location, long value) { var old = location; location = value; return old; }
                public static ulong CompareExchange(ref ulong location, ulong value, ulong comparand) { var old = location; if (old == comparand) location = value; return old; }
            }
        }
        """;

    /// <summary>Threading types the project cannot call: internal to the assembly that declares them.</summary>
    public const string InternalThreading = """
        namespace System.Threading
        {
            internal static class Volatile
            {
                public static ulong Read(ref ulong location) => location;
                public static void Write(ref ulong location, ulong value) => location = value;
            }

            internal static class Interlocked
            {
                public static ulong Exchange(ref ulong location, ulong value) { var old = location; location = value; return old; }
                public static ulong CompareExchange(ref ulong location, ulong value, ulong comparand) { var old = location; if (old == comparand) location = value; return old; }
            }
        }
        """;

    /// <summary>Compiles a library against the given references (none: it is the core library) into an image.</summary>
    public static MetadataReference Build(string name, IEnumerable<string> sources, params MetadataReference[] references)
    {
        var compilation = CSharpCompilation.Create(name,
            sources.Select(s => CSharpSyntaxTree.ParseText(s, GeneratorHarness.ParseOptions, cancellationToken: TestContext.Current.CancellationToken)),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
