using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Runtime;

/// <summary>
/// ptep_test_and_clear_young, ptep_set_access_flags and ptep_set_wrprotect (and the pmdp_ forms of a leaf level) on a
/// live entry, in both forms. Expected entries are worked out by hand from the kernel's definitions: x86's bits from
/// arch/x86/include/asm/pgtable_types.h (_PAGE_RW 1, _PAGE_ACCESSED 5, _PAGE_DIRTY 6, _PAGE_PSE 7, _PAGE_GLOBAL 8,
/// _PAGE_NX 63); arm64's from pgtable-hwdef.h and pgtable.h (PTE_RDONLY 7, PTE_AF 10, PTE_WRITE = PTE_DBM 51,
/// PTE_DIRTY 55), where pte_mkwrite and pte_mkdirty clear PTE_RDONLY once the entry is both writable and dirty, and
/// pte_wrprotect keeps a hardware-dirty state in PTE_DIRTY.
/// </summary>
public sealed class AccessFlagTests
{
    // x86: a clean, read-only, young kernel page (P | A | G | NX), and the entry a write fault wants (+ RW | D).
    private const ulong X86Start = 0x8000000000000121, X86Wanted = X86Start | 0x2 | 0x40;

    // arm64: a valid page (type 0b11), young (AF), read-only in hardware (RDONLY), and the entry a write fault wants:
    // WRITE and the software DIRTY set, RDONLY clear.
    private const ulong AF = 1UL << 10, RDONLY = 1UL << 7, WRITE = 1UL << 51, DIRTY = 1UL << 55;

    [Theory]
    [InlineData("x86_64", "alias", "pte", 0x1234000UL)]
    [InlineData("x86_64", "strong", "pte", 0x1234000UL)]
    [InlineData("x86_64", "alias", "pmd", 0x40200000UL | 0x80)]
    [InlineData("x86_64", "strong", "pud", 0x80000000UL | 0x80)]
    public void X86_entries_change_bit_by_bit_as_worked_out_by_hand(string arch, string form, string level, ulong frameAndLeaf)
    {
        var start = X86Start | frameAndLeaf;
        var noYoung = start & ~0x20UL;
        var readFault = noYoung | 0x20 | 0x2;      // accessed and writable, not yet dirty
        var writeFault = readFault | 0x40;         // and dirty

        var seen = ProbeAssemblies.For("AccessFlagsProbe", arch, form, level).Call<ulong[]>("AccessFlagsProbe", "Steps", start, X86Wanted | frameAndLeaf);

        Assert.Equal([1, noYoung, 0, noYoung, 1, readFault, 1, writeFault, 0, writeFault, writeFault & ~0x2UL], seen);
    }

    [Theory]
    [InlineData("alias", "pte", 0x3UL)]
    [InlineData("strong", "pte", 0x3UL)]
    [InlineData("strong", "pmd", 0x1UL)]
    public void Arm64_entries_follow_the_kernels_dirty_bit_management(string form, string level, ulong type)
    {
        var frame = level == "pte" ? 0x1234000UL : 0x40200000UL;
        var start = frame | type | AF | RDONLY;
        var noYoung = start & ~AF;
        // Read fault: young and writable in software (WRITE); RDONLY stays until the entry is dirty too.
        var readFault = noYoung | AF | WRITE;
        // Write fault: DIRTY set, and with WRITE already set RDONLY is cleared (pte_mkdirty).
        var writeFault = (readFault | DIRTY) & ~RDONLY;
        // pte_wrprotect: dirty (software DIRTY) stays, WRITE cleared, RDONLY set.
        var protectedEntry = (writeFault & ~WRITE) | RDONLY;

        var seen = ProbeAssemblies.For("AccessFlagsProbe", "arm64_4k_48", form, level).Call<ulong[]>("AccessFlagsProbe", "Steps", start, frame | type | AF | WRITE | DIRTY);

        Assert.Equal([1, noYoung, 0, noYoung, 1, readFault, 1, writeFault, 0, writeFault, protectedEntry], seen);
    }

    [Theory]
    [InlineData("x86_64", "alias")]
    [InlineData("x86_64", "strong")]
    public void An_mmu_setting_young_against_a_cpu_clearing_it_and_write_protecting_loses_no_bit(string arch, string form)
    {
        const int Changes = 200_000;
        const ulong Young = 0x20, Dirty = 0x40, Rw = 0x2, Start = 0x8000000000000101 | 0x1234000;

        var r = ProbeAssemblies.For("AccessFlagsProbe", arch, form, "pte").Call<ulong[]>("AccessFlagsProbe", "Contend", Changes, Start, Young, Dirty, Start | Rw);

        // Young ends as it started plus the MMU's sets minus the CPU's clears; the one dirty set survives every
        // write-protect and relaxation around it; nothing else changed but the write bit.
        var final = r[3];
        Assert.Equal(Changes, (long)r[0]);
        Assert.Equal(Changes, (long)r[1]);
        Assert.Equal((long)r[0] - (long)r[1], (final & Young) != 0 ? 1 : 0);
        Assert.Equal(1UL, r[2]);
        Assert.Equal(Dirty, final & Dirty);
        Assert.Equal(Start, final & ~(Young | Dirty | Rw));
    }
}
