using System;
using System.Collections.Generic;
using System.Linq;
using HandleGen.Common;
using HandleGen.Tests.Infrastructure;
using static HandleGen.Tests.Core.EntryFormatTests;

namespace HandleGen.Tests.Core;

/// <summary>
/// The role helpers (pte_write, pte_mkclean, pte_modify, …) on real entries, at the pte level and at every leaf level,
/// in both forms. The expected values are computed here from the kernel's bit definitions (typed in by
/// <see cref="EntryFormatTests"/>) and its definitions of each helper, written out per arch family.
/// </summary>
public sealed class RoleHelperTests
{
    /// <summary>Which kernel definitions an arch's helpers follow.</summary>
    private enum Family
    {
        X86,
        Arm64,
        Riscv,
        Ept,
        Stage2,
    }

    private static Family Of(string arch) => arch == "ept" ? Family.Ept : arch == "arm64_s2_4k" ? Family.Stage2
        : arch.StartsWith("arm64", StringComparison.Ordinal) ? Family.Arm64
        : arch.StartsWith("riscv", StringComparison.Ordinal) ? Family.Riscv : Family.X86;

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var arch in GeneratorHarness.ShippedArches())
        {
            foreach (var form in new[] { "alias", "strong" })
            {
                foreach (var level in Formats[arch].Leaves.Append("pte"))
                    data.Add(arch, form, level);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Role_helpers_follow_the_kernels_definitions(string arch, string form, string level)
    {
        var api = Api.Of(arch, form);
        var facts = SpecFacts.Of(arch);
        var (bits, protections, _, _, _) = Formats[arch];
        var kernel = protections["PAGE_KERNEL"];

        // A pte of PAGE_KERNEL, or at a leaf level a leaf of it (L_mkhuge), with a frame aligned to the level's size.
        var index = Array.IndexOf(GeneratedApiNames.Levels, level);
        var pfn = level == "pte" ? 0x1234UL : 3UL << (facts.Shift(index) - facts.PageShift);
        var b = level == "pte"
            ? (pfn << facts.PfnShift) | kernel
            : api.Value(api.Call(level + "_mkhuge", api.Call("pfn_" + level, pfn, api.Prot(kernel))));
        ulong Run(string helper, ulong raw) => api.Value(api.Call(level + "_" + helper, api.Entry(level, raw)));
        bool Test(string helper, ulong raw) => api.Is(level + "_" + helper, api.Entry(level, raw));

        // Every family: young is one bit that the MMU sets (x86 _PAGE_ACCESSED, arm64 PTE_AF, riscv _PAGE_ACCESSED).
        var young = bits.TryGetValue("ACCESSED", out var accessed) ? accessed : bits["AF"];
        Assert.True(Test("young", b));
        Assert.Equal(b & ~young, Run("mkold", b));
        Assert.Equal(b, Run("mkyoung", b & ~young));
        Assert.Equal(b & ~young, api.Value(api.Call(level + "_clear_flags", api.Entry(level, b), young)));
        Assert.Equal(b & ~(pfn << facts.PfnShift), api.Value(api.Call(level + "_pgprot", api.Entry(level, b))));
        if (bits.TryGetValue("USER", out var user))
        {
            Assert.Equal(b | user, api.Value(api.Call(level + "_set_flags", api.Entry(level, b), user)));
            Assert.False(Test("user", b));
            Assert.True(Test("user", (pfn << facts.PfnShift) | protections["PAGE_SHARED"]));
        }
        else
        {
            // The second-stage formats have no user bit (the guest's own tables say who may access): no user helper.
            Assert.Null(api.Type.GetMethod(level + "_user"));
        }

        switch (Of(arch))
        {
            case Family.X86:
                // arch/x86/include/asm/pgtable.h: pte_write = _PAGE_RW, pte_wrprotect clears it, pte_dirty = _PAGE_DIRTY (of
                // _PAGE_DIRTY_BITS), pte_mkclean clears it, pte_exec = !(flags & _PAGE_NX), pte_mkexec clears _PAGE_NX,
                // pte_global = _PAGE_GLOBAL; pte_modify keeps _PAGE_CHG_MASK (the PFN, _PAGE_ACCESSED, _PAGE_DIRTY, …) and
                // takes the rest from the new protection.
                Assert.True(Test("write", b));
                Assert.Equal(b & ~0x2UL, Run("wrprotect", b));
                Assert.Equal(b, Run("mkwrite", b & ~0x2UL));
                Assert.True(Test("dirty", b));
                Assert.False(Test("dirty", b & ~0x40UL));
                Assert.Equal(b & ~0x40UL, Run("mkclean", b));
                Assert.Equal(b, Run("mkdirty", b & ~0x40UL));
                Assert.True(Test("global", b));
                Assert.False(Test("global", b & ~0x100UL));
                if (arch == "i386")
                {
                    // No NX without PAE: Linux's _PAGE_NX is 0 and every page executable; HandleGen generates no exec helpers.
                    Assert.Null(api.Type.GetMethod(level + "_exec"));
                }
                else
                {
                    Assert.False(Test("exec", b));
                    Assert.Equal(b & ~NX, Run("mkexec", b));
                    Assert.True(Test("exec", b & ~NX));
                }

                // Kept from the entry: the PFN, _PAGE_ACCESSED, _PAGE_DIRTY, the cache bits _PAGE_PCD and _PAGE_PWT (all of
                // _PAGE_CHG_MASK in pgtable_types.h) and, at a leaf level, _PAGE_PSE (_HPAGE_CHG_MASK); the rest from the
                // protection. An uncached entry (PCD | PWT) stays uncached.
                var readOnly = protections["PAGE_READONLY"];
                var uncached = b | 0x18;
                Assert.Equal((pfn << 12) | (uncached & 0xf8) | (readOnly & ~0xf8UL), api.Value(api.Call(level + "_modify", api.Entry(level, uncached), api.Prot(readOnly))));
                break;

            case Family.Arm64:
                // arch/arm64/include/asm/pgtable.h: pte_write = PTE_WRITE (DBM); pte_hw_dirty = write && !PTE_RDONLY;
                // pte_sw_dirty = PTE_DIRTY; pte_dirty = sw || hw. pte_wrprotect: if hw dirty set PTE_DIRTY, clear
                // PTE_WRITE, set PTE_RDONLY. pte_mkclean: clear PTE_DIRTY, set PTE_RDONLY. pte_mkdirty: set PTE_DIRTY, and
                // clear PTE_RDONLY if writable. pte_mkwrite_novma: set PTE_WRITE, clear PTE_RDONLY if sw dirty.
                const ulong write = 1UL << 51, rdonly = 0x80, dirty = 1UL << 55, pxn = 1UL << 53, ng = 0x800;
                Assert.True(Test("write", b));
                Assert.True(Test("dirty", b)); // PAGE_KERNEL is writable with RDONLY clear: hardware-dirty
                Assert.Equal(((b | dirty) & ~write) | rdonly, Run("wrprotect", b));
                var clean = Run("mkclean", b);
                Assert.Equal((b & ~dirty) | rdonly, clean);
                Assert.False(Test("dirty", clean));
                Assert.Equal(b | dirty, Run("mkdirty", clean));
                var ro = (pfn << 12) | protections["PAGE_KERNEL_RO"];
                Assert.False(Test("write", ro));
                Assert.Equal(ro | write, Run("mkwrite", ro)); // clean: RDONLY stays until the first write
                Assert.Equal((ro | write | dirty) & ~rdonly, Run("mkwrite", ro | dirty));
                Assert.False(Test("exec", b)); // PTE_PXN set
                Assert.Equal(b & ~pxn, Run("mkexec", b));
                Assert.True(Test("global", b)); // PTE_NG clear
                Assert.False(Test("global", b | ng));

                // HandleGen's modify keeps the PFN, AF, PTE_DIRTY and at a leaf level the table bit (bit 1), takes every other
                // bit from the protection, PTE_VALID included, and keeps a hardware-dirty entry dirty (as arm64's pte_modify
                // sets PTE_DIRTY first; its mask of bits taken from newprot has PTE_VALID but not bit 1).
                // Unlike arm64's pte_modify it takes PTE_NG from the protection too.
                var readOnlyProt = protections["PAGE_READONLY"];
                var keep = 0x400UL | dirty | (level == "pte" ? 0 : 0x2UL);
                Assert.Equal((pfn << 12) | (b & keep) | (readOnlyProt & ~keep) | dirty, api.Value(api.Call(level + "_modify", api.Entry(level, b), api.Prot(readOnlyProt))));

                if (level != "pte")
                {
                    // pgtable.h: pmd_mkhuge clears PMD_TABLE_BIT only, so a PAGE_NONE entry (PTE_VALID clear) stays invalid,
                    // and a block given PAGE_NONE by pmd_modify is no longer valid: no access remains.
                    var none = api.Prot(protections["PAGE_NONE"]);
                    Assert.False(api.Is(level + "_present", api.Call(level + "_mkhuge", api.Call("pfn_" + level, pfn, none))));
                    Assert.False(api.Is("arch_vmap_" + level + "_supported", none));
                    Assert.False(api.Is(level + "_present", api.Call(level + "_modify", api.Entry(level, b), none)));
                }

                break;

            case Family.Riscv:
                // arch/riscv/include/asm/pgtable.h: pte_write = _PAGE_WRITE, pte_dirty = _PAGE_DIRTY, pte_exec = _PAGE_EXEC,
                // pte_mkexec (commented out there) sets _PAGE_EXEC, pte_global = _PAGE_GLOBAL.
                Assert.True(Test("write", b));
                Assert.Equal(b & ~0x4UL, Run("wrprotect", b));
                Assert.True(Test("dirty", b));
                Assert.Equal(b & ~0x80UL, Run("mkclean", b));
                Assert.False(Test("exec", b));
                Assert.Equal(b | 0x8, Run("mkexec", b));
                Assert.True(Test("global", b));
                var readOnlyExec = protections["PAGE_READONLY_EXEC"];
                Assert.Equal((pfn << 10) | (b & 0xc0) | (readOnlyExec & ~0xc0UL), api.Value(api.Call(level + "_modify", api.Entry(level, b), api.Prot(readOnlyExec))));
                break;

            case Family.Ept:
                // Intel SDM vol. 3C, "EPT Translation Mechanism": an entry is present when any of bits 2:0 (read, write,
                // execute) is set; there is no present bit. vmx.h: write is VMX_EPT_WRITABLE_MASK 0x2, exec
                // VMX_EPT_EXECUTABLE_MASK 0x4, dirty VMX_EPT_DIRTY_BIT 0x200; no global bit.
                Assert.True(api.Is(level + "_present", api.Entry(level, (pfn << 12) | 0x4))); // execute-only is present
                Assert.True(api.Is(level + "_present", api.Entry(level, (pfn << 12) | 0x2)));
                Assert.False(api.Is(level + "_present", api.Entry(level, (pfn << 12) | 0x338))); // no R, W or X: not present
                Assert.True(Test("write", b));
                Assert.Equal(b & ~0x2UL, Run("wrprotect", b));
                Assert.True(Test("dirty", b));
                Assert.Equal(b & ~0x200UL, Run("mkclean", b));
                Assert.False(Test("exec", b));
                Assert.Equal(b | 0x4, Run("mkexec", b));
                Assert.Null(api.Type.GetMethod(level + "_global"));
                break;

            case Family.Stage2:
                // kvm_pgtable.h: write is KVM_PTE_LEAF_ATTR_LO_S2_S2AP_W 0x80, exec is !KVM_PTE_LEAF_ATTR_HI_S2_XN (bit 54),
                // young KVM_PTE_LEAF_ATTR_LO_S2_AF; stage 2 has no software dirty bit and no nG: no dirty or global helpers.
                Assert.True(Test("write", b));
                Assert.Equal(b & ~0x80UL, Run("wrprotect", b));
                Assert.False(Test("exec", b));
                Assert.Equal(b & ~(1UL << 54), Run("mkexec", b));
                Assert.False(api.Is(level + "_present", api.Entry(level, b & ~0x1UL)));
                Assert.Null(api.Type.GetMethod(level + "_dirty"));
                Assert.Null(api.Type.GetMethod(level + "_global"));
                break;
        }
    }
}
