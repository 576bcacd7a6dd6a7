using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.EndToEnd;

/// <summary>
/// Libraries that use HandleGen, referenced by apps that do not: by project reference and by package (the
/// library packed into the local feed), one library or two with HandleGenVisibility=internal, in both forms.
/// The app builds with no HandleGen diagnostic and no generated source of its own, runs, and has
/// HandleGen.Runtime.dll exactly when a library's direct map is the runtime one.
/// </summary>
public sealed class LibraryEndToEndTests
{
    // Both libraries map one page of x86_64 and look it up again. Hand computation: x86_64's PMD_SHIFT is 21
    // (arch/x86/include/asm/pgtable_64_types.h); a 4 KiB page's physical address is pfn << 12 plus the offset in
    // the page, so 0x5ff123 -> pfn 0xa01 is 0xa01123 and 0x40201abc -> pfn 0x1234 is 0x1234abc, found at the pte level.
    private const string RuntimeLibraryLine = "runtime 21 pte 0xa01123";
    private const string IdentityLibraryLine = "identity 21 pte 0x1234abc";

    // On HandleGen.Runtime's simulated memory (the runtime direct map, the default).
    private const string RuntimeLibrary = """
        using HandleGen.Runtime;
        using static PageTables.Pgtable;

        namespace LibRuntime;

        public static unsafe class Mapper
        {
            public static string Translate()
            {
                const ulong va = 0x5ff123;
                using var memory = new PhysicalMemory(1 << 20);
                _ = new PageTableAllocator(memory);
                var root = pgd_alloc();
                var ptep = pte_alloc_kernel(pmd_alloc(pud_alloc(p4d_alloc(pgd_offset_pgd(root, va), va), va), va), va);
                set_pte(ptep, pfn_pte(0xa01, PAGE_KERNEL));
                var found = lookup_address(root, va);
                return $"runtime {PMD_SHIFT} {found.level} 0x{found.phys:x}";
            }
        }
        """;

    // On its own memory through the identity direct map. Pgtable's part here has no accessibility modifier, so it
    // takes the generated one (public, or internal with HandleGenVisibility=internal).
    private const string IdentityLibrary = """
        using System;
        using System.Runtime.InteropServices;
        using static PageTables.Pgtable;

        namespace PageTables
        {
            static unsafe partial class Pgtable
            {
                static partial void pgd_alloc_one(ref pgd_t* table) => table = (pgd_t*)LibIdentity.Mapper.Page();
                static partial void pud_alloc_one(ref pud_t* table) => table = (pud_t*)LibIdentity.Mapper.Page();
                static partial void pmd_alloc_one(ref pmd_t* table) => table = (pmd_t*)LibIdentity.Mapper.Page();
                static partial void pte_alloc_one(ref pte_t* table) => table = (pte_t*)LibIdentity.Mapper.Page();
            }
        }

        namespace LibIdentity
        {
            public static unsafe class Mapper
            {
                internal static void* Page()
                {
                    var page = NativeMemory.AlignedAlloc(4096, 4096);
                    new Span<byte>(page, 4096).Clear();
                    return page;
                }

                public static string Translate()
                {
                    const ulong va = 0x40201abc;
                    var root = pgd_alloc();
                    var ptep = pte_alloc_kernel(pmd_alloc(pud_alloc(p4d_alloc(pgd_offset_pgd(root, va), va), va), va), va);
                    set_pte(ptep, pfn_pte(0x1234, PAGE_KERNEL));
                    var found = lookup_address(root, va);
                    return $"identity {PMD_SHIFT} {found.level} 0x{found.phys:x}";
                }
            }
        }
        """;

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public async Task An_app_builds_and_runs_on_a_library_by_project_reference_and_gets_HandleGen_Runtime_for_its_runtime_map(string form)
    {
        var feed = await PackedPackage.Get();
        var library = Library(feed, "LibRuntime_" + form, RuntimeLibrary, form, directMap: null, visibility: null);
        var app = App(feed, "AppOnProject_" + form, ["LibRuntime.Mapper"], $"<ProjectReference Include=\"{library.Directory}/LibRuntime_{form}.csproj\" />");

        await BuildsAndPrints(app, RuntimeLibraryLine);
        Assert.True(File.Exists(Output(app, "HandleGen.Runtime.dll")));
        // HandleGenVisibility's default: the library exports the API (pte_t, hw_ptep, Pgtable, …).
        Assert.Contains("Pgtable", GeneratedTypes(Output(app, $"LibRuntime_{form}.dll"), publicOnly: true));
    }

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public async Task An_app_builds_and_runs_on_a_librarys_package_and_gets_no_HandleGen_Runtime_for_its_identity_map(string form)
    {
        var feed = await PackedPackage.Get();
        // Chosen in levels.json, not by HandleGenDirectMap: MSBuild reads the spec's "directMap" to leave HandleGen.Runtime out.
        var spec = GeneratorHarness.ShippedSpec.Replace("\"x86_64\": { ", "\"x86_64\": { \"directMap\": \"identity\", ");
        Assert.Contains("\"directMap\": \"identity\"", spec);
        var library = Library(feed, "LibIdentity_" + form, IdentityLibrary, form, directMap: null, visibility: null, spec);
        var pack = await library.Pack(feed);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        Assert.DoesNotContain(PackageFiles(feed, "LibIdentity_" + form), f => f.EndsWith("HandleGen.Runtime.dll"));
        var app = App(feed, "AppOnPackage_" + form, ["LibIdentity.Mapper"], $"<PackageReference Include=\"LibIdentity_{form}\" Version=\"{feed.Version}\" />");

        await BuildsAndPrints(app, IdentityLibraryLine);
        Assert.False(File.Exists(Output(app, "HandleGen.Runtime.dll")));
        Assert.False(File.Exists(Path.Combine(library.Directory, "bin", "Debug", "net10.0", "HandleGen.Runtime.dll")));
    }

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public async Task An_app_builds_and_runs_on_two_libraries_with_internal_generated_types(string form)
    {
        // Both libraries generate PageTables.Pgtable, pte_t, …: public, the app would not compile (CS0433); internal, each keeps its own.
        var feed = await PackedPackage.Get();
        var runtime = Library(feed, "LibRuntimeInternal_" + form, RuntimeLibrary, form, directMap: null, visibility: "internal");
        var pack = await runtime.Pack(feed);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        // The runtime map's assembly travels in the library's package, beside the library, and the package depends on nothing.
        Assert.Contains("lib/net10.0/HandleGen.Runtime.dll", PackageFiles(feed, "LibRuntimeInternal_" + form));
        Assert.DoesNotContain("<dependency id=\"HandleGen\"", Nuspec(feed, "LibRuntimeInternal_" + form));
        var identity = Library(feed, "LibIdentityInternal_" + form, IdentityLibrary, form, directMap: "identity", visibility: "internal");
        var app = App(feed, "AppOnTwo_" + form, ["LibRuntime.Mapper", "LibIdentity.Mapper"],
            $"<PackageReference Include=\"LibRuntimeInternal_{form}\" Version=\"{feed.Version}\" />",
            $"<ProjectReference Include=\"{identity.Directory}/LibIdentityInternal_{form}.csproj\" />");

        await BuildsAndPrints(app, RuntimeLibraryLine, IdentityLibraryLine);
        Assert.True(File.Exists(Output(app, "HandleGen.Runtime.dll")));
        foreach (var dll in new[] { $"LibRuntimeInternal_{form}.dll", $"LibIdentityInternal_{form}.dll" })
        {
            Assert.Contains("pte_t", GeneratedTypes(Output(app, dll), publicOnly: false));
            Assert.Empty(GeneratedTypes(Output(app, dll), publicOnly: true));
        }
    }

