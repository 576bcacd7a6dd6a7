using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using HandleGen.Common;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Core;

/// <summary>
/// Every shipped entry format against the kernel headers: the named bits, the table flags and every named
/// protection, with the values typed in here from the headers (the header and the defining line in a comment),
/// never computed from levels.json or the generator.
/// </summary>
public sealed class EntryFormatTests
{
    internal const ulong NX = 1UL << 63;

    // arch/x86/include/asm/pgtable_types.h: _PAGE_BIT_PRESENT 0, _PAGE_BIT_RW 1, _PAGE_BIT_USER 2, _PAGE_BIT_PWT 3,
    // _PAGE_BIT_PCD 4, _PAGE_BIT_ACCESSED 5, _PAGE_BIT_DIRTY 6, _PAGE_BIT_PSE 7, _PAGE_BIT_GLOBAL 8, _PAGE_BIT_NX 63
    // ("#if defined(CONFIG_X86_64) || defined(CONFIG_X86_PAE)"; without PAE "#define _PAGE_NX (_AT(pteval_t, 0))").
    private static readonly Dictionary<string, ulong> X86Bits = new()
    {
        ["PRESENT"] = 0x1, ["RW"] = 0x2, ["USER"] = 0x4, ["PWT"] = 0x8, ["PCD"] = 0x10, ["ACCESSED"] = 0x20, ["DIRTY"] = 0x40,
        ["PSE"] = 0x80, ["GLOBAL"] = 0x100, ["NX"] = NX,
    };

    // The same header, with NX as its value on the arch (0 on i386 without PAE):
    // "#define PAGE_NONE          __pg(   0|   0|   0|___A|   0|   0|   0|___G)"
    // "#define PAGE_SHARED        __pg(__PP|__RW|_USR|___A|__NX|   0|   0|   0)"
    // "#define PAGE_SHARED_EXEC   __pg(__PP|__RW|_USR|___A|   0|   0|   0|   0)"
    // "#define PAGE_READONLY      __pg(__PP|   0|_USR|___A|__NX|   0|   0|   0)"
    // "#define PAGE_READONLY_EXEC __pg(__PP|   0|_USR|___A|   0|   0|   0|   0)"
    // "#define __PAGE_KERNEL       (__PP|__RW|   0|___A|__NX|___D|   0|___G)"
    // "#define __PAGE_KERNEL_RO    (__PP|   0|   0|___A|__NX|   0|   0|___G)"
    // "#define __PAGE_KERNEL_EXEC  (__PP|__RW|   0|___A|   0|___D|   0|___G)"
    // "#define __PAGE_KERNEL_LARGE (__PP|__RW|   0|___A|__NX|___D|_PSE|___G)"
    // (PAGE_KERNEL* = __pgprot_mask(__PAGE_KERNEL* | _ENC), with no memory encryption and the default pte mask.)
    private static Dictionary<string, ulong> X86Protections(ulong nx) => new()
    {
        ["PAGE_NONE"] = 0x120, ["PAGE_SHARED"] = 0x27 | nx, ["PAGE_SHARED_EXEC"] = 0x27, ["PAGE_READONLY"] = 0x25 | nx,
        ["PAGE_READONLY_EXEC"] = 0x25, ["PAGE_KERNEL"] = 0x163 | nx, ["PAGE_KERNEL_RO"] = 0x121 | nx, ["PAGE_KERNEL_EXEC"] = 0x163,
        ["PAGE_KERNEL_LARGE"] = 0x1e3 | nx,
    };

    // arch/arm64/include/asm/pgtable-hwdef.h: PTE_VALID (1 << 0), PTE_TABLE_BIT (1 << 1), PTE_TYPE_MASK (3 << 0),
    // PTE_USER (1 << 6) /* AP[1] */, PTE_RDONLY (1 << 7) /* AP[2] */, PTE_SHARED (3 << 8) /* SH[1:0] */, PTE_AF (1 << 10),
    // PTE_NG (1 << 11), PTE_DBM (1 << 51), PTE_CONT (1 << 52), PTE_PXN (1 << 53), PTE_UXN (1 << 54);
    // pgtable-prot.h (v6.12): "#define PTE_WRITE (PTE_DBM)", PTE_DIRTY (1 << 55),
    // "#define PTE_PRESENT_INVALID (PTE_NG) /* only when !PTE_VALID */" (v6.10 removed PTE_PROT_NONE, 1 << 58).
    private static readonly Dictionary<string, ulong> Arm64Bits = new()
    {
        ["TYPE"] = 0x3, ["VALID"] = 0x1, ["TABLE_BIT"] = 0x2, ["USER"] = 0x40, ["RDONLY"] = 0x80, ["SHARED"] = 0x300, ["AF"] = 0x400,
        ["NG"] = 0x800, ["WRITE"] = 1UL << 51, ["DBM"] = 1UL << 51, ["CONT"] = 1UL << 52, ["PXN"] = 1UL << 53, ["UXN"] = 1UL << 54,
        ["DIRTY"] = 1UL << 55, ["PRESENT_INVALID"] = 0x800,
    };

