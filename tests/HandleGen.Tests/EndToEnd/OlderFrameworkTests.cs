using System.Collections.Generic;
using System.Threading.Tasks;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.EndToEnd;

/// <summary>
/// A net6.0 consumer of the packed package (the SDK restores the net6.0 targeting pack from the package
/// registry), on its own memory with the identity direct map, builds in both forms with no warning. Its
/// runtime is not installed here, so it is built, not run. (Microsoft.NETCore.App.Ref 7.0 is not served by
/// the registry this machine reaches, so no net7.0 consumer.)
/// </summary>
public sealed class OlderFrameworkTests
{
    private const string Program = """
        using System;
        using System.Runtime.InteropServices;
        using PageTables;
        using static PageTables.Pgtable;

        namespace PageTables
        {
            public static unsafe partial class Pgtable
            {
                static partial void pgd_alloc_one(ref pgd_t* table) => table = (pgd_t*)Kernel.Page();
                static partial void pud_alloc_one(ref pud_t* table) => table = (pud_t*)Kernel.Page();
                static partial void pmd_alloc_one(ref pmd_t* table) => table = (pmd_t*)Kernel.Page();
                static partial void pte_alloc_one(ref pte_t* table) => table = (pte_t*)Kernel.Page();
            }
        }

        internal static unsafe class Kernel
        {
            public static void* Page()
            {
                var page = NativeMemory.AlignedAlloc(4096, 4096);
                new Span<byte>(page, 4096).Clear();
                return page;
            }

            public static void Main()
            {
                const ulong va = 0x5ff123;
                var root = pgd_alloc();
                var ptep = pte_alloc_kernel(pmd_alloc(pud_alloc(p4d_alloc(pgd_offset_pgd(root, va), va), va), va), va);
                set_pte(ptep, pfn_pte(0xa01, PAGE_KERNEL));
                Console.WriteLine("0x" + lookup_address(root, va).phys.ToString("x"));
            }
        }
        """;

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public async Task A_net6_consumer_on_its_own_memory_builds(string form)
    {
        var feed = await PackedPackage.Get();
        var project = ConsumerProject.Create(feed, "Net6_" + form, GeneratorHarness.ShippedSpec,
            new Dictionary<string, string> { ["Program.cs"] = Program },
            targetFramework: "net6.0",
            registry: true,
            projectBody: """
              <PropertyGroup>
                <LangVersion>12</LangVersion>
                <HandleGenDirectMap>identity</HandleGenDirectMap>
                <EnableNETAnalyzers>false</EnableNETAnalyzers>
                <CheckEolTargetFramework>false</CheckEolTargetFramework>
              </PropertyGroup>
            """);

        var build = await project.Build("HandleGenForm=" + form);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Empty(ConsumerProject.HandleGenDiagnostics(build));
    }
}
