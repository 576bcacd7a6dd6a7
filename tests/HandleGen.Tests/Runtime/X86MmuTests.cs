using System.Collections.Generic;
using System.Linq;
using HandleGen.Runtime;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Runtime;

/// <summary>
/// An x86-64 and a 32-bit PAE consumer of the generated API: a driver builds page tables with populate, pfn_pte,
/// pmd_set_huge / pud_set_huge and the flag helpers, and a small x86 MMU written here from the Intel SDM (vol. 3A,
/// 4.4 "PAE paging" and 4.5 "4-level paging") walks the raw memory. Every entry's bits, every translation and its
/// effective permission (R/W and U/S ANDed down the walk, XD ORed) must be what the kernel's values say.
/// </summary>
[Collection(PhysicalMemoryCollection.Name)]
public sealed unsafe class X86MmuTests
{
    private const string Driver = """
        using HandleGen.Runtime;
        using PageTables;
        using static PageTables.Pgtable;

        public static unsafe class X86Driver
        {
            private static PageTableAllocator? alloc;
            private static hw_pgdp root;

            public static ulong Start(PageTableAllocator a)
            {
                alloc = a;
                root = __hw_pgdp((pgd_t*)a.Alloc(PageTableLevel.Pgd, PTRS_PER_PGD * sizeof(pgd_t)));
                return DirectMap.__pa(__hw_pgdp_ptr(root));
            }

            private static pgprot_t Prot(string name) => name switch
            {
                "PAGE_KERNEL" => PAGE_KERNEL,
                "PAGE_KERNEL_RO" => PAGE_KERNEL_RO,
                "PAGE_KERNEL_EXEC" => PAGE_KERNEL_EXEC,
                "PAGE_KERNEL_LARGE" => PAGE_KERNEL_LARGE,
                "PAGE_SHARED" => PAGE_SHARED,
                "PAGE_SHARED_EXEC" => PAGE_SHARED_EXEC,
                "PAGE_READONLY" => PAGE_READONLY,
                "PAGE_READONLY_EXEC" => PAGE_READONLY_EXEC,
                _ => PAGE_NONE,
            };

            // Maps one page at level 2 (pud leaf), 3 (pmd leaf) or 4 (pte); returns what set_huge returned, 1 for a pte.
            public static int Map(ulong va, ulong pa, string prot, int level)
            {
                var pgdp = pgd_offset_pgd(root, va);
                if (pgd_none(pgdp_get(pgdp)))
                    pgd_populate(pgdp, __hw_p4dp((p4d_t*)alloc!.Alloc(PageTableLevel.P4d, PTRS_PER_P4D * sizeof(p4d_t))));
                var p4dp = p4d_offset(pgdp, va);
                if (p4d_none(p4dp_get(p4dp)))
                    p4d_populate(p4dp, __hw_pudp((pud_t*)alloc!.Alloc(PageTableLevel.Pud, PTRS_PER_PUD * sizeof(pud_t))));
                var pudp = pud_offset(p4dp, va);
                if (level == 2)
                    return pud_set_huge(pudp, pa, Prot(prot));
                if (pud_none(pudp_get(pudp)))
                    pud_populate(pudp, __hw_pmdp((pmd_t*)alloc!.Alloc(PageTableLevel.Pmd, PTRS_PER_PMD * sizeof(pmd_t))));
                var pmdp = pmd_offset(pudp, va);
                if (level == 3 && prot == "PAGE_KERNEL_LARGE")
                {
                    set_pmd(pmdp, pfn_pmd(pa >> PAGE_SHIFT, PAGE_KERNEL_LARGE)); // already a leaf: it carries _PAGE_PSE
                    return 1;
                }

                if (level == 3)
                    return pmd_set_huge(pmdp, pa, Prot(prot));
                if (pmd_none(pmdp_get(pmdp)))
                    pmd_populate(pmdp, __hw_ptep((pte_t*)alloc!.Alloc(PageTableLevel.Pte, PTRS_PER_PTE * sizeof(pte_t))));
                set_pte(pte_offset_kernel(pmdp, va), pfn_pte(pa >> PAGE_SHIFT, Prot(prot)));
                return 1;
            }

            // Changes the flags of the table entry at level 2 (pud) or 3 (pmd) that maps va.
            public static void Restrict(ulong va, int level, ulong clear, ulong set)
            {
                var pudp = pud_offset(p4d_offset(pgd_offset_pgd(root, va), va), va);
                if (level == 2)
                    set_pud(pudp, pud_set_flags(pud_clear_flags(pudp_get(pudp), clear), set));
                else
                    set_pmd(pmd_offset(pudp, va), pmd_set_flags(pmd_clear_flags(pmdp_get(pmd_offset(pudp, va)), clear), set));
            }
        }
        """;