    // arch/arm64/include/asm/pgtable-prot.h with PTE_MAYBE_NG = 0 (arm64_use_ng_mappings false), PTE_MAYBE_SHARED =
    // PTE_SHARED (no LPA2) and MT_NORMAL = 0:
    // "#define PROT_DEFAULT (PTE_TYPE_PAGE | PTE_MAYBE_NG | PTE_MAYBE_SHARED | PTE_AF)" = 0x703
    // "#define PROT_NORMAL (PROT_DEFAULT | PTE_PXN | PTE_UXN | PTE_WRITE | PTE_ATTRINDX(MT_NORMAL))" = 0x0068000000000703
    // "#define _PAGE_KERNEL_RO ((PROT_NORMAL & ~PTE_WRITE) | PTE_RDONLY)", "#define _PAGE_KERNEL_EXEC (PROT_NORMAL & ~PTE_PXN)"
    // "#define _PAGE_DEFAULT (_PROT_DEFAULT | PTE_ATTRINDX(MT_NORMAL))" = 0x703
    // "#define _PAGE_SHARED (_PAGE_DEFAULT | PTE_USER | PTE_RDONLY | PTE_NG | PTE_PXN | PTE_UXN | PTE_WRITE)"
    // "#define _PAGE_SHARED_EXEC (_PAGE_DEFAULT | PTE_USER | PTE_RDONLY | PTE_NG | PTE_PXN | PTE_WRITE)"
    // "#define _PAGE_READONLY (_PAGE_DEFAULT | PTE_USER | PTE_RDONLY | PTE_NG | PTE_PXN | PTE_UXN)"
    // "#define _PAGE_READONLY_EXEC (_PAGE_DEFAULT | PTE_USER | PTE_RDONLY | PTE_NG | PTE_PXN)"
    // "#define PAGE_NONE __pgprot(((_PAGE_DEFAULT) & ~PTE_VALID) | PTE_PRESENT_INVALID | PTE_RDONLY | PTE_NG | PTE_PXN | PTE_UXN)"
    // (v6.10 on; before, PTE_PROT_NONE, bit 58, stood where PTE_PRESENT_INVALID does: 0x0460_0000_0000_0f82)
    private static readonly Dictionary<string, ulong> Arm64Protections = new()
    {
        ["PAGE_NONE"] = 0x0060_0000_0000_0f82, ["PAGE_SHARED"] = 0x0068_0000_0000_0fc3, ["PAGE_SHARED_EXEC"] = 0x0028_0000_0000_0fc3,
        ["PAGE_READONLY"] = 0x0060_0000_0000_0fc3, ["PAGE_READONLY_EXEC"] = 0x0020_0000_0000_0fc3, ["PAGE_KERNEL"] = 0x0068_0000_0000_0703,
        ["PAGE_KERNEL_RO"] = 0x0060_0000_0000_0783, ["PAGE_KERNEL_EXEC"] = 0x0048_0000_0000_0703,
    };

    // arch/riscv/include/asm/pgtable-bits.h: _PAGE_PRESENT (1 << 0), _PAGE_READ (1 << 1), _PAGE_WRITE (1 << 2),
    // _PAGE_EXEC (1 << 3), _PAGE_USER (1 << 4), _PAGE_GLOBAL (1 << 5), _PAGE_ACCESSED (1 << 6), _PAGE_DIRTY (1 << 7).
    private static readonly Dictionary<string, ulong> RiscvBits = new()
    {
        ["PRESENT"] = 0x1, ["READ"] = 0x2, ["WRITE"] = 0x4, ["EXEC"] = 0x8, ["USER"] = 0x10, ["GLOBAL"] = 0x20, ["ACCESSED"] = 0x40, ["DIRTY"] = 0x80,
    };

