using System;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.OwnMemory;

/// <summary>
/// The generated API on the project's own memory, not HandleGen.Runtime's: an identity-mapped consumer (tables
/// from NativeMemory.AlignedAlloc, physical address = pointer), a higher-half offset one (Linux's x86-64
/// PAGE_OFFSET), and a custom one over an emulator's guest-RAM buffer. Each maps with the generated alloc
/// helpers, over allocator hooks it implements, and translates with the generated walkers and lookup walk,
/// in both forms; every translation is checked against <see cref="X86Mmu"/>, which reads the raw tables.
/// </summary>
public sealed unsafe class OwnMemoryTests
{
    // 0xffff_8800_0000_0000: the start of x86-64 Linux's direct map before 4.20 (Documentation/x86/x86_64/mm.txt).
    private const ulong PageOffset = 0xffff_8800_0000_0000;

    private const string Kernel = """
        using System.Runtime.InteropServices;
        using PageTables;
        using static PageTables.Pgtable;

        namespace PageTables
        {
            // The allocator hooks, over the memory Kernel.Page hands out.
            public static unsafe partial class Pgtable
            {
                static partial void pgd_alloc_one(ref pgd_t* table) => table = (pgd_t*)Kernel.Page();
                static partial void pud_alloc_one(ref pud_t* table) => table = (pud_t*)Kernel.Page();
                static partial void pmd_alloc_one(ref pmd_t* table) => table = (pmd_t*)Kernel.Page();
                static partial void pte_alloc_one(ref pte_t* table) => table = (pte_t*)Kernel.Page();
                static partial void pte_free_one(pte_t* table) => Kernel.Freed = (ulong)table;
        /*CUSTOM*/
            }
        }

        internal static unsafe class Kernel
        {
            public static byte* GuestRam;
            public static int PagesLeft;
            public static ulong Freed;
            private static hw_pgdp root;

            // Native mode: a fresh aligned page; guest mode: the next page of guest RAM (page 0 stays unused).
            public static void* Page()
            {
                if (PagesLeft == 0)
                    return null;
                PagesLeft--;
                if (GuestRam != null)
                    return GuestRam + ((ulong)(64 - PagesLeft) << 12);
                var page = NativeMemory.AlignedAlloc(4096, 4096);
                NativeMemory.Clear(page, 4096);
                return page;
            }

            public static ulong Start(ulong guestRam, int pages)
            {
                GuestRam = (byte*)guestRam;
                PagesLeft = pages;
                root = pgd_alloc();
                return __pa(__hw_pgdp_ptr(root));
            }

            // Linux's vmap path for one page or one 2 MiB leaf; false when a table could not be allocated.
            public static bool Map(ulong va, ulong pa, bool huge)
            {
                var pudp = pud_alloc(p4d_alloc(pgd_offset_pgd(root, va), va), va);
                if (hw_pudp_is_null(pudp))
                    return false;
                var pmdp = pmd_alloc(pudp, va);
                if (hw_pmdp_is_null(pmdp))
                    return false;
                if (huge)
                    return pmd_set_huge(pmdp, pa, PAGE_KERNEL) == 1;
                var ptep = pte_alloc_kernel(pmdp, va);
                if (hw_ptep_is_null(ptep))
                    return false;
                set_pte(ptep, pfn_pte(pa >> PAGE_SHIFT, PAGE_KERNEL));
                return true;
            }

            // The walkers, level by level: { level reached (0..4 as pgd..pte), entry, mapped, phys }.
            public static ulong[] Walk(ulong va)
            {
                var pgdp = pgd_offset_pgd(root, va);
                var p4dp = p4d_offset(pgdp, va);
                if (!p4d_present(p4dp_get(p4dp)))
                    return [0, p4d_val(p4dp_get(p4dp)), 0, 0];
                var pudp = pud_offset(p4dp, va);
                var pud = pudp_get(pudp);
                if (!pud_present(pud) || pud_leaf(pud))
                    return [2, pud_val(pud), pud_leaf(pud) ? 1UL : 0, pud_leaf(pud) ? (pud_pfn(pud) << PAGE_SHIFT) | (va & ~PUD_PAGE_MASK) : 0];
                var pmdp = pmd_offset(pudp, va);
                var pmd = pmdp_get(pmdp);
                if (!pmd_present(pmd) || pmd_leaf(pmd))
                    return [3, pmd_val(pmd), pmd_leaf(pmd) ? 1UL : 0, pmd_leaf(pmd) ? (pmd_pfn(pmd) << PAGE_SHIFT) | (va & ~PMD_PAGE_MASK) : 0];
                var pte = ptep_get(pte_offset_kernel(pmdp, va));
                return [4, pte_val(pte), pte_present(pte) ? 1UL : 0, pte_present(pte) ? (pte_pfn(pte) << PAGE_SHIFT) | (va & ~PAGE_MASK) : 0];
            }

            public static ulong[] Lookup(ulong va)
            {
                var found = lookup_address(root, va);
                return [(ulong)found.level, found.entry, found.mapped ? 1UL : 0, found.phys];
            }

            // Empties the pmd entry over va and frees its pte table, as free_pte_range does.
            public static ulong FreePteTable(ulong va)
            {
                var pmdp = pmd_offset(pud_offset(p4d_offset(pgd_offset_pgd(root, va), va), va), va);
                var table = __hw_ptep((pte_t*)__va(pmd_page_paddr(pmdp_get(pmdp))));
                pmd_clear(pmdp);
                pte_free_kernel(table);
                return Freed;
            }
        }
        """;