    private const ulong NX = 1UL << 63;

    // The kernel's values (arch/x86/include/asm/pgtable_types.h, as typed in by EntryFormatTests) and what the SDM makes
    // of them in a leaf: writable (R/W, bit 1), user (U/S, bit 2), execute-disable (XD, bit 63).
    private static readonly Dictionary<string, (ulong Value, bool Write, bool User, bool Nx)> Prots = new()
    {
        ["PAGE_KERNEL"] = (0x163 | NX, true, false, true),
        ["PAGE_KERNEL_RO"] = (0x121 | NX, false, false, true),
        ["PAGE_KERNEL_EXEC"] = (0x163, true, false, false),
        ["PAGE_KERNEL_LARGE"] = (0x1e3 | NX, true, false, true),
        ["PAGE_SHARED"] = (0x27 | NX, true, true, true),
        ["PAGE_SHARED_EXEC"] = (0x27, true, true, false),
        ["PAGE_READONLY"] = (0x25 | NX, false, true, true),
        ["PAGE_READONLY_EXEC"] = (0x25, false, true, false),
    };

    /// <summary>One mapping: where, to where, with which protection, at which level (2 pud, 3 pmd, 4 pte).</summary>
    private sealed record Mapping(ulong Va, ulong Pa, string Prot, int Level)
    {
        public ulong Size => Level switch { 2 => 1UL << 30, 3 => 1UL << 21, _ => 1UL << 12 };
    }

    /// <summary>A table entry whose flags the driver changes: R/W and U/S then restrict, XD extends, every page below.</summary>
    private sealed record Restriction(ulong Va, int Level, ulong Clear, ulong Set);