    // arch/riscv/include/asm/pgtable.h: "#define _PAGE_BASE (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_USER)" = 0x51;
    // "#define PAGE_NONE __pgprot(_PAGE_PROT_NONE | _PAGE_READ)" with pgtable-bits.h "#define _PAGE_PROT_NONE _PAGE_GLOBAL";
    // "#define PAGE_SHARED PAGE_WRITE" (_PAGE_BASE | _PAGE_READ | _PAGE_WRITE), "#define PAGE_SHARED_EXEC PAGE_WRITE_EXEC";
    // PAGE_READONLY and PAGE_READONLY_EXEC are riscv's PAGE_READ and PAGE_READ_EXEC; "#define _PAGE_KERNEL (_PAGE_READ |
    // _PAGE_WRITE | _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)" = 0xe7; PAGE_KERNEL_RO is riscv's
    // "#define PAGE_KERNEL_READ __pgprot(_PAGE_KERNEL & ~_PAGE_WRITE)"; "#define PAGE_KERNEL_EXEC __pgprot(_PAGE_KERNEL | _PAGE_EXEC)".
    private static readonly Dictionary<string, ulong> RiscvProtections = new()
    {
        ["PAGE_NONE"] = 0x22, ["PAGE_SHARED"] = 0x57, ["PAGE_SHARED_EXEC"] = 0x5f, ["PAGE_READONLY"] = 0x53, ["PAGE_READONLY_EXEC"] = 0x5b,
        ["PAGE_KERNEL"] = 0xe7, ["PAGE_KERNEL_RO"] = 0xe3, ["PAGE_KERNEL_EXEC"] = 0xef,
    };

    // arch/x86/include/asm/vmx.h: VMX_EPT_READABLE_MASK 0x1ull, VMX_EPT_WRITABLE_MASK 0x2ull, VMX_EPT_EXECUTABLE_MASK 0x4ull,
    // VMX_EPT_MT_EPTE_SHIFT 3 (the memory type, bits 5:3), VMX_EPT_IPAT_BIT (1ull << 6), VMX_EPT_ACCESS_BIT (1ull << 8),
    // VMX_EPT_DIRTY_BIT (1ull << 9), VMX_EPT_USER_EXECUTABLE_MASK (1ull << 10), VMX_EPT_SUPPRESS_VE_BIT (1ull << 63);
    // Intel SDM vol. 3C, tables "Format of an EPT PDPTE/PDE that maps a 1-GByte/2-MByte page": bit 7 must be 1 (page size).
    private static readonly Dictionary<string, ulong> EptBits = new()
    {
        ["READABLE"] = 0x1, ["WRITABLE"] = 0x2, ["EXECUTABLE"] = 0x4, ["MT"] = 0x38, ["IPAT"] = 0x40, ["PS"] = 0x80,
        ["ACCESSED"] = 0x100, ["DIRTY"] = 0x200, ["USER_EXECUTABLE"] = 0x400, ["SUPPRESS_VE"] = 1UL << 63,
    };

    // Hand computed from the bits above and the SDM's memory types (MTRR type 6, write-back, "MEMORY_TYPE_WB" in
    // arch/x86/include/asm/mtrr.h, shifted by VMX_EPT_MT_EPTE_SHIFT = 0x30): a RAM mapping as KVM makes one, with
    // accessed and dirty preset: R|W|WB|A|D = 0x333, read-only R|WB|A = 0x131, executable R|W|X|WB|A|D = 0x337.
    private static readonly Dictionary<string, ulong> EptProtections = new()
    {
        ["PAGE_KERNEL"] = 0x333, ["PAGE_KERNEL_RO"] = 0x131, ["PAGE_KERNEL_EXEC"] = 0x337,
    };

    // arch/arm64/include/asm/kvm_pgtable.h: KVM_PTE_VALID BIT(0), KVM_PTE_TYPE BIT(1), KVM_PTE_LEAF_ATTR_LO_S2_MEMATTR
    // GENMASK(5, 2), KVM_PTE_LEAF_ATTR_LO_S2_S2AP_R BIT(6), KVM_PTE_LEAF_ATTR_LO_S2_S2AP_W BIT(7), KVM_PTE_LEAF_ATTR_LO_S2_SH
    // GENMASK(9, 8), KVM_PTE_LEAF_ATTR_LO_S2_AF BIT(10), KVM_PTE_LEAF_ATTR_HI_S2_XN BIT(54); pgtable-hwdef.h PTE_CONT (1 << 52).
    private static readonly Dictionary<string, ulong> Stage2Bits = new()
    {
        ["TYPE"] = 0x3, ["VALID"] = 0x1, ["TABLE_BIT"] = 0x2, ["MEMATTR"] = 0x3c, ["S2AP_R"] = 0x40, ["S2AP_W"] = 0x80, ["SH"] = 0x300,
        ["AF"] = 0x400, ["CONT"] = 1UL << 52, ["XN"] = 1UL << 54,
    };

