using System;
using System.Collections.Generic;
using System.Reflection;
using HandleGen.Common;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Core;

/// <summary>
/// The geometry constants and index helpers against the kernel: the values Linux has for each
/// shipped configuration (typed in from the kernel headers), and a reference model of the
/// definitions for index and addr_end on random addresses.
/// </summary>
public sealed class GeometryTests
{
    // Linux's values for each shipped configuration (arch/x86/include/asm/pgtable_64_types.h,
    // pgtable-2level_types.h, arch/arm64 with 4K pages and 48-bit VA, riscv Sv39; folded levels per
    // include/asm-generic/pgtable-nop*.h take the shift of the level above and one entry).
    public static readonly Dictionary<string, Dictionary<string, long>> Kernel = new()
    {
        ["x86_64"] = new()
        {
            ["PAGE_SHIFT"] = 12, ["PMD_SHIFT"] = 21, ["PUD_SHIFT"] = 30, ["P4D_SHIFT"] = 39, ["PGDIR_SHIFT"] = 39,
            ["PTRS_PER_PGD"] = 512, ["PTRS_PER_P4D"] = 1, ["PTRS_PER_PUD"] = 512, ["PTRS_PER_PMD"] = 512, ["PTRS_PER_PTE"] = 512,
            ["VA_BITS"] = 48,
        },
        ["x86_64_la57"] = new()
        {
            ["PAGE_SHIFT"] = 12, ["PMD_SHIFT"] = 21, ["PUD_SHIFT"] = 30, ["P4D_SHIFT"] = 39, ["PGDIR_SHIFT"] = 48,
            ["PTRS_PER_PGD"] = 512, ["PTRS_PER_P4D"] = 512, ["PTRS_PER_PUD"] = 512, ["PTRS_PER_PMD"] = 512, ["PTRS_PER_PTE"] = 512,
            ["VA_BITS"] = 57,
        },
        ["i386"] = new()
        {
            ["PAGE_SHIFT"] = 12, ["PMD_SHIFT"] = 22, ["PUD_SHIFT"] = 22, ["P4D_SHIFT"] = 22, ["PGDIR_SHIFT"] = 22,
            ["PTRS_PER_PGD"] = 1024, ["PTRS_PER_P4D"] = 1, ["PTRS_PER_PUD"] = 1, ["PTRS_PER_PMD"] = 1, ["PTRS_PER_PTE"] = 1024,
            ["VA_BITS"] = 32,
        },
        ["arm64_4k_48"] = new()
        {
            ["PAGE_SHIFT"] = 12, ["PMD_SHIFT"] = 21, ["PUD_SHIFT"] = 30, ["P4D_SHIFT"] = 39, ["PGDIR_SHIFT"] = 39,
            ["PTRS_PER_PGD"] = 512, ["PTRS_PER_P4D"] = 1, ["PTRS_PER_PUD"] = 512, ["PTRS_PER_PMD"] = 512, ["PTRS_PER_PTE"] = 512,
            ["VA_BITS"] = 48,
        },
        // Intel SDM vol. 3C, "EPT Translation Mechanism": a 4-level walk of a 48-bit guest-physical address,
        // 9 bits per level (PML4 47:39, PDPT 38:30, PD 29:21, PT 20:12), 4 KiB pages.
        ["ept"] = new()
        {
            ["PAGE_SHIFT"] = 12, ["PMD_SHIFT"] = 21, ["PUD_SHIFT"] = 30, ["P4D_SHIFT"] = 39, ["PGDIR_SHIFT"] = 39,
            ["PTRS_PER_PGD"] = 512, ["PTRS_PER_P4D"] = 1, ["PTRS_PER_PUD"] = 512, ["PTRS_PER_PMD"] = 512, ["PTRS_PER_PTE"] = 512,
            ["VA_BITS"] = 48,
        },
        // arm64 stage 2, 4K granule, 48-bit IPA starting at level 0 (kvm_pgtable.h, ARM ARM D8 "stage 2 translation"):
        // the stage-1 4K geometry, without concatenated start tables.
        ["arm64_s2_4k"] = new()
        {
            ["PAGE_SHIFT"] = 12, ["PMD_SHIFT"] = 21, ["PUD_SHIFT"] = 30, ["P4D_SHIFT"] = 39, ["PGDIR_SHIFT"] = 39,
            ["PTRS_PER_PGD"] = 512, ["PTRS_PER_P4D"] = 1, ["PTRS_PER_PUD"] = 512, ["PTRS_PER_PMD"] = 512, ["PTRS_PER_PTE"] = 512,
            ["VA_BITS"] = 48,
        },
        ["riscv_sv39"] = new()
        {
            ["PAGE_SHIFT"] = 12, ["PMD_SHIFT"] = 21, ["PUD_SHIFT"] = 30, ["P4D_SHIFT"] = 30, ["PGDIR_SHIFT"] = 30,
            ["PTRS_PER_PGD"] = 512, ["PTRS_PER_P4D"] = 1, ["PTRS_PER_PUD"] = 1, ["PTRS_PER_PMD"] = 512, ["PTRS_PER_PTE"] = 512,
            ["VA_BITS"] = 39,
        },
        // arch/x86/include/asm/pgtable-3level_types.h (PAE): PMD_SHIFT 21, PGDIR_SHIFT 30, PTRS_PER_PGD 4, PTRS_PER_PMD 512,
        // PTRS_PER_PTE 512; pud and p4d folded (pgtable-nopud.h via pgtable-nop4d.h).
        ["i386_pae"] = new()
        {
            ["PAGE_SHIFT"] = 12, ["PMD_SHIFT"] = 21, ["PUD_SHIFT"] = 30, ["P4D_SHIFT"] = 30, ["PGDIR_SHIFT"] = 30,
            ["PTRS_PER_PGD"] = 4, ["PTRS_PER_P4D"] = 1, ["PTRS_PER_PUD"] = 1, ["PTRS_PER_PMD"] = 512, ["PTRS_PER_PTE"] = 512,
            ["VA_BITS"] = 32,
        },
        // arch/riscv/include/asm/pgtable-64.h, Sv48: PGDIR_SHIFT_L4 39, PUD_SHIFT 30, p4d folded.
        ["riscv_sv48"] = new()
        {
            ["PAGE_SHIFT"] = 12, ["PMD_SHIFT"] = 21, ["PUD_SHIFT"] = 30, ["P4D_SHIFT"] = 39, ["PGDIR_SHIFT"] = 39,
            ["PTRS_PER_PGD"] = 512, ["PTRS_PER_P4D"] = 1, ["PTRS_PER_PUD"] = 512, ["PTRS_PER_PMD"] = 512, ["PTRS_PER_PTE"] = 512,
            ["VA_BITS"] = 48,
        },
        // Sv57: PGDIR_SHIFT_L5 48, P4D_SHIFT 39.
        ["riscv_sv57"] = new()
        {
            ["PAGE_SHIFT"] = 12, ["PMD_SHIFT"] = 21, ["PUD_SHIFT"] = 30, ["P4D_SHIFT"] = 39, ["PGDIR_SHIFT"] = 48,
            ["PTRS_PER_PGD"] = 512, ["PTRS_PER_P4D"] = 512, ["PTRS_PER_PUD"] = 512, ["PTRS_PER_PMD"] = 512, ["PTRS_PER_PTE"] = 512,
            ["VA_BITS"] = 57,
        },
    };