    public static TheoryData<string, string> Cases => new()
    {
        { "x86_64", "alias" }, { "x86_64", "strong" }, { "i386_pae", "alias" }, { "i386_pae", "strong" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tables_built_with_the_API_translate_with_the_kernels_permissions(string arch, string form)
    {
        var pae = arch == "i386_pae";
        var mappings = new List<Mapping>();
        string[] small = ["PAGE_KERNEL", "PAGE_KERNEL_RO", "PAGE_KERNEL_EXEC", "PAGE_SHARED", "PAGE_SHARED_EXEC", "PAGE_READONLY", "PAGE_READONLY_EXEC"];
        mappings.AddRange(small.Select((p, i) => new Mapping(0x0040_0000 + ((ulong)i << 12), 0x1000_0000 + ((ulong)i << 12), p, 4)));
        mappings.Add(new Mapping(0x0080_0000, 0x2_0000_0000, "PAGE_KERNEL_LARGE", 3));
        mappings.Add(new Mapping(0x00a0_0000, 0x3_0020_0000, "PAGE_SHARED", 3));
        mappings.Add(new Mapping(0x00c0_0000, 0x3_0040_0000, "PAGE_READONLY_EXEC", 3));
        // Pages under table entries that the driver restricts: user pages under a kernel-only pmd entry (_KERNPG_TABLE's
        // missing U/S), writable pages under a read-only one, executable pages under an XD one.
        var userUnderKernel = pae ? 0xbf80_0000UL : 0x7f00_0020_0000UL;
        var writeUnderReadOnly = pae ? 0xbfa0_0000UL : 0x7f00_0040_0000UL;
        var execUnderNx = pae ? 0xbfc0_0000UL : 0x7f40_0000_0000UL;
        mappings.Add(new Mapping(userUnderKernel, 0x5000_0000, "PAGE_SHARED", 4));
        mappings.Add(new Mapping(writeUnderReadOnly, 0x5000_1000, "PAGE_SHARED_EXEC", 4));
        mappings.Add(new Mapping(execUnderNx, 0x5000_2000, "PAGE_SHARED_EXEC", 4));
        var restrictions = new List<Restriction>
        {
            new(userUnderKernel, 3, 0x4, 0),
            new(writeUnderReadOnly, 3, 0x2, 0),
            new(execUnderNx, pae ? 3 : 2, 0, NX),
        };
        if (!pae)
            mappings.Add(new Mapping(0x80_0000_0000, 0x40_0000_0000, "PAGE_KERNEL", 2));

        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arch, form), [Driver]);
        Assert.Empty(run.CompileDiagnostics.Where(d => d.Id != "CS1591").Select(d => d.ToString()));
        var assembly = CompiledAssembly.Load(run.Output);
        using var memory = new PhysicalMemory(256 * 4096);
        var cr3 = assembly.Call<ulong>("X86Driver", "Start", new PageTableAllocator(memory));
        foreach (var m in mappings)
            Assert.Equal(1, assembly.Call<int>("X86Driver", "Map", m.Va, m.Pa, m.Prot, m.Level));
        foreach (var r in restrictions)
            assembly.Call<object>("X86Driver", "Restrict", r.Va, r.Level, r.Clear, r.Set);
        if (pae)
        {
            // PAE has no pud leaf: the pud is folded into the PDPTE, which cannot map a page.
            Assert.Equal(0, assembly.Call<int>("X86Driver", "Map", 0x4000_0000UL, 0x4000_0000UL, "PAGE_KERNEL", 2));
        }

        foreach (var m in mappings)
        {
            // The restricted table entries above the mapping: a pmd entry covers 2 MiB, a pud entry 1 GiB.
            var restricted = restrictions.Where(r => r.Level == 2 ? (r.Va >> 30) == (m.Va >> 30) : (r.Va >> 21) == (m.Va >> 21)).ToList();
            var (_, write, user, nx) = Prots[m.Prot];
            write &= !restricted.Any(r => (r.Clear & 0x2) != 0);
            user &= !restricted.Any(r => (r.Clear & 0x4) != 0);
            nx |= restricted.Any(r => (r.Set & NX) != 0);
            foreach (var offset in new[] { 0UL, 0x123UL, m.Size - 1 })
            {
                var t = pae ? Mmu.WalkPae(cr3, m.Va + offset) : Mmu.Walk4(cr3, m.Va + offset);
                Assert.True(t is not null, $"0x{m.Va + offset:x} ({m.Prot}) does not translate");
                Assert.Equal(m.Pa + offset, t!.Pa);
                Assert.Equal((write, user, nx), (t.Write, t.User, t.Nx));
                Assert.Equal(m.Size, 1UL << t.PageShift);

                // The leaf entry is the frame with the kernel's protection, _PAGE_PSE added by pmd_set_huge where it maps 2 MiB or 1 GiB.
                Assert.Equal(m.Pa | Prots[m.Prot].Value | (m.Level < 4 ? 0x80UL : 0), t.Leaf);

                // Table entries: _PAGE_TABLE (0x67) everywhere but in a PAE PDPTE, which holds only _PAGE_PRESENT (pgalloc.h,
                // PAE pud_populate) — the MMU model faults on the reserved R/W and U/S bits there — as changed by Restrict.
                foreach (var (step, entry) in t.Tables)
                {
                    // The walk's step as Linux's level: 4-level PML4E, PDPTE, PDE are pgd, pud, pmd (p4d folded); PAE's PDPTE
                    // is the pud folded into the pgd, its PDE the pmd.
                    var level = pae ? step + 2 : step == 0 ? 0 : step + 1;
                    var expected = pae && step == 0 ? 0x1UL : 0x67UL;
                    foreach (var r in restricted.Where(r => r.Level == level))
                        expected = (expected & ~r.Clear) | r.Set;
                    Assert.Equal(expected, entry & ~Mmu.AddressMask);
                }
            }
        }

        Assert.Null(Mmu.Walk(pae, cr3, 0x0030_0000)); // below the first mapping, in a present pmd table
        Assert.Null(Mmu.Walk(pae, cr3, 0x0040_0000 + ((ulong)small.Length << 12)));
        Assert.Null(Mmu.Walk(pae, cr3, pae ? 0x4000_0000UL : 0x1_0000_0000UL));
    }