    private const string Custom = """
                public static partial void* __va(ulong pa) => Kernel.GuestRam + pa;
                public static partial ulong __pa(void* va) => (ulong)((byte*)va - Kernel.GuestRam);
        """;

    public static TheoryData<string, string> MapsAndForms => new()
    {
        { "identity", "alias" }, { "identity", "strong" },
        { "offset:0xffff880000000000", "alias" }, { "offset:0xffff880000000000", "strong" },
        { "custom", "alias" }, { "custom", "strong" },
    };

    [Theory]
    [MemberData(nameof(MapsAndForms))]
    public void Tables_on_own_memory_translate_as_the_MMU_does(string directMap, string form)
    {
        var guest = directMap == "custom" ? (byte*)NativeMemory.AlignedAlloc(65 << 12, 4096) : null;
        if (guest != null)
            NativeMemory.Clear(guest, 65 << 12);
        try
        {
            var kernel = Build(directMap, form);
            var cr3 = Call<ulong>(kernel, "Start", (ulong)guest, 64);
            Func<ulong, ulong> read = directMap switch
            {
                "identity" => pa => *(ulong*)pa,
                "custom" => pa => *(ulong*)(guest + pa),
                _ => pa => *(ulong*)unchecked(pa + PageOffset),
            };

            (ulong Va, ulong Pa, bool Huge)[] maps =
            [
                (0x0000_0000_005f_f000, 0x00a0_1000, false),
                (0x0000_0000_0060_0000, 0x00a0_2000, false),
                (0x0000_7fff_ffff_f000, 0x0c00_3000, false),
                (0x0000_0000_4000_0000, 0x0080_0000, true),
            ];
            foreach (var (va, pa, huge) in maps)
                Assert.True(Call<bool>(kernel, "Map", va, pa, huge), $"map 0x{va:x}");

            ulong[] probes = [0x5ff123, 0x600456, 0x7fff_ffff_fabc, 0x4012_3456, 0x601000, 0x1000_0000, 0x0000_4000_0000_0000, 0x5fe000];
            foreach (var va in probes)
            {
                var mmu = X86Mmu.Translate(read, cr3, va);
                // The SDM's levels PML4, PDPT, PD, PT are the generated pgd, pud, pmd, pte (p4d is folded into pgd).
                ulong[] expected = [(ulong)new[] { 0, 2, 3, 4 }[mmu.Level], mmu.Entry, mmu.Mapped ? 1UL : 0, mmu.Phys];
                Assert.Equal(expected, Call<ulong[]>(kernel, "Lookup", va));
                Assert.Equal(expected, Call<ulong[]>(kernel, "Walk", va));
            }

            // What the maps above say, by hand: the model and the generated code agree with them too.
            Assert.Equal(0xa01123UL, X86Mmu.Translate(read, cr3, 0x5ff123).Phys);
            Assert.Equal(0x923456UL, X86Mmu.Translate(read, cr3, 0x4012_3456).Phys);
            Assert.False(X86Mmu.Translate(read, cr3, 0x601000).Mapped);

            // pte_free_kernel hands the table the pmd entry pointed to back to the hook; the walk then stops at the pmd.
            var pteTable = X86Mmu.TableAt(read, cr3, 0x5ff123, 3);
            var freed = Call<ulong>(kernel, "FreePteTable", 0x5ff123UL);
            Assert.Equal(directMap switch { "identity" => pteTable, "custom" => (ulong)guest + pteTable, _ => unchecked(pteTable + PageOffset) }, freed);
            Assert.Equal([3UL, 0, 0, 0], Call<ulong[]>(kernel, "Lookup", 0x5ff123UL));
        }
        finally
        {
            if (guest != null)
                NativeMemory.AlignedFree(guest);
        }
    }

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void An_allocation_that_fails_gives_a_null_handle_and_leaves_the_entry_none(string form)
    {
        var guest = (byte*)NativeMemory.AlignedAlloc(65 << 12, 4096);
        NativeMemory.Clear(guest, 65 << 12);
        try
        {
            var kernel = Build("custom", form);
            // The pgd, pud and pmd tables take the three pages; the pte table finds none.
            var cr3 = Call<ulong>(kernel, "Start", (ulong)guest, 3);
            Assert.False(Call<bool>(kernel, "Map", 0x5ff000UL, 0xa01000UL, false));
            var mmu = X86Mmu.Translate(pa => *(ulong*)(guest + pa), cr3, 0x5ff000);
            Assert.Equal((2, 0UL, false), (mmu.Level, mmu.Entry, mmu.Mapped)); // the PD entry: no PT under it
        }
        finally
        {
            NativeMemory.AlignedFree(guest);
        }
    }

