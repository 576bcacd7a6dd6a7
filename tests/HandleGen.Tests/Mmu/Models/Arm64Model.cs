using static HandleGen.Tests.Mmu.Models.Bits;

namespace HandleGen.Tests.Mmu.Models;

/// <summary>
/// The runtime controls of an arm64 stage-1 walk: TCR_EL1.HA (hardware Access flag update) and TCR_EL1.HD (hardware
/// dirty state through DBM; the Arm ARM makes HD take effect only with HA, so HD without HA is HD off here).
/// </summary>
internal readonly record struct Arm64Mode(bool Ha = false, bool Hd = false);

/// <summary>
/// The arm64 EL1&amp;0 stage-1 walk of the Arm ARM (D8, VMSAv8-64) for a 4 KiB granule and a 48-bit VA (T0SZ/T1SZ = 16,
/// start level 0), with a 48-bit output address, written from the manual. Left out: PAN (PSTATE.PAN taken as 0),
/// SCTLR_EL1.WXN (0), FEAT_LPA2, FEAT_HAFT, and the TTBR0/TTBR1 choice (the caller passes the root of the half the
/// VA is in; the model checks bits 63:48 are all 0 or all 1). Faults: not_present = a Translation fault (an invalid
/// descriptor, bits[1:0] = 0b00 or 0b10; a block at level 0 or 0b01 at level 3, which are reserved types; a VA
/// outside both halves); reserved = an Address size fault (output address bits above 47 set: bits 51:48 of a table
/// descriptor, 49:48 of a block or page); access_flag = an Access flag fault (AF = 0 without HA); protection = a
/// Permission fault. RES0 bits inside a block's output address field are ignored. A/D updates (AF set by HA, AP[2]
/// cleared by HD for a write to a DBM page) are reported for a walk that succeeds.
/// </summary>
internal static class Arm64Model
{
    private const ulong Ap1 = 1 << 6, Ap2 = 1 << 7, Af = 1 << 10, Dbm = 1UL << 51, Pxn = 1UL << 53, Uxn = 1UL << 54;
    private const ulong PxnTable = 1UL << 59, UxnTable = 1UL << 60, ApTable0 = 1UL << 61, ApTable1 = 1UL << 62;

    public static MmuResult Walk(PhysRead read, ulong root, ulong va, MmuAccess access, Arm64Mode mode)
    {
        if (!Canonical(va, 49)) // bits 63:48 all zeros (TTBR0) or all ones (TTBR1)
            return MmuResult.Stop(MmuFault.NotPresent, 0, 0);

        var table = root;
        var tableBits = 0UL; // APTable, UXNTable, PXNTable ORed over the table descriptors used (D8.4.2 hierarchical permissions)
        for (var level = 0; level < 4; level++)
        {
            var shift = 39 - 9 * level;
            var address = table + ((va >> shift) & 511) * 8;
            if (!read(address, 8, out var desc))
                return MmuResult.Stop(MmuFault.Memory, level, 0);

            // D8.3: bit 0 valid; bit 1 is table (levels 0-2) or page (level 3) when set, block (levels 1-2) when clear.
            var type = desc & 3;
            if (type is 0 or 2 || (type == 1 && level is 0 or 3))
                return MmuResult.Stop(MmuFault.NotPresent, level, desc);

            if (type == 3 && level < 3)
            {
                if (Has(desc, Field(51, 48)))
                    return MmuResult.Stop(MmuFault.Reserved, level, desc);
                tableBits |= desc & (PxnTable | UxnTable | ApTable0 | ApTable1);
                table = desc & Field(47, 12);
                continue;
            }

            if (Has(desc, Field(49, 48)))
                return MmuResult.Stop(MmuFault.Reserved, level, desc);
            var size = 1UL << shift;
            var phys = (desc & Field(47, shift)) | (va & (size - 1));

            // Access flag fault before Permission fault (D8's fault prioritization).
            if (!Has(desc, Af) && !mode.Ha)
                return new MmuResult(MmuFault.AccessFlag, level, phys, size, Rights(desc, tableBits, access), desc, []);

            // Hardware dirty state: a write to a writable-clean page (DBM = 1, AP[2] = 1) clears AP[2] instead of faulting.
            var dirtying = access.HasFlag(MmuAccess.Write) && mode.Ha && mode.Hd && Has(desc, Dbm) && Has(desc, Ap2);
            var effective = dirtying ? desc & ~Ap2 : desc;
            var allowed = Rights(effective, tableBits, access);
            if (!Permits(allowed, access))
                return new MmuResult(MmuFault.Protection, level, phys, size, Rights(desc, tableBits, access), desc, []);

            var updated = effective | (mode.Ha ? Af : 0);
            return new MmuResult(MmuFault.None, level, phys, size, allowed, desc, updated == desc ? [] : [new AdUpdate(address, desc, updated)]);
        }

        throw new System.InvalidOperationException("unreachable: level 3 returns");
    }

    /// <summary>
    /// The stage-1 permissions (D8.4, the pseudocode's direct permissions): AP[2:1] gives EL1 RW/RO and EL0 none/RW/none/RO;
    /// APTable[0] takes EL0 access away below, APTable[1] write access; UXN/UXNTable and PXN/PXNTable forbid execution at
    /// EL0/EL1, and a location writable at EL0 is never executable at EL1. User in the result means EL0 may read it.
    /// </summary>
    private static MmuAccess Rights(ulong desc, ulong tableBits, MmuAccess access)
    {
        var el0 = Has(desc, Ap1) && !Has(tableBits, ApTable0);
        var readOnly = Has(desc, Ap2) || Has(tableBits, ApTable1);
        var el0Write = el0 && !readOnly;
        bool read, write, exec;
        if (access.HasFlag(MmuAccess.User))
        {
            read = el0;
            write = el0Write;
            exec = !Has(desc, Uxn) && !Has(tableBits, UxnTable);
        }
        else
        {
            read = true;
            write = !readOnly;
            exec = !Has(desc, Pxn) && !Has(tableBits, PxnTable) && !el0Write;
        }

        return (read ? MmuAccess.Read : 0) | (write ? MmuAccess.Write : 0) | (exec ? MmuAccess.Exec : 0) | (el0 ? MmuAccess.User : 0);
    }
}