    /// <summary>A translation: the physical address, the effective permissions, the page size and the entries read.</summary>
    private sealed record Translation(ulong Pa, bool Write, bool User, bool Nx, int PageShift, ulong Leaf, List<(int Level, ulong Entry)> Tables);

    /// <summary>
    /// The MMU, from the Intel SDM vol. 3A chapter 4: an entry with P (bit 0) clear ends the walk without a translation;
    /// R/W (bit 1) and U/S (bit 2) of every entry are ANDed, XD (bit 63) ORed (4.6, with CR0.WP = 1 and EFER.NXE = 1); PS
    /// (bit 7) in a PDPTE (4-level only) or a PDE maps a 1 GiB or 2 MiB page, whose address bits below its size are
    /// reserved (must be 0) but for PAT at bit 12. The address field is bits 51:12 (MAXPHYADDR 52).
    /// </summary>
    private static class Mmu
    {
        public const ulong AddressMask = 0x000f_ffff_ffff_f000;

        public static Translation? Walk(bool pae, ulong cr3, ulong va) => pae ? WalkPae(cr3, va) : Walk4(cr3, va);

        /// <summary>4-level paging (4.5): PML4E, PDPTE, PDE, PTE at bits 47:39, 38:30, 29:21, 20:12.</summary>
        public static Translation? Walk4(ulong cr3, ulong va) => Walk(cr3 & AddressMask, va, [39, 30, 21, 12], first: 0, []);

        /// <summary>
        /// PAE paging (4.4): CR3 holds the 32-byte-aligned PDPT of 4 PDPTEs (bits 31:30); a present PDPTE has bits 2:1, 8:5 and
        /// 63:MAXPHYADDR reserved, and takes no part in the access rights; then PDE and PTE at bits 29:21 and 20:12.
        /// </summary>
        public static Translation? WalkPae(ulong cr3, ulong va)
        {
            var pdpte = Read((cr3 & 0xffff_ffe0) + 8 * ((va >> 30) & 3));
            if ((pdpte & 1) == 0)
                return null;
            Assert.True((pdpte & 0x1e6) == 0 && (pdpte >> 52) == 0, $"PDPTE 0x{pdpte:x} sets reserved bits: a #GP on loading CR3");
            return Walk(pdpte & AddressMask, va, [30, 21, 12], first: 1, [(0, pdpte)]);
        }

        private static Translation? Walk(ulong table, ulong va, int[] shifts, int first, List<(int Level, ulong Entry)> tables)
        {
            bool write = true, user = true, nx = false;
            for (var i = first; i < shifts.Length; i++)
            {
                var entry = Read(table + 8 * ((va >> shifts[i]) & 511));
                if ((entry & 1) == 0)
                    return null;
                write &= (entry & 2) != 0;
                user &= (entry & 4) != 0;
                nx |= (entry >> 63) != 0;
                var leaf = i == shifts.Length - 1 || (i > 0 && (entry & 0x80) != 0);
                if (leaf)
                {
                    var size = 1UL << shifts[i];
                    if (size > 4096)
                        Assert.True((entry & AddressMask & (size - 1) & ~0x1000UL) == 0, $"a {size >> 20} MiB page entry 0x{entry:x} sets reserved address bits");
                    var pa = (entry & AddressMask & ~(size - 1)) | (va & (size - 1));
                    return new Translation(pa, write, user, nx, shifts[i], entry, tables);
                }

                tables.Add((i, entry));
                table = entry & AddressMask;
            }

            return null;
        }

        private static ulong Read(ulong pa) => *(ulong*)DirectMap.__va(pa);
    }
}