    private static readonly string[] ShiftNames = ["PGDIR_SHIFT", "P4D_SHIFT", "PUD_SHIFT", "PMD_SHIFT", "PAGE_SHIFT"];
    private static readonly string[] ConstPrefixes = ["PGDIR", "P4D", "PUD", "PMD"];

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Shifts_and_table_sizes_are_the_kernels(string arch, string form)
    {
        var pgtable = Pgtable(arch, form);

        foreach (var (name, expected) in Kernel[arch])
            Assert.True(expected == Convert.ToInt64(Constant(pgtable, name)), $"{arch} {name}: expected {expected}, found {Constant(pgtable, name)}");
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Sizes_and_masks_follow_from_the_shifts(string arch, string form)
    {
        var pgtable = Pgtable(arch, form);
        var page = 1UL << (int)Kernel[arch]["PAGE_SHIFT"];

        Assert.Equal(page, (ulong)Constant(pgtable, "PAGE_SIZE"));
        Assert.Equal(~(page - 1), (ulong)Constant(pgtable, "PAGE_MASK"));
        for (var level = 0; level < 4; level++)
        {
            var size = 1UL << (int)Kernel[arch][ShiftNames[level]];
            Assert.Equal(size, (ulong)Constant(pgtable, ConstPrefixes[level] + "_SIZE"));
            Assert.Equal(~(size - 1), (ulong)Constant(pgtable, ConstPrefixes[level] + "_MASK"));
        }
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Index_helpers_agree_with_the_reference_model(string arch, string form)
    {
        var facts = SpecFacts.Of(arch);
        var pgtable = Pgtable(arch, form);
        var random = new Random(17);
        foreach (var addr in Addresses(random, facts))
        {
            for (var level = 0; level < 5; level++)
            {
                // Linux: (addr >> SHIFT) & (PTRS_PER - 1); a folded level's index is always 0.
                var expected = facts.Folded(level) ? 0 : (addr >> facts.Shift(level)) % (ulong)facts.PtrsPer(level);
                var actual = (ulong)Invoke(pgtable, GeneratedApiNames.Index.For(GeneratedApiNames.Levels[level]), addr);
                Assert.True(expected == actual, $"{arch} {GeneratedApiNames.Index.For(GeneratedApiNames.Levels[level])}(0x{addr:x}): expected {expected}, found {actual}");
            }
        }
    }

    [Theory]
    [ClassData(typeof(ArchAndForm))]
    public void Addr_end_agrees_with_the_reference_model_including_the_top_of_the_address_space(string arch, string form)
    {
        var facts = SpecFacts.Of(arch);
        var pgtable = Pgtable(arch, form);
        var random = new Random(23);
        var addresses = new List<ulong>(Addresses(random, facts)) { ulong.MaxValue - 4095, 0xFFFF_FFFF_FFE0_0000 };
        foreach (var addr in addresses)
        {
            foreach (var end in new[] { 0UL, addr + 1, addr + (ulong)random.NextInt64(1, 1L << 40), ulong.MaxValue })
            {
                if (end != 0 && end <= addr)
                    continue;
                for (var level = 0; level < 4; level++)
                {
                    var expected = AddrEnd(facts, level, addr, end);
                    var actual = (ulong)Invoke(pgtable, GeneratedApiNames.Levels[level] + "_addr_end", addr, end);
                    Assert.True(expected == actual, $"{arch} {GeneratedApiNames.Levels[level]}_addr_end(0x{addr:x}, 0x{end:x}): expected 0x{expected:x}, found 0x{actual:x}");
                }
            }
        }
    }

    /// <summary>
    /// Reference model in exact arithmetic: the next multiple of the level's size above addr, or end,
    /// whichever comes first, where end 0 stands for 2^64; a folded level returns end.
    /// </summary>
    private static ulong AddrEnd(SpecFacts facts, int level, ulong addr, ulong end)
    {
        if (facts.Folded(level))
            return end;
        var size = (UInt128)facts.Size(level);
        var boundary = ((UInt128)addr / size + 1) * size;
        var limit = end == 0 ? (UInt128)1 << 64 : end;
        return (ulong)(UInt128.Min(boundary, limit) & ulong.MaxValue);
    }

    private static IEnumerable<ulong> Addresses(Random random, SpecFacts facts)
    {
        yield return 0;
        yield return 0x7FFF_FFFF_F000;
        for (var level = 0; level < 5; level++)
        {
            var size = 1UL << facts.Shift(level);
            yield return size - 1;
            yield return size;
            yield return 3 * size + 5;
        }

        for (var i = 0; i < 300; i++)
            yield return (ulong)random.NextInt64() << 1 ^ (ulong)random.Next();
    }

    private static Type Pgtable(string arch, string form) =>
        ProbeAssemblies.For(arch, form).GetType(SpecFacts.Of(arch).PgtableType, throwOnError: true)!;

    private static object Constant(Type pgtable, string name) =>
        pgtable.GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue()
        ?? throw new MissingFieldException(pgtable.FullName, name);

    private static object Invoke(Type pgtable, string name, params object[] args) =>
        pgtable.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args)!;
}
