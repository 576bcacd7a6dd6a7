using System.Linq;
using HandleGen.Runtime;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Runtime;

/// <summary>
/// The generated entry helpers and walkers on real memory, in both forms: a driver builds the tables for
/// one address with populate and the offsets, and the test checks every entry's place and raw value
/// against the kernel's definitions, written out here by hand for each arch (not read from levels.json).
/// </summary>
[Collection(PhysicalMemoryCollection.Name)]
public sealed unsafe class WalkerTests
{
    private const string Driver = """
        using HandleGen.Runtime;
        using PageTables;
        using static PageTables.Pgtable;

        public static unsafe class WalkDriver
        {
            public static ulong[] Map(PageTableAllocator a, ulong va, ulong pa, ulong flags)
            {
                var root = __hw_pgdp((pgd_t*)a.Alloc(PageTableLevel.Pgd, PTRS_PER_PGD * sizeof(pgd_t)));
                var pgdp = pgd_offset_pgd(root, va);
                if (pgd_none(pgdp_get(pgdp)))
                    pgd_populate(pgdp, __hw_p4dp((p4d_t*)a.Alloc(PageTableLevel.P4d, PTRS_PER_P4D * sizeof(p4d_t))));
                var p4dp = p4d_offset(pgdp, va);
                if (p4d_none(p4dp_get(p4dp)))
                    p4d_populate(p4dp, __hw_pudp((pud_t*)a.Alloc(PageTableLevel.Pud, PTRS_PER_PUD * sizeof(pud_t))));
                var pudp = pud_offset(p4dp, va);
                if (pud_none(pudp_get(pudp)))
                    pud_populate(pudp, __hw_pmdp((pmd_t*)a.Alloc(PageTableLevel.Pmd, PTRS_PER_PMD * sizeof(pmd_t))));
                var pmdp = pmd_offset(pudp, va);
                if (pmd_none(pmdp_get(pmdp)))
                    pmd_populate(pmdp, __hw_ptep((pte_t*)a.Alloc(PageTableLevel.Pte, PTRS_PER_PTE * sizeof(pte_t))));
                var ptep = pte_offset_kernel(pmdp, va);
                var wasNone = pte_none(ptep_get(ptep)) && !pte_present(ptep_get(ptep));
                set_pte(ptep, pte_set_flags(pfn_pte(pa >> PAGE_SHIFT, __pgprot(0)), flags));
                var pte = ptep_get_once(ptep);
                var raw = pte_val(pte);
                var old = ptep_get_and_clear(ptep);
                return
                [
                    DirectMap.__pa(__hw_pgdp_ptr(root)),
                    DirectMap.__pa(__hw_pgdp_ptr(pgdp)), DirectMap.__pa(__hw_p4dp_ptr(p4dp)), DirectMap.__pa(__hw_pudp_ptr(pudp)),
                    DirectMap.__pa(__hw_pmdp_ptr(pmdp)), DirectMap.__pa(__hw_ptep_ptr(ptep)),
                    raw, pte_pfn(pte), pte_flags(pte), pte_present(pte) ? 1UL : 0UL, wasNone ? 1UL : 0UL,
                    pte_val(old), pte_val(ptep_get(ptep)), pmd_present(pmdp_get(pmdp)) ? 1UL : 0UL,
                ];
            }
        }
        """;

    /// <summary>
    /// An arch as the kernel defines it: entry size, PFN field, (shift, index bits) per level (0 bits = folded), and the
    /// flags populate stores in an entry that points to a table of the level, per level (pgd unused).
    /// </summary>
    public sealed record Kernel(int EntryBytes, int PfnShift, ulong PfnMask, (int Shift, int Bits)[] Levels, ulong[] TableFlags)
    {
        public Kernel(int entryBytes, int pfnShift, ulong pfnMask, ulong tableFlags, (int Shift, int Bits)[] levels)
            : this(entryBytes, pfnShift, pfnMask, levels, [0, tableFlags, tableFlags, tableFlags, tableFlags])
        {
        }
    }

