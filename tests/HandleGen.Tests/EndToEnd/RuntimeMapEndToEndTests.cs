using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HandleGen.Tests.Infrastructure;
using HandleGen.Tests.OwnMemory;

namespace HandleGen.Tests.EndToEnd;

/// <summary>
/// The runtime direct map where MSBuild does not reference HandleGen.Runtime, against the packed package: one
/// HG0033 naming HandleGenDirectMap and its choices, never CS errors from generated code, and no HandleGen.Runtime.dll.
/// </summary>
public sealed class RuntimeMapEndToEndTests
{
    // Maps one page and translates it through the identity map; no Main, the boot code is elsewhere.
    private const string Kernel = """
        using static PageTables.Pgtable;

        namespace PageTables
        {
            public static unsafe partial class Pgtable
            {
                static partial void pgd_alloc_one(ref pgd_t* table) => table = (pgd_t*)Boot.Page();
                static partial void pud_alloc_one(ref pud_t* table) => table = (pud_t*)Boot.Page();
                static partial void pmd_alloc_one(ref pmd_t* table) => table = (pmd_t*)Boot.Page();
                static partial void pte_alloc_one(ref pte_t* table) => table = (pte_t*)Boot.Page();
            }
        }

        internal static unsafe class Boot
        {
            private static byte* next = (byte*)0x200000;

            // A bump allocator over identity-mapped RAM the boot loader zeroed.
            public static void* Page()
            {
                var page = next;
                next += 4096;
                return page;
            }

            public static ulong Translate(ulong va, ulong pfn)
            {
                var root = pgd_alloc();
                var ptep = pte_alloc_kernel(pmd_alloc(pud_alloc(p4d_alloc(pgd_offset_pgd(root, va), va), va), va), va);
                set_pte(ptep, pfn_pte(pfn, PAGE_KERNEL));
                return lookup_address(root, va).phys;
            }
        }
        """;

    private const string NoStdLib = """
          <PropertyGroup>
            <OutputType>Library</OutputType>
            <NoStdLib>true</NoStdLib>
            <DisableImplicitFrameworkReferences>true</DisableImplicitFrameworkReferences>
            <RuntimeMetadataVersion>v4.0.30319</RuntimeMetadataVersion>
            <GenerateAssemblyInfo>false</GenerateAssemblyInfo>
            <GenerateTargetFrameworkAttribute>false</GenerateTargetFrameworkAttribute>
          </PropertyGroup>
        """;

    /// <summary>
    /// A kernel on its own corlib (NoStdLib, the corlib compiled into the kernel assembly, as MOOS-style kernels do):
    /// the default map is one HG0033; with the identity map it builds with no error and no warning.
    /// </summary>
    [Fact]
    public async Task The_runtime_map_in_a_NoStdLib_kernel_is_one_HG0033_and_the_identity_map_builds_clean_without_HandleGen_Runtime()
    {
        var feed = await PackedPackage.Get();
        var kernel = ConsumerProject.Create(feed, "NoStdLibKernel", GeneratorHarness.ShippedSpec,
            new Dictionary<string, string> { ["Corlib.cs"] = OwnMemory.Corlibs.CorlibShapes.Zerolib }, projectBody: NoStdLib);

        // Only the corlib: what fails is HandleGen's premise, not code using the API.
        var runtime = await kernel.Build();
        Assert.NotEqual(0, runtime.ExitCode);
        Assert.Equal(["CSC: error HG0033"], ConsumerProject.HandleGenDiagnostics(runtime));
        Assert.Empty(ConsumerProject.Errors(runtime));
        Assert.DoesNotContain("error CS", runtime.Output);
        Assert.Contains("HandleGenDirectMap to identity | offset:<hex> | custom | runtime", runtime.Output);

        File.WriteAllText(Path.Combine(kernel.Directory, "Kernel.cs"), Kernel);
        var identity = await kernel.Build("HandleGenDirectMap=identity", "HandleGenForm=strong");
        Assert.True(identity.ExitCode == 0, identity.ToString());
        Assert.Contains(" 0 Warning(s)", identity.Output);
        Assert.Equal(["NoStdLibKernel.dll"], Directory.GetFiles(Path.Combine(kernel.Directory, "bin", "Debug", "net10.0"), "*.dll").Select(Path.GetFileName));
    }

    /// <summary>
    /// MSBuild reads levels.json's "directMap" keys, not per arch: a spec whose ept says identity and whose x86_64
    /// (built) says nothing leaves HandleGen.Runtime out, and the generator says so instead of the code failing to bind.
    /// </summary>
    [Fact]
    public async Task A_spec_whose_other_arch_names_another_map_gets_one_HG0033_and_HandleGenDirectMap_runtime_fixes_it()
    {
        var feed = await PackedPackage.Get();
        var spec = GeneratorHarness.ShippedSpec.Replace("\"ept\": { ", "\"ept\": { \"directMap\": \"identity\", ");
        Assert.Contains("\"directMap\": \"identity\"", spec);
        var project = ConsumerProject.Create(feed, "RuntimeMapOtherArch", spec,
            new Dictionary<string, string> { ["Program.cs"] = "System.Console.WriteLine(PageTables.Pgtable.PMD_SHIFT);" });

        var unset = await project.Build();
        Assert.NotEqual(0, unset.ExitCode);
        Assert.Equal(["CSC: error HG0033"], ConsumerProject.HandleGenDiagnostics(unset));
        Assert.Contains("(the default: no HandleGenDirectMap, and arch \"x86_64\" has no \"directMap\") calls HandleGen.Runtime, which this build does not reference", unset.Output);
        Assert.DoesNotContain("CS0012", unset.Output);

        var runtime = await project.Build("HandleGenDirectMap=runtime");
        Assert.True(runtime.ExitCode == 0, runtime.ToString());
        Assert.True(File.Exists(Path.Combine(project.Directory, "bin", "Debug", "net10.0", "HandleGen.Runtime.dll")));
        var run = await project.RunBuilt();
        // x86_64's PMD_SHIFT (arch/x86/include/asm/pgtable_64_types.h).
        Assert.Equal(["21"], PackageEndToEndTests.Lines(run.Output));
    }
}
