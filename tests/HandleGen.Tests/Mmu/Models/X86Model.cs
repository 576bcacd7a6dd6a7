using System;
using System.Collections.Generic;
using static HandleGen.Tests.Mmu.Models.Bits;

namespace HandleGen.Tests.Mmu.Models;

/// <summary>The x86 paging modes of Intel SDM vol. 3A ch. 4: 32-bit (4.3), PAE (4.4), 4-level and 5-level (4.5).</summary>
internal enum X86Paging
{
    Bits32,
    Pae,
    Level4,
    Level5,
}

/// <summary>
/// The runtime controls of an x86 walk: CR0.WP, IA32_EFER.NXE, CR4.SMEP, CR4.SMAP, and CR4.PSE (32-bit paging only:
/// PS in a PDE maps 4 MiB only when set, SDM 4.3). EFLAGS.AC is taken as 0 and CR4.PKE as 0.
/// </summary>
internal readonly record struct X86Mode(X86Paging Paging, bool Wp = false, bool Nxe = false, bool Smep = false, bool Smap = false, bool Pse = false);

/// <summary>
/// The x86 walk as Intel SDM vol. 3A ch. 4 defines it, written from the manual. Choices where the SDM leaves the
/// processor a choice: MAXPHYADDR is 52 (so M = 52 for PAE and 4/5-level paging, and M = 40 for 32-bit paging's
/// PSE-36 4 MiB pages, 4.3); 1-GiB pages are supported; A/D bits are reported only for a walk that succeeds (4.8 lets
/// a processor set A on entries of a faulting walk too); a non-canonical address, which raises #GP and not #PF
/// (3.3.7.1), is reported as not_present at level 0 with no entry read.
/// Faults: not_present = P clear; reserved = a reserved bit set (a #PF with RSVD; for a PAE PDPTE the processor
/// checks at MOV CR3 and raises #GP, 4.4.1); protection = the access rights of 4.6 deny the access.
/// </summary>
internal static class X86Model
{
    public const int MaxPhyAddr = 52;

    private const ulong P = 1, RW = 1 << 1, US = 1 << 2, A = 1 << 5, D = 1 << 6, PS = 1 << 7, XD = 1UL << 63;

    public static MmuResult Walk(PhysRead read, ulong root, ulong va, MmuAccess access, X86Mode mode)
    {
        var g = Geometry(mode.Paging);
        if (g.VaBits == 32 ? va >> 32 != 0 : !Canonical(va, g.VaBits))
            return MmuResult.Stop(MmuFault.NotPresent, 0, 0);

        // CR3: 32-bit, 4-level and 5-level paging hold the top table's address in bits M-1:12, PAE in bits 31:5 (4.4.1);
        // the caller has masked its low bits.
        var table = root;
        var writable = true;
        var user = true;
        var executeDisable = false;
        var used = new List<(ulong Address, ulong Entry)>();
        for (var level = 0; level < g.Shifts.Length; level++)
        {
            var shift = g.Shifts[level];
            var index = (va >> shift) & ((1UL << g.IndexBits[level]) - 1);
            var address = table + index * (ulong)g.EntryBytes;
            if (!read(address, g.EntryBytes, out var entry))
                return MmuResult.Stop(MmuFault.Memory, level, 0);
            if (!Has(entry, P))
                return MmuResult.Stop(MmuFault.NotPresent, level, entry);

            var pdpte = mode.Paging == X86Paging.Pae && level == 0;
            var last = level == g.Shifts.Length - 1;
            // PS makes a leaf in a PDE (32-bit paging only with CR4.PSE, 4.3), a PAE or 4/5-level PDE, or a 4/5-level
            // PDPTE (1 GiB); a PML4E's or PML5E's PS is reserved (tables 4-15, 4-14 of the 4/5-level formats).
            var leafCapable = !pdpte && level >= g.Shifts.Length - 3 && !last && (mode.Paging != X86Paging.Bits32 || mode.Pse);
            var leaf = last || (leafCapable && Has(entry, PS));
            if (Has(entry, Reserved(mode, level, leaf, g, entry)))
                return MmuResult.Stop(MmuFault.Reserved, level, entry);

            if (!pdpte)
            {
                // 4.6.1: R/W and U/S of every entry used are ANDed; XD (bit 63, NXE only) is ORed. PAE PDPTEs do not
                // take part (4.4.1: they have no R/W, U/S or XD).
                writable &= Has(entry, RW);
                user &= Has(entry, US);
                executeDisable |= mode.Paging != X86Paging.Bits32 && mode.Nxe && Has(entry, XD);
                used.Add((address, entry));
            }

            if (!leaf)
            {
                table = mode.Paging == X86Paging.Bits32 ? entry & Field(31, 12) : entry & Field(MaxPhyAddr - 1, 12);
                continue;
            }

            var size = 1UL << shift;
            var phys = PageFrame(mode.Paging, entry, shift) | (va & (size - 1));
            var allowed = Rights(access, mode, writable, user, executeDisable);
            if (!Permits(allowed, access))
                return new MmuResult(MmuFault.Protection, level, phys, size, allowed, entry, []);
            return new MmuResult(MmuFault.None, level, phys, size, allowed, entry, SetAccessedDirty(used, A, D, access));
        }

        throw new InvalidOperationException("unreachable: the last level is always a leaf");
    }