    /// <summary>The names of an assembly's top-level types in namespace PageTables (only the public ones, or all).</summary>
    private static List<string> GeneratedTypes(string assembly, bool publicOnly)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return reader.TypeDefinitions.Select(reader.GetTypeDefinition)
            .Where(t => reader.GetString(t.Namespace) == "PageTables")
            .Where(t => !publicOnly || (t.Attributes & System.Reflection.TypeAttributes.VisibilityMask) == System.Reflection.TypeAttributes.Public)
            .Select(t => reader.GetString(t.Name))
            .ToList();
    }

    /// <summary>
    /// A class library that references HandleGen and generates x86_64 in the given form. The internal ones also
    /// reference it with PrivateAssets="all", as a library author keeps a compile-time tool out of the package.
    /// </summary>
    private static ConsumerProject Library(PackageFeed feed, string name, string source, string form, string? directMap, string? visibility, string? spec = null) =>
        ConsumerProject.Create(feed, name, spec ?? GeneratorHarness.ShippedSpec, new Dictionary<string, string> { ["Mapper.cs"] = source }, projectBody: $"""
              <PropertyGroup>
                <OutputType>Library</OutputType>
                <HandleGenArch>x86_64</HandleGenArch>
                <HandleGenForm>{form}</HandleGenForm>
                {(directMap is null ? "" : $"<HandleGenDirectMap>{directMap}</HandleGenDirectMap>")}
                {(visibility is null ? "" : $"<HandleGenVisibility>{visibility}</HandleGenVisibility>")}
              </PropertyGroup>
              {(visibility is null ? "" : "<ItemGroup><PackageReference Update=\"HandleGen\" PrivateAssets=\"all\" /></ItemGroup>")}
            """);

    /// <summary>
    /// An app with no HandleGen reference of its own that prints each library's Translate(). It keeps the compiler's
    /// generated files, so a test sees any source a generator added to it.
    /// </summary>
    private static ConsumerProject App(PackageFeed feed, string name, string[] mappers, params string[] items) =>
        ConsumerProject.Create(feed, name, "", new Dictionary<string, string>
        {
            ["Program.cs"] = string.Concat(mappers.Select(m => $"System.Console.WriteLine({m}.Translate());\n")),
        }, handleGen: false, projectBody: $"""
              <PropertyGroup>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
              </PropertyGroup>
              <ItemGroup>
                {string.Join("\n    ", items)}
              </ItemGroup>
            """);

    private static async Task BuildsAndPrints(ConsumerProject app, params string[] lines)
    {
        var build = await app.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Empty(ConsumerProject.HandleGenDiagnostics(build));
        Assert.False(Directory.Exists(Path.Combine(app.Directory, "obj", "Debug", "net10.0", "generated", "HandleGen.Generator")),
            "the app generated page-table code of its own");
        var run = await app.RunBuilt();
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(lines, PackageEndToEndTests.Lines(run.Output));
    }

    private static string Output(ConsumerProject project, string file) => Path.Combine(project.Directory, "bin", "Debug", "net10.0", file);

    private static List<string> PackageFiles(PackageFeed feed, string id)
    {
        using var package = ZipFile.OpenRead(Path.Combine(feed.Folder, $"{id}.{feed.Version}.nupkg"));
        return package.Entries.Select(e => e.FullName).ToList();
    }

    private static string Nuspec(PackageFeed feed, string id)
    {
        using var package = ZipFile.OpenRead(Path.Combine(feed.Folder, $"{id}.{feed.Version}.nupkg"));
        using var reader = new StreamReader(package.GetEntry(id + ".nuspec")!.Open());
        return reader.ReadToEnd();
    }
}
