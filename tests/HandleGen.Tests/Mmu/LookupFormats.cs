using System;
using HandleGen.Tests.Mmu.Models;
using static HandleGen.Tests.Mmu.Models.Bits;

namespace HandleGen.Tests.Mmu;

/// <summary>
/// A shipped format as the differential test drives it: its model walk (with a random mode of the family per walk),
/// the size of its entries, and random entries and addresses. The random entries are drawn so that walks go deep and
/// end in leaves often: half point to a table in the test RAM, 30 % are leaves aligned for one of the format's page
/// sizes, 10 % point to a table outside the RAM, 10 % are random bits; flag bits are random with the present, leaf and
/// reserved bits biased (see each generator).
/// </summary>
internal sealed record LookupFormat(
    string Arch,
    int EntryBytes,
    Func<PhysRead, ulong, ulong, MmuAccess, Random, MmuResult> Walk,
    Func<Random, ulong> Entry,
    Func<Random, ulong> Va)
{
    public const int RamPages = 16;

    /// <summary>
    /// Bits cleared, four walks in five, in the four entries at the root before a walk: PAE's PDPTEs reserve most of their
    /// bits (SDM table 4-8), so random ones would almost never lead further.
    /// </summary>
    public ulong RootClears { get; init; }

    public static LookupFormat Of(string arch) => arch switch
    {
        "x86_64" => X86(arch, X86Paging.Level4, 48),
        "i386" => X86(arch, X86Paging.Bits32, 32),
        "i386_pae" => X86(arch, X86Paging.Pae, 32),
        "riscv_sv39" => RiscV(arch, 3),
        "riscv_sv48" => RiscV(arch, 4),
        "arm64_4k_48" => new(arch, 8, (m, root, va, a, r) => Arm64Model.Walk(m, root, va, a, new Arm64Mode(Flip(r), Flip(r))), Arm64Entry, r => Signed(r, 48) | (Flip(r) ? 0xffff_0000_0000_0000 : 0)),
        "ept" => new(arch, 8, (m, root, va, a, r) => EptModel.Walk(m, root, va, a, new EptMode(Flip(r))), EptEntry, r => Unsigned(r, 48)),
        _ => throw new ArgumentException($"no model for {arch}", nameof(arch)),
    };

    /// <summary>A random access: any of read, write, exec, user (the lookup ignores it; the model's permissions use it).</summary>
    public static MmuAccess Access(Random rng) => (MmuAccess)rng.Next(1, 16);

    /// <summary>
    /// x86: every mode flag random, except i386's CR4.PSE, which is set: the shipped i386 treats PS as a 4 MiB leaf
    /// always (issue 17 names the PSE = 0 mode as missing).
    /// </summary>
    private static LookupFormat X86(string arch, X86Paging paging, int vaBits) => new(
        arch,
        paging == X86Paging.Bits32 ? 4 : 8,
        (m, root, va, a, r) => X86Model.Walk(m, root, va, a, new X86Mode(paging, Flip(r), Flip(r), Flip(r), Flip(r), Pse: paging == X86Paging.Bits32)),
        paging == X86Paging.Bits32 ? X86Entry32 : X86Entry64,
        vaBits == 32 ? r => Unsigned(r, 32) : r => Signed(r, vaBits))
    {
        RootClears = paging == X86Paging.Pae ? Field(2, 1) | Field(8, 5) | Field(63, 52) : 0,
    };

    private static LookupFormat RiscV(string arch, int levels) => new(
        arch, 8, (m, root, va, a, r) => RiscVModel.Walk(m, root, va, a, new RiscVMode(levels, Flip(r), Flip(r), Flip(r))), RiscVEntry, r => Signed(r, 12 + 9 * levels));

    private enum Kind
    {
        Pointer, // a table in the RAM, with the format's table bits
        Leaf, // a page or large page, aligned for its size, with the format's leaf bits
        Far, // a table outside the RAM: a refused read
        Wild, // random bits
    }

    private static Kind Pick(Random rng) => rng.Next(100) switch { < 50 => Kind.Pointer, < 80 => Kind.Leaf, < 90 => Kind.Far, _ => Kind.Wild };

    /// <summary>The frame of an entry of the kind: a RAM page, a page or large page of one of the sizes, or a page far outside the RAM.</summary>
    private static ulong Frame(Random rng, Kind kind, int bits, params int[] leafShifts) => kind switch
    {
        Kind.Pointer => (ulong)rng.Next(RamPages) << 12,
        Kind.Leaf => Unsigned(rng, bits) & ~((1UL << leafShifts[rng.Next(leafShifts.Length)]) - 1),
        _ => (Unsigned(rng, bits) | (1UL << (bits - 1))) & ~0xfffUL,
    };

    private static ulong Wild(Random rng) => (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63);

    /// <summary>x86 4-level and PAE: P (bit 0) mostly set, PS (bit 7) for leaves, XD (bit 63) sometimes, other low bits random.</summary>
    private static ulong X86Entry64(Random rng)
    {
        var kind = Pick(rng);
        if (kind == Kind.Wild)
            return rng.Next(2) == 0 ? Wild(rng) : Wild(rng) & 0x800f_ffff_ffff_ffff;
        var entry = Frame(rng, kind, 46, 12, 21, 30) | ((uint)rng.Next(0x1000) & ~0x80u) | (kind == Kind.Leaf ? 0x80UL : 0);
        entry = Bias(rng, entry, 0x1, 90);
        return Bias(rng, entry, 1UL << 63, 15);
    }

    /// <summary>x86 32-bit paging: as above, with 4 MiB leaves, whose bits 20:13 (PSE-36) are sometimes set.</summary>
    private static ulong X86Entry32(Random rng)
    {
        var kind = Pick(rng);
        if (kind == Kind.Wild)
            return (uint)rng.NextInt64();
        var entry = Frame(rng, kind, 32, 12, 22) | ((uint)rng.Next(0x1000) & ~0x80u) | (kind == Kind.Leaf ? 0x80UL : 0);
        if (kind == Kind.Leaf && rng.Next(4) == 0)
            entry |= (ulong)rng.Next(0x100) << 13;
        return Bias(rng, entry, 0x1, 90);
    }

    /// <summary>RISC-V: PPN at bit 10; pointers have V and no R/W/X, U, A, D; leaves have R/W/X (W only with R, mostly).</summary>
    private static ulong RiscVEntry(Random rng)
    {
        var kind = Pick(rng);
        if (kind == Kind.Wild)
            return rng.Next(2) == 0 ? Wild(rng) : Wild(rng) & Field(53, 0);
        var entry = (Frame(rng, kind, 46, 12, 21, 30, 39) >> 2) | ((uint)rng.Next(0x400) & 0x3f0u); // RSW, D, A, G, U random
        if (kind == Kind.Leaf)
        {
            var rwx = (ulong)rng.Next(1, 8) << 1;
            entry |= rng.Next(10) == 0 || (rwx & 0x6) != 0x4 ? rwx : rwx | 0x2;
        }
        else if (rng.Next(10) != 0)
        {
            entry &= ~0xd0UL; // a pointer, usually without the D, A and U it must not have
        }

        return Bias(rng, entry, 0x1, 90);
    }

    /// <summary>arm64: tables 0b11 with random APTable/UXNTable/PXNTable; leaves 0b01 or 0b11 with random AP, AF (mostly set), DBM, PXN, UXN.</summary>
    private static ulong Arm64Entry(Random rng)
    {
        var kind = Pick(rng);
        if (kind == Kind.Wild)
            return rng.Next(2) == 0 ? Wild(rng) : Wild(rng) & ~Field(51, 48);
        var entry = Frame(rng, kind, 48, 12, 21, 30) | ((uint)rng.Next(0x1000) & ~3u) | ((ulong)rng.Next(0x1000) << 52);
        if (kind == Kind.Leaf)
            return Bias(rng, entry | (rng.Next(2) == 0 ? 1UL : 3UL) | ((ulong)rng.Next(4) << 50), 0x400, 80); // AF; DBM, GP
        return Bias(rng, entry | 3, 0x2, 95);
    }

    /// <summary>EPT: R/W/X mostly with R; tables with bits 7:3 clear; leaves with bit 7, a valid memory type mostly.</summary>
    private static ulong EptEntry(Random rng)
    {
        var kind = Pick(rng);
        if (kind == Kind.Wild)
            return Wild(rng);
        var rwx = (ulong)rng.Next(8);
        rwx = rng.Next(10) == 0 ? rwx : rwx | 1;
        var entry = Frame(rng, kind, 46, 12, 21, 30) | rwx | ((ulong)rng.Next(16) << 8) | ((ulong)rng.Next(0x1000) << 52); // A, D, 11:10
        if (kind != Kind.Leaf)
            return entry;
        var memoryType = rng.Next(10) == 0 ? rng.Next(8) : new[] { 0, 1, 4, 5, 6 }[rng.Next(5)];
        return entry | 0x80 | ((ulong)memoryType << 3) | ((ulong)rng.Next(2) << 6); // bit 7, memory type, IPAT
    }

    private static ulong Bias(Random rng, ulong entry, ulong bit, int percent) => rng.Next(100) < percent ? entry | bit : entry & ~bit;

    private static bool Flip(Random rng) => rng.Next(2) == 0;

    private static ulong Unsigned(Random rng, int bits) => (ulong)rng.NextInt64() & ((1UL << bits) - 1);

    /// <summary>A random canonical address of <paramref name="bits"/> bits: bit bits-1 copied into every bit above it.</summary>
    private static ulong Signed(Random rng, int bits) => (ulong)((long)(Unsigned(rng, bits) << (64 - bits)) >> (64 - bits));
}