    /// <summary>
    /// The #PF error code of a faulting walk (4.7): P (bit 0) when the fault is not a not-present one; W/R (bit 1) for a
    /// write; U/S (bit 2) for a user-mode access; RSVD (bit 3) for a reserved bit; I/D (bit 4) for an instruction fetch
    /// when CR4.SMEP is set or, with PAE or 4/5-level paging, IA32_EFER.NXE is.
    /// </summary>
    public static uint ErrorCode(MmuResult result, MmuAccess access, X86Mode mode)
    {
        if (result.Fault is not (MmuFault.NotPresent or MmuFault.Protection or MmuFault.Reserved))
            throw new ArgumentException($"a {result.Fault} walk raises no #PF", nameof(result));
        var code = 0u;
        if (result.Fault != MmuFault.NotPresent)
            code |= 1;
        if (access.HasFlag(MmuAccess.Write))
            code |= 1 << 1;
        if (access.HasFlag(MmuAccess.User))
            code |= 1 << 2;
        if (result.Fault == MmuFault.Reserved)
            code |= 1 << 3;
        if (access.HasFlag(MmuAccess.Exec) && (mode.Smep || (mode.Paging != X86Paging.Bits32 && mode.Nxe)))
            code |= 1 << 4;
        return code;
    }

    private readonly record struct Shape(int[] Shifts, int[] IndexBits, int EntryBytes, int VaBits);

    private static Shape Geometry(X86Paging paging) => paging switch
    {
        X86Paging.Bits32 => new([22, 12], [10, 10], 4, 32), // 4.3: PD index 31:22, PT index 21:12
        X86Paging.Pae => new([30, 21, 12], [2, 9, 9], 8, 32), // 4.4: PDPT index 31:30
        X86Paging.Level4 => new([39, 30, 21, 12], [9, 9, 9, 9], 8, 48), // 4.5: PML4 index 47:39
        _ => new([48, 39, 30, 21, 12], [9, 9, 9, 9, 9], 8, 57), // 4.5: PML5 index 56:48
    };

    /// <summary>The reserved bits of a present entry (tables 4-4 to 4-6, 4-8 to 4-11, 4-14 to 4-20; 4.3's PSE-36 with M = 40).</summary>
    private static ulong Reserved(X86Mode mode, int level, bool leaf, Shape g, ulong entry)
    {
        var fromBottom = g.Shifts.Length - 1 - level; // 0 = PT, 1 = PD, 2 = PDPT, 3 = PML4, 4 = PML5
        switch (mode.Paging)
        {
            case X86Paging.Bits32:
                return leaf && fromBottom == 1 ? 1UL << 21 : 0; // 4 MiB PDE: bits 21:(M-19) with M = 40
            case X86Paging.Pae when level == 0:
                return Field(2, 1) | Field(8, 5) | Field(63, MaxPhyAddr); // table 4-8: PDPTE
        }

        // PAE reserves bits 62:M of PDEs and PTEs (tables 4-9 to 4-11); 4/5-level paging ignores 62:52 (M = 52: none).
        var reserved = mode.Paging == X86Paging.Pae ? Field(62, MaxPhyAddr) : 0;
        if (!mode.Nxe)
            reserved |= XD; // "If IA32_EFER.NXE = 0, reserved (must be 0)"
        if (fromBottom >= 3)
            reserved |= PS; // PML4E, PML5E: bit 7 reserved
        if (leaf && fromBottom > 0)
            reserved |= Field(fromBottom == 2 ? 29 : 20, 13); // between PAT (bit 12) and the frame of a 1 GiB / 2 MiB page
        return reserved;
    }

    /// <summary>The page's physical address: 32-bit 4 MiB pages take bits 31:22 and, PSE-36, bits 39:32 from entry bits 20:13 (table 4-4).</summary>
    private static ulong PageFrame(X86Paging paging, ulong entry, int shift)
    {
        if (paging != X86Paging.Bits32)
            return entry & Field(MaxPhyAddr - 1, shift);
        return shift == 22 ? (entry & Field(31, 22)) | (((entry >> 13) & 0xff) << 32) : entry & Field(31, 12);
    }

    /// <summary>The access rights of 4.6.1, for an access of the requested privilege; User in the result marks a user-mode page.</summary>
    private static MmuAccess Rights(MmuAccess access, X86Mode mode, bool writable, bool user, bool executeDisable)
    {
        bool read, write, exec;
        if (access.HasFlag(MmuAccess.User))
        {
            // User-mode accesses reach user-mode pages only; writes need R/W everywhere; fetches need no XD.
            read = user;
            write = user && writable;
            exec = user && !executeDisable;
        }
        else
        {
            // Supervisor-mode accesses: SMAP (EFLAGS.AC = 0) denies data accesses to user pages; CR0.WP = 0 lets writes
            // ignore R/W; SMEP denies fetches from user pages.
            var data = !(user && mode.Smap);
            read = data;
            write = data && (writable || !mode.Wp);
            exec = !executeDisable && !(user && mode.Smep);
        }

        return (read ? MmuAccess.Read : 0) | (write ? MmuAccess.Write : 0) | (exec ? MmuAccess.Exec : 0) | (user ? MmuAccess.User : 0);
    }
}
