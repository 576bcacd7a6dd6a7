using System.Collections.Generic;
using static HandleGen.Tests.Mmu.Models.Bits;

namespace HandleGen.Tests.Mmu.Models;

/// <summary>The runtime control of an EPT walk: EPTP bit 6, accessed and dirty flags enabled.</summary>
internal readonly record struct EptMode(bool Ad = false);

/// <summary>
/// The 4-level EPT walk of Intel SDM vol. 3C ch. 29 (29.3.2, tables 29-1 to 29-6), written from the manual, over a
/// 48-bit guest-physical address. Choices: MAXPHYADDR 52 (no reserved address bits), execute-only translations
/// supported (IA32_VMX_EPT_VPID_CAP bit 0), 1-GiB pages supported, mode-based execute control off (bit 10 ignored),
/// no user/supervisor distinction (the access's User flag is ignored and never allowed). Faults: not_present = bits 2:0
/// all clear (an EPT violation); reserved = an EPT misconfiguration (29.3.3.1: write without read, a reserved bit, a
/// reserved memory type 2, 3 or 7 in a leaf); protection = an EPT violation from the R/W/X bits ANDed over every level.
/// A guest-physical address above 48 bits is reported as not_present at level 0.
/// </summary>
internal static class EptModel
{
    private const ulong Read = 1, Write = 1 << 1, Exec = 1 << 2, Leaf = 1 << 7, A = 1 << 8, D = 1 << 9;

    public static MmuResult Walk(PhysRead read, ulong root, ulong gpa, MmuAccess access, EptMode mode)
    {
        if (gpa >> 48 != 0)
            return MmuResult.Stop(MmuFault.NotPresent, 0, 0);

        var table = root;
        var rights = Read | Write | Exec;
        var used = new List<(ulong Address, ulong Entry)>();
        for (var level = 0; level < 4; level++)
        {
            var shift = 39 - 9 * level;
            var address = table + ((gpa >> shift) & 511) * 8;
            if (!read(address, 8, out var entry))
                return MmuResult.Stop(MmuFault.Memory, level, 0);
            if (!Has(entry, Read | Write | Exec))
                return MmuResult.Stop(MmuFault.NotPresent, level, entry);

            // Bit 7 maps a 1 GiB page in a PDPTE, 2 MiB in a PDE (tables 29-3, 29-5); it is reserved in a PML4E and
            // ignored in a PTE.
            var leaf = level == 3 || (level > 0 && Has(entry, Leaf));
            if ((entry & (Read | Write)) == Write || Has(entry, Reserved(level, leaf, entry)))
                return MmuResult.Stop(MmuFault.Reserved, level, entry);
            rights &= entry;
            used.Add((address, entry));
            if (!leaf)
            {
                table = entry & Field(51, 12);
                continue;
            }

            var size = 1UL << shift;
            var phys = (entry & Field(51, shift)) | (gpa & (size - 1));
            var allowed = (Has(rights, Read) ? MmuAccess.Read : 0) | (Has(rights, Write) ? MmuAccess.Write : 0) | (Has(rights, Exec) ? MmuAccess.Exec : 0);
            if (!Permits(allowed, access))
                return new MmuResult(MmuFault.Protection, level, phys, size, allowed, entry, []);
            return new MmuResult(MmuFault.None, level, phys, size, allowed, entry, mode.Ad ? SetAccessedDirty(used, A, D, access) : []);
        }

        throw new System.InvalidOperationException("unreachable: level 3 returns");
    }

    /// <summary>Reserved bits and encodings of a present entry (29.3.3.1).</summary>
    private static ulong Reserved(int level, bool leaf, ulong entry)
    {
        if (!leaf)
            return Field(7, 3); // tables 29-1, 29-4, 29-6: bits 7:3 of a PML4E, or of a PDPTE/PDE that references a table
        var memoryType = (entry >> 3) & 7;
        var reserved = memoryType is 2 or 3 or 7 ? entry & Field(5, 3) : 0;
        return level switch
        {
            1 => reserved | Field(29, 12), // table 29-3: 1 GiB page
            2 => reserved | Field(20, 12), // table 29-5: 2 MiB page
            _ => reserved,
        };
    }
}