    public static readonly TheoryData<string, string, ulong> Cases = Build();

    private static readonly System.Collections.Generic.Dictionary<string, Kernel> Kernels = new()
    {
        // arch/x86/include/asm/pgtable_64_types.h, 4 levels: PGDIR_SHIFT 39, PUD_SHIFT 30, PMD_SHIFT 21; arch/x86/include/asm/pgalloc.h:
        // every populate stores _PAGE_TABLE, pgtable_types.h "#define _PAGE_TABLE (__PP|__RW|_USR|___A|   0|___D|   0|   0| _ENC)" = 0x67.
        ["x86_64"] = new(8, 12, 0x000f_ffff_ffff_f000, 0x67, [(39, 9), (39, 0), (30, 9), (21, 9), (12, 9)]),
        // 5 levels (LA57): PGDIR_SHIFT 48, P4D_SHIFT 39.
        ["x86_64_la57"] = new(8, 12, 0x000f_ffff_ffff_f000, 0x67, [(48, 9), (39, 9), (30, 9), (21, 9), (12, 9)]),
        // arch/x86/include/asm/pgtable-2level_types.h: PGDIR_SHIFT 22, 1024 entries, 32-bit entries.
        ["i386"] = new(4, 12, 0xffff_f000, 0x67, [(22, 10), (22, 0), (22, 0), (22, 0), (12, 10)]),
        // arch/x86/include/asm/pgtable-3level_types.h (PAE): PGDIR_SHIFT 30, PTRS_PER_PGD 4, PMD_SHIFT 21, 64-bit entries;
        // page_32_types.h __PHYSICAL_MASK_SHIFT 44. pgalloc.h: PAE's pud_populate stores only _PAGE_PRESENT in the PDPTE,
        // pmd_populate _PAGE_TABLE.
        ["i386_pae"] = new(8, 12, 0x0000_0fff_ffff_f000, [(30, 2), (30, 0), (30, 0), (21, 9), (12, 9)], [0, 0, 0, 0x1, 0x67]),
        // arm64, 4K pages, 48-bit VA: as x86_64 with a 36-bit PFN field and table descriptor 0b11.
        ["arm64_4k_48"] = new(8, 12, 0x0000_ffff_ffff_f000, 0x3, [(39, 9), (39, 0), (30, 9), (21, 9), (12, 9)]),
        // arch/riscv: Sv39, PGDIR_SHIFT 30, PMD_SHIFT 21, _PAGE_PFN_SHIFT 10, a table entry is just V.
        // Intel SDM vol. 3C, "EPT Translation Mechanism": 4 levels of 512 8-byte entries (PML4 at bit 39, PDPT 30, PD 21, PT 12),
        // bits 51:12 the address; arch/x86/kvm/mmu: a non-leaf EPT entry is readable, writable and executable (VMX_EPT_RWX_MASK 0x7).
        ["ept"] = new(8, 12, 0x000f_ffff_ffff_f000, 0x7, [(39, 9), (39, 0), (30, 9), (21, 9), (12, 9)]),
        // arm64 stage 2, 4K granule, 48-bit IPA from level 0: the stage-1 geometry; kvm_pgtable.h KVM_PTE_VALID | KVM_PTE_TYPE_TABLE = 0x3.
        ["arm64_s2_4k"] = new(8, 12, 0x0000_ffff_ffff_f000, 0x3, [(39, 9), (39, 0), (30, 9), (21, 9), (12, 9)]),
        ["riscv_sv39"] = new(8, 10, 0x003f_ffff_ffff_fc00, 0x1, [(30, 9), (30, 0), (30, 0), (21, 9), (12, 9)]),
        // Sv48: PGDIR_SHIFT 39, PUD_SHIFT 30; Sv57: PGDIR_SHIFT 48, P4D_SHIFT 39 (arch/riscv/include/asm/pgtable-64.h).
        ["riscv_sv48"] = new(8, 10, 0x003f_ffff_ffff_fc00, 0x1, [(39, 9), (39, 0), (30, 9), (21, 9), (12, 9)]),
        ["riscv_sv57"] = new(8, 10, 0x003f_ffff_ffff_fc00, 0x1, [(48, 9), (39, 9), (30, 9), (21, 9), (12, 9)]),
    };

