using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using HandleGen.Tests.Infrastructure;
using HandleGen.Tests.OwnMemory.Corlibs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Tests.OwnMemory;

/// <summary>
/// Freestanding kernels: the core library is their own (<see cref="CorlibShapes"/>), with no assembly of .NET's or
/// HandleGen's. In each shape the generated code builds in both forms and with each direct map a kernel uses with no
/// error and no warning, the kernel code below uses what that shape gets, <c>pXXp_get_once</c> and <c>set_pXX</c>
/// read and write the entry with a volatile access (read from the IL), and the atomics exist exactly where the
/// project has an Interlocked with the words they exchange.
/// </summary>
public sealed class FreestandingTests
{
    private const string KernelCode = """
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
                var pmdp = pmd_alloc(pud_alloc(p4d_alloc(pgd_offset_pgd(root, va), va), va), va);
                var ptep = pte_alloc_kernel(pmdp, va);
                set_ptes(ptep, pfn_pte(pa >> PAGE_SHIFT, PAGE_KERNEL), 4);
                foreach (var p in hw_pte_range(ptep, 4))
                    set_pte(p, pte_mkyoung(ptep_get_once(p)));
                var found = lookup_address(root, va);
                var walked = pte_pfn(ptep_get(pte_offset_kernel(pmd_offset(pud_offset(p4d_offset(pgd_offset_pgd(root, va), va), va), va), va)));
                pte_free_kernel(ptep);
                return found.mapped && found.level == pgtable_level.pte ? found.phys + walked : 0;
            }
        }
        """;

    // The atomics and the role atomics, where the shape has them.
    private const string AtomicCode = """
        using PageTables;
        using static PageTables.Pgtable;

        internal static unsafe class Aging
        {
            public static bool Age(hw_ptep ptep, hw_pmdp pmdp)
            {
                var old = ptep_get_once(ptep);
                while (!ptep_try_cmpxchg(ptep, ref old, pte_mkold(old))) { }
                ptep_set_wrprotect(ptep);
                var changed = ptep_set_access_flags(ptep, pte_mkdirty(old), dirty: true) | pmdp_set_access_flags(pmdp, pmdp_get(pmdp), dirty: false);
                pmdp_set_wrprotect(pmdp);
                return ptep_test_and_clear_young(ptep) | pmdp_test_and_clear_young(pmdp) | changed
                    | pte_val(ptep_get_and_clear(ptep)) == pte_val(ptep_xchg(ptep, old)) | pte_none(ptep_cmpxchg(ptep, old, old));
            }
        }
        """;

    private const string CustomMap = """
        namespace PageTables
        {
            public static unsafe partial class Pgtable
            {
                public static partial void* __va(ulong pa) => (void*)(nuint)pa;
                public static partial ulong __pa(void* va) => (ulong)(nuint)va;
            }
        }
        """;

    /// <summary>One kind of kernel build: its corlib, what its own assembly adds, what else it references, and what it should get.</summary>
    public sealed record Shape(string Name, string Corlib, string[] Own, string[] Referenced, bool Atomics, bool Overrides, bool Formats, bool VolatileClass);

    private static readonly Dictionary<string, Shape> Shapes = new Shape[]
    {
        new("zerolib", CorlibShapes.Zerolib, [], [], Atomics: false, Overrides: false, Formats: false, VolatileClass: false),
        new("moos", CorlibShapes.Moos, [], [], Atomics: false, Overrides: true, Formats: false, VolatileClass: false),
        new("threading-in-corlib", CorlibShapes.Zerolib + CorlibShapes.Threading, [], [], Atomics: true, Overrides: false, Formats: false, VolatileClass: true),
        new("threading-in-kernel", CorlibShapes.Zerolib, [CorlibShapes.Threading], [], Atomics: true, Overrides: false, Formats: false, VolatileClass: true),
        new("threading-referenced", CorlibShapes.Zerolib, [], [CorlibShapes.Threading], Atomics: true, Overrides: false, Formats: false, VolatileClass: true),
        new("threading-partial", CorlibShapes.Moos + CorlibShapes.PartialThreading, [], [], Atomics: false, Overrides: true, Formats: false, VolatileClass: false),
        new("threading-internal", CorlibShapes.Zerolib, [], [CorlibShapes.InternalThreading], Atomics: false, Overrides: false, Formats: false, VolatileClass: false),
    }.ToDictionary(s => s.Name);

