using static HandleGen.Tests.Mmu.Models.Bits;

namespace HandleGen.Tests.Mmu.Models;

/// <summary>
/// The runtime controls of a RISC-V walk: <see cref="Levels"/> 3, 4 or 5 (Sv39, Sv48, Sv57), mstatus.SUM, mstatus.MXR,
/// and <see cref="Svadu"/> (hardware A/D update, menvcfg.ADUE = 1; without it the Svade rule applies).
/// </summary>
internal readonly record struct RiscVMode(int Levels, bool Sum = false, bool Mxr = false, bool Svadu = false);

/// <summary>
/// The RISC-V walk of the privileged spec, section "Virtual-Address Translation Process" (Sv32's steps, with
/// PTESIZE = 8 and LEVELS = 3, 4, 5 for Sv39/48/57), written from the spec. No extension that gives bits 63:54 a
/// meaning (Svnapot, Svpbmt) is implemented, so they are reserved. Every fault here is the one page-fault exception
/// of the access type; the kinds say which rule raised it: not_present = V clear (step 3), or a pointer at level 0
/// (step 4, i &lt; 0), or a non-canonical address; reserved = W without R, bits 63:54, or D/A/U in a non-leaf PTE
/// (step 3 and the PTE format: "for non-leaf PTEs, the D, A, and U bits are reserved"); misaligned = a superpage
/// whose low PPNs are not zero (step 6); protection = step 5; access_flag = Svade's A clear, or D clear on a store
/// (step 7). The spec checks permissions before alignment; both raise the same exception, so the order is not
/// observable and this model checks alignment first (then a misaligned superpage never reports a physical address).
/// </summary>
internal static class RiscVModel
{
    private const ulong V = 1, R = 1 << 1, W = 1 << 2, X = 1 << 3, U = 1 << 4, A = 1 << 6, D = 1 << 7;

    public static MmuResult Walk(PhysRead read, ulong root, ulong va, MmuAccess access, RiscVMode mode)
    {
        // "Instruction fetch addresses and load and store effective addresses ... must have bits 63–VA_BITS all equal
        // to bit VA_BITS-1, or else a page-fault exception will occur."
        var vaBits = 12 + 9 * mode.Levels;
        if (!Canonical(va, vaBits))
            return MmuResult.Stop(MmuFault.NotPresent, 0, 0);

        var a = root; // step 1: satp.ppn × PAGESIZE
        for (var i = mode.Levels - 1; i >= 0; i--)
        {
            var level = mode.Levels - 1 - i;
            var address = a + ((va >> (12 + 9 * i)) & 511) * 8; // step 2: a + va.vpn[i] × PTESIZE
            if (!read(address, 8, out var pte))
                return MmuResult.Stop(MmuFault.Memory, level, 0); // step 2: an access fault
            if (!Has(pte, V))
                return MmuResult.Stop(MmuFault.NotPresent, level, pte); // step 3
            if ((pte & (R | W)) == W || Has(pte, Field(63, 54)))
                return MmuResult.Stop(MmuFault.Reserved, level, pte); // step 3: W without R, reserved bits

            var ppn = (pte >> 10) & Field(43, 0); // PPN: bits 53:10
            if (!Has(pte, R | X))
            {
                // Step 4: a pointer to the next table; its D, A and U are reserved.
                if (Has(pte, D | A | U))
                    return MmuResult.Stop(MmuFault.Reserved, level, pte);
                if (i == 0)
                    return MmuResult.Stop(MmuFault.NotPresent, level, pte);
                a = ppn << 12;
                continue;
            }

            // A leaf. Step 6: a superpage's pte.ppn[i-1:0] must be zero.
            var size = 1UL << (12 + 9 * i);
            if ((ppn & ((1UL << (9 * i)) - 1)) != 0)
                return MmuResult.Stop(MmuFault.Misaligned, level, pte);
            var phys = (ppn << 12) | (va & (size - 1)); // step 8: pa.ppn[i-1:0] = va.vpn[i-1:0]
            var allowed = Rights(pte, access, mode);
            if (!Permits(allowed, access))
                return new MmuResult(MmuFault.Protection, level, phys, size, allowed, pte, []); // step 5

            // Step 7: A clear, or D clear on a store: Svade faults, Svadu sets them (one atomic update of the PTE).
            var store = access.HasFlag(MmuAccess.Write);
            if (!Has(pte, A) || (store && !Has(pte, D)))
            {
                if (!mode.Svadu)
                    return new MmuResult(MmuFault.AccessFlag, level, phys, size, allowed, pte, []);
                return new MmuResult(MmuFault.None, level, phys, size, allowed, pte, [new AdUpdate(address, pte, pte | A | (store ? D : 0))]);
            }

            return new MmuResult(MmuFault.None, level, phys, size, allowed, pte, []);
        }

        throw new System.InvalidOperationException("unreachable: level 0 returns");
    }

    /// <summary>
    /// Step 5's check (privileged spec, mstatus SUM and MXR): U-mode reaches only U pages; S-mode reaches U pages only for
    /// loads and stores and only with SUM, never for fetches; MXR makes X pages readable. User in the result is pte.U.
    /// </summary>
    private static MmuAccess Rights(ulong pte, MmuAccess access, RiscVMode mode)
    {
        var userPage = Has(pte, U);
        var reachable = access.HasFlag(MmuAccess.User) ? userPage : !userPage || mode.Sum;
        var read = reachable && (Has(pte, R) || (mode.Mxr && Has(pte, X)));
        var write = reachable && Has(pte, W);
        var exec = Has(pte, X) && (access.HasFlag(MmuAccess.User) ? userPage : !userPage);
        return (read ? MmuAccess.Read : 0) | (write ? MmuAccess.Write : 0) | (exec ? MmuAccess.Exec : 0) | (userPage ? MmuAccess.User : 0);
    }
}
