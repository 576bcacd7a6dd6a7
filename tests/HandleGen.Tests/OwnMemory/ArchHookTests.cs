using System.Linq;
using System.Reflection;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.OwnMemory;

/// <summary>
/// The optional arch hooks: a consumer that implements them for pte sees every store and every load of the API,
/// with the value by ref, and can transform it, as a platform whose memory has a PFN alias rewrites the frame on
/// every set and get. (One that does not implement them gets the code it always had: MachineCodeTests.)
/// </summary>
public sealed class ArchHookTests
{
    private const string Consumer = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Runtime.InteropServices;
        using PageTables;
        using static PageTables.Pgtable;

        namespace PageTables
        {
            public static unsafe partial class Pgtable
            {
                // The alias: memory holds a present entry with bit 40 set; the API's callers never see it.
                static partial void arch_before_set_pte(hw_ptep ptep, ref pte_t pte)
                {
                    Hooks.Seen.Add("set " + pte_val(pte).ToString("x"));
                    if (pte_val(pte) != 0)
                        pte = __pte(pte_val(pte) | (1UL << 40));
                }

                static partial void arch_after_get_pte(hw_ptep ptep, ref pte_t pte)
                {
                    Hooks.Seen.Add("get " + pte_val(pte).ToString("x"));
                    pte = __pte(pte_val(pte) & ~(1UL << 40));
                }
            }
        }

        internal static unsafe class Hooks
        {
            public static readonly List<string> Seen = new();

            public static string[] Run()
            {
                var table = (pte_t*)NativeMemory.AlignedAlloc(4096, 4096);
                NativeMemory.Clear(table, 4096);
                var ptep = __hw_ptep(table);
                set_pte(ptep, __pte(0x1063));
                var a = ptep_get(ptep);
                var b = ptep_get_once(ptep);
                var raw = *(ulong*)table;
                var old = ptep_xchg(ptep, __pte(0x2063));
                var found = ptep_cmpxchg(ptep, __pte(0x2063), __pte(0x3063));
                var cleared = ptep_get_and_clear(ptep);
                set_ptes(hw_pte_next(ptep), __pte(0x4063), 2);
                NativeMemory.AlignedFree(table);
                Seen.Add("results " + string.Join(" ", new[] { pte_val(a), pte_val(b), raw, pte_val(old), pte_val(found), pte_val(cleared) }.Select(v => v.ToString("x"))));
                return Seen.ToArray();
            }
        }
        """;

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void Implemented_hooks_see_every_store_and_load_and_may_transform_the_value(string form)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Form: form, DirectMap: "identity"), [Consumer]);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.DoesNotContain(run.CompileDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);

        var seen = CompiledAssembly.Load(run.Output).Call<string[]>("Hooks", "Run");

        // Worked by hand: each store is seen before its value gains bit 40 (0x10000000000), each load before it loses it;
        // cmpxchg passes the value it expects through the store hook too, so it compares in the stored form.
        Assert.Equal(
        [
            "set 1063", "get 10000001063", "get 10000001063",
            "set 2063", "get 10000001063",
            "set 2063", "set 3063", "get 10000002063",
            "set 0", "get 10000003063",
            "set 4063", "set 5063",
            "results 1063 1063 10000001063 1063 2063 3063",
        ], seen);
    }

    [Fact]
    public void Hooks_left_unimplemented_leave_no_call_in_the_compiled_code()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(DirectMap: "identity"));
        // A partial method without an implementation is removed with its calls, so the assembly has no such method.
        var assembly = CompiledAssembly.Load(run.Output);
        var pgtable = assembly.GetType("PageTables.Pgtable")!;
        Assert.DoesNotContain(pgtable.GetMethods(BindingFlags.NonPublic | BindingFlags.Static), m => m.Name.StartsWith("arch_", System.StringComparison.Ordinal));
        Assert.Contains(pgtable.GetMethods(BindingFlags.Public | BindingFlags.Static), m => m.Name == "set_pte");
    }
}