    public static TheoryData<string, string, string> Builds()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var shape in Shapes.Keys)
            foreach (var form in new[] { "alias", "strong" })
                foreach (var map in new[] { "identity", "offset:0xffff888000000000", "custom" })
                    data.Add(shape, form, map);
        return data;
    }

    /// <summary>A kernel build of a shape: the compilation with the generated code, and its generator diagnostics.</summary>
    internal static (Compilation Output, ImmutableArray<Diagnostic> Generator, IReadOnlyList<string> Sources) Build(
        Shape shape, string form, string map, Platform platform = Platform.AnyCpu, IEnumerable<string>? user = null)
    {
        var corlib = CorlibShapes.Build("corlib", [shape.Corlib]);
        var references = new List<MetadataReference> { corlib };
        references.AddRange(shape.Referenced.Select((s, i) => CorlibShapes.Build("kernel.lib" + i, [s], corlib)));
        var sources = (user ?? [KernelCode]).Concat(shape.Atomics ? [AtomicCode] : []).Concat(map == "custom" ? [CustomMap] : []).Concat(shape.Own.Select(o => "#pragma warning disable CS1591 // a kernel's own corlib pieces\n" + o));
        var compilation = GeneratorHarness.NewCompilationOn(references, sources);
        compilation = compilation.WithOptions(compilation.Options.WithPlatform(platform));
        var driver = GeneratorHarness.NewDriver([(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec)], new Switches(Form: form, DirectMap: map))
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics, TestContext.Current.CancellationToken);
        var generated = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()).ToList();
        return (output, diagnostics, generated);
    }

    internal static ImmutableArray<byte> Emit(Compilation output)
    {
        using var image = new MemoryStream();
        var emitted = output.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return image.ToArray().ToImmutableArray();
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Each_corlib_shape_builds_with_no_error_or_warning_and_keeps_READ_ONCE(string shapeName, string form, string map)
    {
        var shape = Shapes[shapeName];
        var (output, generator, generated) = Build(shape, form, map);

        Assert.Empty(generator);
        var problems = output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.DoesNotContain(output.ReferencedAssemblyNames, a => a.Name is "HandleGen.Runtime" or "System.Runtime" or "System.Threading" or "netstandard");

        var il = new AccessorIl(Emit(output));
        foreach (var level in new[] { "pte", "pmd", "pgd" })
        {
            var read = il.Effects("Pgtable", level + "p_get_once");
            var write = il.Effects("Pgtable", "set_" + level);
            if (shape.VolatileClass)
            {
                Assert.Contains("call Volatile.Read", read);
                Assert.Contains("call Volatile.Write", write);
            }
            else if (shape.Corlib.Contains("class IsVolatile"))
            {
                // AnyCPU: the 64-bit path is a volatile nuint field, the 32-bit path two volatile halves or Interlocked.
                Assert.Contains("volatile load", read);
                Assert.Contains("volatile store", write);
                Assert.Contains("call OnceWord.Read", read);
            }
            else
            {
                // No IsVolatile, so no volatile field: the access is a call the JIT never inlines.
                Assert.Contains("call OnceWord.Read", read);
                Assert.Contains("call OnceWord.Write", write);
                Assert.True(il.NeverInlined("OnceWord", "Read") && il.NeverInlined("OnceWord", "Write"));
            }
        }

        Assert.Equal(shape.Atomics, generated.Any(s => s.Contains("public static bool ptep_try_cmpxchg(")));
        Assert.Equal(shape.Atomics, generated.Any(s => s.Contains("public static bool pmdp_test_and_clear_young(")));
        Assert.Equal(shape.Overrides, generated.Any(s => s.Contains("public override bool Equals(object? obj)")));
        Assert.Equal(shape.Formats, generated.Any(s => s.Contains("public override string ToString()")));
    }

    [Theory]
    [InlineData("moos", Platform.X64, "field")]
    [InlineData("moos", Platform.Arm64, "field")]
    [InlineData("threading-in-kernel", Platform.X86, "volatile")]
    public void A_platform_of_known_width_reads_entries_its_one_way(string shapeName, Platform platform, string how)
    {
        var (output, generator, generated) = Build(Shapes[shapeName], "strong", "identity", platform);

        Assert.Empty(generator);
        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var read = new AccessorIl(Emit(output)).Effects("Pgtable", "ptep_get_once");
        if (how == "volatile")
        {
            Assert.Contains("call Volatile.Read", read);
        }
        else
        {
            Assert.Contains("volatile load", read);
            Assert.DoesNotContain(generated, s => s.Contains("sizeof(nuint) == 8") || s.Contains("Halves"));
        }
    }

    [Fact]
    public void Sixty_four_bit_entries_on_a_32_bit_target_with_Interlocked_read_and_write_them_with_it()
    {
        var (output, generator, _) = Build(Shapes["threading-partial"] with { Corlib = CorlibShapes.Zerolib + CorlibShapes.Threading.Replace("class Volatile", "class NotVolatile") }, "alias", "identity", Platform.X86);

        Assert.Empty(generator);
        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var il = new AccessorIl(Emit(output));
        Assert.Contains("call Interlocked.CompareExchange", il.Effects("Pgtable", "ptep_get_once"));
        Assert.Contains("call Interlocked.Exchange", il.Effects("Pgtable", "set_pte"));
    }

    [Theory]
    [InlineData("moos", "reads the low half, the high half and the low half again")]
    [InlineData("zerolib", "reads it with a plain 64-bit load")]
    public void Sixty_four_bit_entries_on_a_32_bit_target_without_atomics_warn_once_at_the_arch_and_say_so_in_the_doc_comments(string shapeName, string doc)
    {
        var (output, generator, generated) = Build(Shapes[shapeName], "strong", "identity", Platform.X86);

        var warning = Assert.Single(generator);
        Assert.Equal(("HG0039", DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.Equal(GeneratorHarness.SpecPath, warning.Location.GetLineSpan().Path);
        Assert.Contains("\"x86_64\"", GeneratorHarness.ShippedSpec.Substring(warning.Location.SourceSpan.Start, warning.Location.SourceSpan.Length));
        Assert.Contains("Interlocked.Exchange(ref ulong, ulong)", warning.GetMessage());
        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning));

        var accessors = generated.Single(s => s.Contains("public static pte_t ptep_get_once("));
        Assert.Contains("NOT single-copy-atomic", accessors);
        Assert.Contains(doc, accessors);
        Assert.DoesNotContain("never torn, never", accessors);
        var il = new AccessorIl(Emit(output));
        var halves = shapeName == "moos";
        Assert.Equal(halves ? 3 : 0, il.Effects("Pgtable", "ptep_get_once").Count(e => e == "volatile load"));
        Assert.Equal(halves ? 2 : 0, il.Effects("Pgtable", "set_pte").Count(e => e == "volatile store"));
        Assert.Equal(!halves, il.NeverInlined("OnceWord", "Read"));
    }

    [Fact]
    public void The_32_bit_entries_of_i386_take_a_volatile_uint_field_on_a_corlib_with_IsVolatile_and_no_Volatile()
    {
        var corlib = CorlibShapes.Build("corlib", [CorlibShapes.Moos]);
        var compilation = GeneratorHarness.NewCompilationOn([corlib], []);
        GeneratorHarness.NewDriver([(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec)], new Switches(Arch: "i386", Form: "strong", DirectMap: "identity"))
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generator, TestContext.Current.CancellationToken);

        Assert.Empty(generator);
        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var read = new AccessorIl(Emit(output)).Effects("Pgtable", "ptep_get_once");
        Assert.Contains("volatile load", read);
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
        var compilation = GeneratorHarness.NewCompilationOn([CorlibShapes.Build("corlib", [CorlibShapes.Moos]), runtime], [KernelCode]);
        var driver = GeneratorHarness.NewDriver([(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec)], new Switches(DirectMap: "runtime"))
            .RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics, TestContext.Current.CancellationToken);

        var d = Assert.Single(diagnostics);
        Assert.Equal("HG0033", d.Id);
        Assert.Contains("(HandleGenDirectMap=runtime)", d.GetMessage());
        Assert.Contains("which this build references but cannot use", d.GetMessage());
        Assert.Empty(driver.GetRunResult().Results.Single().GeneratedSources);
    }
}
