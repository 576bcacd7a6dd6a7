using System;
using System.Collections.Generic;

namespace HandleGen.Tests.Mmu.Models;

/// <summary>
/// Reads <paramref name="bytes"/> (4 or 8) little-endian bytes at a physical address for a model walk; false when
/// the memory refuses the access (outside guest RAM, say), which the walk reports as <see cref="MmuFault.Memory"/>.
/// </summary>
internal delegate bool PhysRead(ulong phys, int bytes, out ulong value);

/// <summary>What an access wants: any of read, write, exec, and <see cref="User"/> for an unprivileged access (x86 CPL 3, RISC-V U-mode, arm64 EL0).</summary>
[Flags]
internal enum MmuAccess
{
    None = 0,
    Read = 1,
    Write = 2,
    Exec = 4,
    User = 8,
}

/// <summary>Why a walk stopped, in the words of issue 17; each model's summary says which architectural fault each is.</summary>
internal enum MmuFault
{
    None,
    NotPresent,
    Protection,
    Reserved,
    AccessFlag,
    Misaligned,
    Memory,
}

/// <summary>One accessed/dirty update the hardware would make: the entry's physical address, its value as read and as written back.</summary>
internal readonly record struct AdUpdate(ulong Address, ulong Old, ulong New);

/// <summary>
/// The outcome of one model walk. <see cref="Level"/> counts from the top table, 0 (x86 PML4/PML5, the 32-bit PD or the
/// PAE PDPT; RISC-V level LEVELS-1; arm64 level 0; EPT PML4), and is the leaf's level or the level of the entry the walk
/// stopped at. <see cref="Phys"/> (page offset included) and <see cref="PageSize"/> are set once a leaf is found
/// (fault none, protection, access_flag); <see cref="Allowed"/> is what that leaf permits an access of the requested
/// privilege, with <see cref="MmuAccess.User"/> set when it is a user page. <see cref="Entry"/> is the last entry read
/// (0 when none was). <see cref="Updates"/> are the A/D writes of a successful walk, top to bottom.
/// </summary>
internal sealed record MmuResult(MmuFault Fault, int Level, ulong Phys, ulong PageSize, MmuAccess Allowed, ulong Entry, IReadOnlyList<AdUpdate> Updates)
{
    /// <summary>A walk that stopped before a leaf, or at one it cannot use.</summary>
    public static MmuResult Stop(MmuFault fault, int level, ulong entry) => new(fault, level, 0, 0, MmuAccess.None, entry, []);

    /// <summary>True when the walk found a leaf that maps the address, whatever the permissions or access flag say.</summary>
    public bool FoundLeaf => Fault is MmuFault.None or MmuFault.Protection or MmuFault.AccessFlag;

    public override string ToString() =>
        $"{Fault} at level {Level}, entry 0x{Entry:x}, phys 0x{Phys:x}, size 0x{PageSize:x}, allowed {Allowed}, {Updates.Count} A/D update(s)";
}

/// <summary>Small helpers the models share.</summary>
internal static class Bits
{
    /// <summary>The mask of bits <paramref name="high"/>..<paramref name="low"/> inclusive, as the manuals write a field.</summary>
    public static ulong Field(int high, int low) => (high == 63 ? ulong.MaxValue : (1UL << (high + 1)) - 1) & ~((1UL << low) - 1);

    public static bool Has(ulong value, ulong mask) => (value & mask) != 0;

    /// <summary>True when bits 63..<paramref name="bits"/>-1 of <paramref name="va"/> are all equal (a sign-extended, canonical address).</summary>
    public static bool Canonical(ulong va, int bits)
    {
        var upper = va >> (bits - 1);
        return upper == 0 || upper == ulong.MaxValue >> (bits - 1);
    }

    /// <summary>The permitted subset check: every one of read, write, exec the access asks for is allowed.</summary>
    public static bool Permits(MmuAccess allowed, MmuAccess access)
    {
        var wanted = access & (MmuAccess.Read | MmuAccess.Write | MmuAccess.Exec);
        return (allowed & wanted) == wanted;
    }

    /// <summary>
    /// The A/D writes of a walk that sets A in every entry it used and, for a write, D in the leaf (the last entry):
    /// x86 4.8 and EPT 29.3.5. One update per entry that changes.
    /// </summary>
    public static List<AdUpdate> SetAccessedDirty(List<(ulong Address, ulong Entry)> used, ulong accessed, ulong dirty, MmuAccess access)
    {
        var updates = new List<AdUpdate>();
        for (var i = 0; i < used.Count; i++)
        {
            var (address, entry) = used[i];
            var wanted = entry | accessed | (i == used.Count - 1 && access.HasFlag(MmuAccess.Write) ? dirty : 0);
            if (wanted != entry)
                updates.Add(new AdUpdate(address, entry, wanted));
        }

        return updates;
    }
}
