using System.IO;
using System.Linq;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Tests.OwnMemory;

/// <summary>
/// A freestanding kernel: its core library is its own (written here, as MOOS-style kernels write theirs), with
/// no Volatile, Interlocked, Unsafe, IEquatable, ObsoleteAttribute, globalization or MethodImplAttribute, and
/// no assembly of HandleGen's. The generated code builds in both forms with no error and no warning, and the
/// kernel code below uses the whole API that does not need those types.
/// </summary>
public sealed class FreestandingTests
{
    // Object, ValueType, Enum, the primitive types, String, Array, Attribute and what the compiler needs beside them.
    internal const string Corlib = """
        namespace System
        {
            public class Object
            {
                public virtual bool Equals(object? obj) => false;
                public virtual int GetHashCode() => 0;
                public virtual string? ToString() => null;
            }

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
            public struct UInt32 { }
            public struct Int64 { }
            public struct UInt64 { }
            public struct IntPtr { }
            public struct UIntPtr { }
            public struct Single { }
            public struct Double { }
            public sealed class String { }
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

    internal const string KernelCode = """
        using PageTables;
        using static PageTables.Pgtable;

        namespace PageTables
        {
            public static unsafe partial class Pgtable
            {
                static partial void pgd_alloc_one(ref pgd_t* table) => table = (pgd_t*)Paging.Page();
                static partial void pud_alloc_one(ref pud_t* table) => table = (pud_t*)Paging.Page();
                static partial void pmd_alloc_one(ref pmd_t* table) => table = (pmd_t*)Paging.Page();
                static partial void pte_alloc_one(ref pte_t* table) => table = (pte_t*)Paging.Page();
            }
        }

        internal static unsafe class Paging
        {
            private static byte* next = (byte*)0x200000;

            // A bump allocator over identity-mapped RAM the boot loader left free, zeroed by the loader.
            public static void* Page()
            {
                var page = next;
                next += 4096;
                return page;
            }

            public static ulong MapAndTranslate(ulong va, ulong pa)
            {
                var root = pgd_alloc();
                var pmdp = pmd_alloc(pud_alloc(p4d_alloc(pgd_offset(root, va), va), va), va);
                var ptep = pte_alloc_kernel(pmdp, va);
                set_ptes(ptep, pfn_pte(pa >> PAGE_SHIFT, PAGE_KERNEL), 4);
                foreach (var p in hw_pte_range(ptep, 4))
                    set_pte(p, pte_mkyoung(ptep_get_once(p)));
                var found = lookup_address(root, va);
                var walked = pte_pfn(ptep_get(pte_offset_kernel(pmd_offset(pud_offset(p4d_offset(pgd_offset(root, va), va), va), va), va)));
                pte_free_kernel(ptep);
                return found.mapped && found.level == pgtable_level.pte ? found.phys + walked : 0;
            }
        }
        """;

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void The_generated_code_builds_on_a_corlib_of_the_kernels_own_with_no_error_or_warning(string form)
    {
        var corlib = CSharpCompilation.Create("corlib", [CSharpSyntaxTree.ParseText(Corlib, GeneratorHarness.ParseOptions, cancellationToken: TestContext.Current.CancellationToken)], [],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = corlib.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        var compilation = GeneratorHarness.NewCompilationOn([MetadataReference.CreateFromImage(image.ToArray())], [KernelCode]);
        var driver = GeneratorHarness.NewDriver([(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec)], new Switches(Form: form, DirectMap: "identity"))
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics, TestContext.Current.CancellationToken);

        Assert.Empty(generatorDiagnostics);
        var problems = output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(["HandleGen.Runtime", "System.Threading", "System.Runtime"], new[] { "HandleGen.Runtime", "System.Threading", "System.Runtime" }
            .Where(name => !output.ReferencedAssemblyNames.Any(a => a.Name == name)));
        using var assembly = new MemoryStream();
        Assert.True(output.Emit(assembly, cancellationToken: TestContext.Current.CancellationToken).Success);

        // The polyfill of MethodImplAttribute is the compiler's own: the helpers carry AggressiveInlining in their flags.
        var generated = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()).ToList();
        Assert.Contains(generated, s => s.Contains("internal sealed class MethodImplAttribute"));
        Assert.DoesNotContain(generated, s => s.Contains("Interlocked.") || s.Contains("Volatile.") || s.Contains("Unsafe.") || s.Contains("IEquatable"));
    }

    [Fact]
    public void A_runtime_direct_map_without_HandleGen_Runtime_is_one_error_naming_HandleGenDirectMap_and_its_choices()
    {
        var compilation = GeneratorHarness.NewCompilationOn(GeneratorHarness.References().Where(r => !r.Display!.Contains("HandleGen.Runtime")), []);
        GeneratorHarness.NewDriver([(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec)], new Switches())
            .RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics, TestContext.Current.CancellationToken);

        var d = Assert.Single(diagnostics);
        Assert.Equal("HG0033", d.Id);
        Assert.Contains("the default: no HandleGenDirectMap, and arch \"x86_64\" has no \"directMap\"", d.GetMessage());
        Assert.Contains("which this build does not reference", d.GetMessage());
        Assert.Contains("set HandleGenDirectMap to identity | offset:<hex> | custom | runtime", d.GetMessage());
    }

    [Fact]
    public void HandleGen_Runtime_referenced_in_a_build_on_the_kernels_own_corlib_is_one_error_and_no_generated_code()
    {
        // HandleGen.Runtime is built on .NET's System.Runtime, which a kernel on its own corlib does not have: every call into it would be CS0012.
        var runtime = GeneratorHarness.References().Single(r => r.Display!.Contains("HandleGen.Runtime"));
        var compilation = GeneratorHarness.NewCompilationOn([OwnCorlib(), runtime], [KernelCode]);
        var driver = GeneratorHarness.NewDriver([(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec)], new Switches(DirectMap: "runtime"))
            .RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics, TestContext.Current.CancellationToken);

        var d = Assert.Single(diagnostics);
        Assert.Equal("HG0033", d.Id);
        Assert.Contains("(HandleGenDirectMap=runtime)", d.GetMessage());
        Assert.Contains("which this build references but cannot use", d.GetMessage());
        Assert.Empty(driver.GetRunResult().Results.Single().GeneratedSources);
    }

    private static MetadataReference OwnCorlib()
    {
        var corlib = CSharpCompilation.Create("corlib", [CSharpSyntaxTree.ParseText(Corlib, GeneratorHarness.ParseOptions)], [],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = corlib.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