    private static TheoryData<string, string, ulong> Build()
    {
        var data = new TheoryData<string, string, ulong>();
        foreach (var form in new[] { "alias", "strong" })
        {
            data.Add("x86_64", form, 0x0000_7f12_3456_7000);
            data.Add("x86_64", form, 0x0000_ffff_ffff_f000);
            data.Add("x86_64_la57", form, 0x01f3_7f12_3456_7000);
            data.Add("i386", form, 0x1234_5000);
            data.Add("i386", form, 0xffff_f000);
            data.Add("i386_pae", form, 0xc123_4000);
            data.Add("i386_pae", form, 0x0000_0000);
            data.Add("arm64_4k_48", form, 0x0000_5555_aaaa_b000);
            data.Add("ept", form, 0x0000_7f12_3456_7000);
            data.Add("arm64_s2_4k", form, 0x0000_5555_aaaa_b000);
            data.Add("riscv_sv39", form, 0x0000_0047_1234_5000);
            data.Add("riscv_sv39", form, 0x0000_007f_ffff_f000);
            data.Add("riscv_sv48", form, 0x0000_8f12_3456_7000);
            data.Add("riscv_sv57", form, 0x01f3_7f12_3456_7000);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Populate_and_offsets_place_every_entry_where_the_kernel_does(string arch, string form, ulong va)
    {
        var k = Kernels[arch];
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arch, form), [SpecFacts.Of(arch).InArchNamespace(Driver)]);
        // The driver is test code: no XML comments.
        Assert.Empty(run.CompileDiagnostics.Where(d => d.Id != "CS1591").Select(d => d.ToString()));
        var assembly = CompiledAssembly.Load(run.Output);

        using var memory = new PhysicalMemory(64 * 4096);
        var allocator = new PageTableAllocator(memory);
        const ulong pa = 0x8765_4000;
        var flags = k.TableFlags[4] | 0x4;
        var r = assembly.Call<ulong[]>("WalkDriver", "Map", allocator, va, pa, flags);

        // Each level's entry: in the table the entry above points to (read back raw), at index (va >> shift) & (2^bits - 1);
        // a folded level's entry is its parent's.
        var entry = r[0] + (ulong)k.EntryBytes * ((va >> k.Levels[0].Shift) & ((1UL << k.Levels[0].Bits) - 1));
        Assert.Equal(entry, r[1]);
        for (var level = 1; level < 5; level++)
        {
            var (shift, bits) = k.Levels[level];
            if (bits > 0)
            {
                var raw = Read(entry, k.EntryBytes);
                Assert.Equal(k.TableFlags[level], raw & ~k.PfnMask);
                var table = ((raw & k.PfnMask) >> k.PfnShift) << 12;
                entry = table + (ulong)k.EntryBytes * ((va >> shift) & ((1UL << bits) - 1));
            }

            Assert.Equal(entry, r[1 + level]);
        }

        var expected = ((pa >> 12) << k.PfnShift) | flags;
        Assert.Equal(expected, r[6]);
        Assert.Equal(pa >> 12, r[7]);
        Assert.Equal(flags, r[8]);
        Assert.Equal(1UL, r[9]);
        Assert.Equal(1UL, r[10]);
        Assert.Equal(expected, r[11]); // get_and_clear returned the old value…
        Assert.Equal(0UL, r[12]); // …and left the entry empty
        Assert.Equal(0UL, Read(entry, k.EntryBytes));
        Assert.Equal(1UL, r[13]);

        var real = k.Levels.Select(l => l.Bits > 0 ? 1 : 0).ToArray();
        for (var level = 0; level < 5; level++)
            Assert.Equal(real[level], allocator.Live((PageTableLevel)level));
    }

    private static ulong Read(ulong pa, int bytes) => bytes == 8 ? *(ulong*)DirectMap.__va(pa) : *(uint*)DirectMap.__va(pa);
}