    [Fact]
    public void A_custom_direct_map_without_its_two_functions_names_them()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(DirectMap: "custom"));

        Assert.Empty(run.GeneratorDiagnostics);
        var missing = run.CompileDiagnostics.Where(d => d.Id == "CS8795").Select(d => d.GetMessage()).OrderBy(m => m).ToList();
        Assert.Equal(2, missing.Count);
        Assert.Contains("Pgtable.__pa(void*)", missing[0]);
        Assert.Contains("Pgtable.__va(ulong)", missing[1]);
    }

    [Theory]
    [InlineData("identity")]
    [InlineData("offset:0xffff880000000000")]
    [InlineData("custom")]
    public void Only_the_runtime_direct_map_references_HandleGen_Runtime(string directMap)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(DirectMap: directMap));

        Assert.All(run.Sources, s => Assert.DoesNotContain("HandleGen.Runtime", s.Source));
        Assert.Contains(GeneratorHarness.Run(GeneratorHarness.ShippedSpec).Sources, s => s.Source.Contains("global::HandleGen.Runtime.DirectMap.__va"));
    }

    private static Assembly Build(string directMap, string form)
    {
        var source = directMap == "custom" ? Kernel.Replace("/*CUSTOM*/", Custom) : Kernel.Replace("/*CUSTOM*/", string.Empty);
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Form: form, DirectMap: directMap), [source]);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.DoesNotContain(run.CompileDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        return CompiledAssembly.Load(run.Output);
    }

    private static T Call<T>(Assembly assembly, string method, params object[] args) => assembly.Call<T>("Kernel", method, args);
}
