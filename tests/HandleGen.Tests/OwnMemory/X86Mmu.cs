using System;

namespace HandleGen.Tests.OwnMemory;

/// <summary>
/// The x86-64 4-level walk as the Intel SDM (Vol. 3A, 4.5 "4-Level Paging", tables 4-15 to 4-20) defines it,
/// written out here independently of HandleGen: PML4E at bits 47:39, PDPTE at 38:30 (PS, bit 7, maps 1 GiB),
/// PDE at 29:21 (PS maps 2 MiB), PTE at 20:12; P is bit 0; a table's or page's address is bits 51:12 of the entry.
/// </summary>
internal static class X86Mmu
{
    private const ulong AddressBits = 0x000f_ffff_ffff_f000;

    /// <summary>The outcome of a walk: the level it stopped at (0 = PML4 … 3 = PT), that entry, and the translation.</summary>
    public readonly record struct Walk(int Level, ulong Entry, bool Mapped, ulong Phys);

    /// <summary>Walks from the PML4 at physical <paramref name="cr3"/>, reading 8-byte entries with <paramref name="read"/>.</summary>
    public static Walk Translate(Func<ulong, ulong> read, ulong cr3, ulong va)
    {
        var table = cr3;
        int[] shifts = [39, 30, 21, 12];
        for (var level = 0; level < 4; level++)
        {
            var entry = read(table + ((va >> shifts[level]) & 511) * 8);
            if ((entry & 1) == 0)
                return new Walk(level, entry, false, 0);
            var pageSize = 1UL << shifts[level];
            if (level == 3 || (level is 1 or 2 && (entry & 0x80) != 0))
                return new Walk(level, entry, true, (entry & AddressBits & ~(pageSize - 1)) | (va & (pageSize - 1)));
            table = entry & AddressBits;
        }

        throw new InvalidOperationException("unreachable: level 3 always returns");
    }

    /// <summary>The physical address of the table at <paramref name="level"/> (0 = PML4) on the way to <paramref name="va"/>, through table entries only.</summary>
    public static ulong TableAt(Func<ulong, ulong> read, ulong cr3, ulong va, int level)
    {
        var table = cr3;
        int[] shifts = [39, 30, 21, 12];
        for (var i = 0; i < level; i++)
            table = read(table + ((va >> shifts[i]) & 511) * 8) & AddressBits;
        return table;
    }
}