    // pgtable-hwdef.h: PTE_S2_RDONLY (1 << 6), PTE_S2_RDWR (3 << 6), PTE_S2_XN (2 << 53), PTE_S2_MEMATTR(t) ((t) << 2) with
    // memory.h MT_S2_NORMAL 0xf; kvm_pgtable.h KVM_PTE_LEAF_ATTR_LO_S2_SH_IS 3: a page (0b11) of normal memory, inner
    // shareable, accessed: RW no exec = 0x3 | 0x3c | 0xc0 | 0x300 | 0x400 | XN = 0x0040_0000_0000_07ff; RO 0x0040_0000_0000_077f.
    private static readonly Dictionary<string, ulong> Stage2Protections = new()
    {
        ["PAGE_KERNEL"] = 0x0040_0000_0000_07ff, ["PAGE_KERNEL_RO"] = 0x0040_0000_0000_077f, ["PAGE_KERNEL_EXEC"] = 0x7ff,
    };

    /// <summary>Per arch: named bits, protections, _PAGE_TABLE, _KERNPG_TABLE (null where the arch has none), leaf levels.</summary>
    internal static readonly Dictionary<string, (Dictionary<string, ulong> Bits, Dictionary<string, ulong> Protections, ulong Table, ulong? KernTable, string[] Leaves)> Formats = new()
    {
        // x86: pgtable_types.h "#define _PAGE_TABLE (__PP|__RW|_USR|___A|   0|___D|   0|   0| _ENC)" = 0x67 and
        // "#define _KERNPG_TABLE (__PP|__RW|   0|___A|   0|___D|   0|   0| _ENC)" = 0x63; pmd_leaf/pud_leaf test _PAGE_PSE
        // (pgtable.h); 1 GiB pages at pud on x86_64, 2 MiB at pmd; PAE: 2 MiB at pmd; i386: 4 MiB at the (folded) pmd.
        ["x86_64"] = (X86Bits, X86Protections(NX), 0x67, 0x63, ["pud", "pmd"]),
        ["x86_64_la57"] = (X86Bits, X86Protections(NX), 0x67, 0x63, ["pud", "pmd"]),
        ["i386_pae"] = (X86Bits, X86Protections(NX), 0x67, 0x63, ["pmd"]),
        ["i386"] = (X86Bits.Where(b => b.Key != "NX").ToDictionary(), X86Protections(0), 0x67, 0x63, ["pmd"]),
        // arm64: pgtable-hwdef.h "#define PMD_TYPE_TABLE (_AT(pmdval_t, 3) << 0)"; blocks (PMD_TYPE_SECT, 1) at pud and pmd.
        ["arm64_4k_48"] = (Arm64Bits, Arm64Protections, 0x3, null, ["pud", "pmd"]),
        // EPT: a non-leaf entry as KVM makes one is R|W|X (arch/x86/kvm/mmu/spte.h make_nonleaf_spte with VMX_EPT_RWX_MASK);
        // the SDM's page-size bit 7 at PDPTEs (1 GiB) and PDEs (2 MiB).
        ["ept"] = (EptBits, EptProtections, 0x7, null, ["pud", "pmd"]),
        // Stage 2: kvm_pgtable.h KVM_PTE_VALID | KVM_PTE_TYPE_TABLE = 0x3; blocks (KVM_PTE_TYPE_BLOCK) at levels 1 and 2.
        ["arm64_s2_4k"] = (Stage2Bits, Stage2Protections, 0x3, null, ["pud", "pmd"]),
        // riscv: pgtable-bits.h "#define _PAGE_TABLE _PAGE_PRESENT"; leaves at pud and pmd (pud_leaf, pmd_leaf in pgtable.h).
        ["riscv_sv39"] = (RiscvBits, RiscvProtections, 0x1, null, ["pud", "pmd"]),
        ["riscv_sv48"] = (RiscvBits, RiscvProtections, 0x1, null, ["pud", "pmd"]),
        ["riscv_sv57"] = (RiscvBits, RiscvProtections, 0x1, null, ["pud", "pmd"]),
    };

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Named_bits_are_the_kernels(string arch, string form)
    {
        var api = Api.Of(arch, form);
        var expected = Formats[arch].Bits;

        foreach (var (name, mask) in expected)
            Assert.True(mask == api.Constant("_PAGE_" + name), $"{arch} _PAGE_{name}: expected 0x{mask:x}, found 0x{api.Constant("_PAGE_" + name):x}");
        var generated = api.Type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.StartsWith("_PAGE_", StringComparison.Ordinal) && f.Name != "_PAGE_TABLE").Select(f => f.Name[6..]);
        Assert.Equal(expected.Keys.Order(), generated.Order());
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Table_flags_are_the_kernels(string arch, string form)
    {
        var api = Api.Of(arch, form);
        var (_, _, table, kernTable, _) = Formats[arch];

        Assert.Equal(table, api.Constant("_PAGE_TABLE"));
        if (kernTable is { } kern)
            Assert.Equal(kern, api.Constant("_KERNPG_TABLE"));
        else
            Assert.Null(api.Type.GetField("_KERNPG_TABLE"));
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Every_named_protection_is_the_kernels(string arch, string form)
    {
        var api = Api.Of(arch, form);
        var expected = Formats[arch].Protections;

        foreach (var (name, value) in expected)
            Assert.True(value == api.Protection(name), $"{arch} {name}: expected 0x{value:x}, found 0x{api.Protection(name):x}");
        var generated = api.Type.GetProperties(BindingFlags.Public | BindingFlags.Static).Where(p => p.PropertyType.Name == "pgprot_t").Select(p => p.Name);
        Assert.Equal(expected.Keys.Order(), generated.Order());
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Leaves_round_trip_at_the_leaf_levels_and_nowhere_else(string arch, string form)
    {
        var api = Api.Of(arch, form);
        var facts = SpecFacts.Of(arch);
        var (_, protections, table, _, leaves) = Formats[arch];
        for (var level = 0; level < 4; level++)
        {
            var name = GeneratedApiNames.Levels[level];
            var pfn = 3UL << (facts.Shift(level) - facts.PageShift); // a frame aligned to the level's size
            if (!leaves.Contains(name))
            {
                Assert.False(api.Is(name + "_leaf", api.Entry(name, (pfn << facts.PfnShift) | protections["PAGE_KERNEL"])));
                Assert.Null(api.Type.GetMethod(name + "_mkhuge"));
                continue;
            }

            // pfn_L(pfn, prot) then L_mkhuge is a leaf with that pfn; the table entry populate makes is not a leaf.
            var leaf = api.Call(name + "_mkhuge", api.Call("pfn_" + name, pfn, api.Prot(protections["PAGE_KERNEL"])));
            Assert.True(api.Is(name + "_leaf", leaf), $"{arch} {name}_mkhuge(pfn_{name}(…, PAGE_KERNEL)) is not a leaf");
            Assert.Equal(pfn, api.Value(api.Call(name + "_pfn", leaf)));
            Assert.False(api.Is(name + "_leaf", api.Call("pfn_" + name, 5UL, api.Prot(table))));
            if (protections.TryGetValue("PAGE_KERNEL_LARGE", out var large))
            {
                // x86: pfn_pmd(pfn, PAGE_KERNEL_LARGE) is already a leaf, the same entry.
                var direct = api.Call("pfn_" + name, pfn, api.Prot(large));
                Assert.True(api.Is(name + "_leaf", direct));
                Assert.Equal(api.Value(leaf), api.Value(direct));
            }
        }
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void A_leaf_frame_number_ignores_the_flag_bits_below_its_size(string arch, string form)
    {
        var api = Api.Of(arch, form);
        var facts = SpecFacts.Of(arch);
        var (_, protections, _, _, leaves) = Formats[arch];
        var pmdShift = facts.Shift(3);
        var pfn = 1UL << (pmdShift - facts.PageShift);

        // Bit 0 of the PFN field of a 2 MiB/4 MiB leaf lies below the leaf's size: x86 puts _PAGE_PAT_LARGE (bit 12) there,
        // and Linux's pmd_pfn masks it off (pmd_pfn_mask: PHYSICAL_PMD_PAGE_MASK for a leaf).
        Assert.Contains("pmd", leaves);
        var leaf = api.Call("pmd_mkhuge", api.Entry("pmd", (pfn << facts.PfnShift) | (1UL << facts.PfnShift) | protections["PAGE_KERNEL"]));
        Assert.Equal(pfn, api.Value(api.Call("pmd_pfn", leaf)));
        Assert.NotEqual(0UL, api.Value(api.Call("pmd_flags", leaf)) & (1UL << facts.PfnShift));
    }

    // The frame field of the x86 formats with 64-bit entries is PTE_PFN_MASK = PHYSICAL_PAGE_MASK (pgtable_types.h:
    // "#define PTE_PFN_MASK ((pteval_t)PHYSICAL_PAGE_MASK)", page_types.h: "#define PHYSICAL_PAGE_MASK
    // (((signed long)PAGE_MASK) & __PHYSICAL_MASK)"), bits 12-51 wherever __PHYSICAL_MASK_SHIFT is 52:
    // x86-64, arch/x86/include/asm/page_64_types.h "#define __PHYSICAL_MASK_SHIFT	52";
    // PAE, arch/x86/include/asm/page_32_types.h "#ifdef CONFIG_X86_PAE" ... "#define __PHYSICAL_MASK_SHIFT	52"
    // ("This is beyond the 44 bit limit imposed by the 32bit long pfns, but we need the full mask to make sure
    // inverted PROT_NONE entries have all the host bits set in a guest. The real limit is still 44 bits.").
    [Theory]
    [InlineData("x86_64", "alias"), InlineData("x86_64", "strong"), InlineData("x86_64_la57", "alias"), InlineData("x86_64_la57", "strong")]
    [InlineData("i386_pae", "alias"), InlineData("i386_pae", "strong")]
    public void The_frame_mask_of_the_64_bit_x86_formats_is_bits_12_to_51(string arch, string form)
    {
        var api = Api.Of(arch, form);

        Assert.Equal(0x000f_ffff_ffff_f000UL, api.Constant("PTE_PFN_MASK"));
        // A table above 2^44 keeps its high bits: pte_pfn of an entry at physical 0x000f_edcb_a987_6000.
        var entry = api.Entry("pte", 0x000f_edcb_a987_6000UL | 0x63);
        Assert.Equal(0xfe_dcba_9876UL, api.Value(api.Call("pte_pfn", entry)));
    }

    /// <summary>The generated Pgtable of one arch and form, called through reflection with raw values.</summary>
    internal sealed class Api(Type type)
    {
        public Type Type => type;

        public static Api Of(string arch, string form) =>
            new(ProbeAssemblies.For(arch, form).GetType(SpecFacts.Of(arch).PgtableType, throwOnError: true)!);

        public ulong Constant(string name) =>
            Convert.ToUInt64(type.GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue()
                ?? throw new MissingFieldException(type.FullName, name));

        public ulong Protection(string name) =>
            Value(Call("pgprot_val", type.GetProperty(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!));

        /// <summary>A pgprot_t of raw bits.</summary>
        public object Prot(ulong bits) => Wrap("__pgprot", bits);

        /// <summary>A level's entry value of raw bits, through __pte, __pmd, ….</summary>
        public object Entry(string level, ulong raw) => Wrap("__" + level, raw);

        public object Call(string name, params object[] args) =>
            (type.GetMethod(name, BindingFlags.Public | BindingFlags.Static) ?? throw new MissingMethodException(type.FullName, name)).Invoke(null, args)!;

        public bool Is(string name, object entry) => (bool)Call(name, entry);

        /// <summary>The raw bits of a result: an entry (through its L_val), a protection, or a number.</summary>
        public ulong Value(object result)
        {
            var name = result.GetType().Name;
            if (name.EndsWith("_t", StringComparison.Ordinal) && name != "pgprot_t")
                return Value(Call(name[..^2] + "_val", result));
            if (name == "pgprot_t")
                return Value(Call("pgprot_val", result));
            return Convert.ToUInt64(result);
        }

        private object Wrap(string maker, ulong raw)
        {
            var method = type.GetMethod(maker, BindingFlags.Public | BindingFlags.Static) ?? throw new MissingMethodException(type.FullName, maker);
            var parameter = method.GetParameters()[0].ParameterType;
            return method.Invoke(null, [parameter == typeof(uint) ? (object)checked((uint)raw) : raw])!;
        }
    }
}
