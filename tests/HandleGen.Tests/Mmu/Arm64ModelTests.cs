using HandleGen.Tests.Mmu.Models;
using static HandleGen.Tests.Mmu.Models.MmuAccess;

namespace HandleGen.Tests.Mmu;

/// <summary>
/// <see cref="Arm64Model"/> on hand-built tables, expected values computed in the comments from the Arm ARM (D8).
/// Descriptor bits: [1:0] type (0b11 table/page, 0b01 block), AP[2:1] bits 7:6, AF bit 10, DBM bit 51, PXN 53, UXN 54;
/// in table descriptors PXNTable 59, UXNTable 60, APTable 62:61.
/// </summary>
public sealed class Arm64ModelTests
{
    // Level 0 at 0x1000, level 1 at 0x2000, level 2 at 0x3000, level 3 at 0x4000. va 0x80_8060_4abc: indices (47:39) 1,
    // (38:30) 2, (29:21) 3, (20:12) 4 → descriptors at 0x1008, 0x2010, 0x3018, 0x4020.
    private const ulong Va = 0x80_8060_4abc;

    // 0xabcd443 = page 0xabcd000 | AF (0x400) | AP[2:1] = 01 (0x40, EL1 and EL0 read/write) | 0b11.
    private static Ram Tables(ulong page = 0xabcd443) => new Ram(0x5000)
        .Set(0x1008, 0x2003).Set(0x2010, 0x3003).Set(0x3018, 0x4003).Set(0x4020, page);

    private static MmuResult Walk(Ram ram, MmuAccess access, Arm64Mode mode = default, ulong va = Va) => Arm64Model.Walk(ram, 0x1000, va, access, mode);

    [Fact]
    public void A_page_a_2_MiB_block_and_a_1_GiB_block()
    {
        var page = Walk(Tables(), Read | User);
        Assert.Equal((MmuFault.None, 3, 0xabcdabcUL, 0x1000UL, Read | Write | Exec | User), (page.Fault, page.Level, page.Phys, page.PageSize, page.Allowed));

        // Level-2 block 0x4020_0401 (AF, AP 00, 0b01): phys = 0x4020_0000 + (va & 0x1f_ffff = 0x4abc).
        var block2 = Walk(Tables().Set(0x3018, 0x4020_0401), Read);
        Assert.Equal((MmuFault.None, 2, 0x4020_4abcUL, 0x20_0000UL), (block2.Fault, block2.Level, block2.Phys, block2.PageSize));
        // Level-1 block 0x1_4000_0401: phys = 0x1_4000_0000 + (va & 0x3fff_ffff = 0x60_4abc).
        var block1 = Walk(Tables().Set(0x2010, 0x1_4000_0401), Read);
        Assert.Equal((MmuFault.None, 1, 0x1_4060_4abcUL), (block1.Fault, block1.Level, block1.Phys));

        // The same walk from a TTBR1 address (bits 63:48 all ones) and, from 0x1_0000_0000_0000 (bit 48 alone), none.
        Assert.Equal(0xabcdabcUL, Walk(Tables(), Read, va: 0xffff_0080_8060_4abc).Phys);
        Assert.Equal((MmuFault.NotPresent, 0), Stop(Walk(Tables(), Read, va: 0x1_0000_0000_0000)));
    }

    [Fact]
    public void Invalid_and_reserved_descriptor_types_are_translation_faults()
    {
        Assert.Equal((MmuFault.NotPresent, 0), Stop(Walk(Tables().Set(0x1008, 0x2001), Read))); // a block at level 0
        Assert.Equal((MmuFault.NotPresent, 3), Stop(Walk(Tables(0xabcd441), Read))); // 0b01 at level 3
        Assert.Equal((MmuFault.NotPresent, 2), Stop(Walk(Tables().Set(0x3018, 0x4002), Read))); // 0b10: bit 0 clear
        Assert.Equal((MmuFault.Reserved, 1), Stop(Walk(Tables().Set(0x2010, 0x1_0000_0000_3003), Read))); // bit 48: address size
        Assert.Equal((MmuFault.Reserved, 3), Stop(Walk(Tables(0x1_0000_0abc_d443), Read)));
        Assert.Equal((MmuFault.Memory, 2), Stop(Walk(Tables().Set(0x2010, 0x10_0000_0003), Read))); // a table at 64 GiB
    }

    [Fact]
    public void AP_decides_EL0_and_EL1_and_an_EL0_writable_page_is_never_EL1_executable()
    {
        var shared = Walk(Tables(), Exec);
        Assert.Equal((MmuFault.Protection, Read | Write | User), (shared.Fault, shared.Allowed));

        var kernel = Tables(0xabcd403); // AP 00: EL1 read/write, EL0 nothing (but UXN clear: EL0 may execute)
        Assert.Equal(Read | Write | Exec, Walk(kernel, Exec).Allowed);
        var el0 = Walk(kernel, Read | User);
        Assert.Equal((MmuFault.Protection, Exec), (el0.Fault, el0.Allowed));

        var readOnly = Tables(0xabcd4c3); // AP 11: read-only at both
        Assert.Equal(MmuFault.Protection, Walk(readOnly, Write).Fault);
        Assert.Equal(MmuFault.None, Walk(readOnly, Exec).Fault); // not writable at EL0, so EL1 may execute it
        Assert.Equal(MmuFault.Protection, Walk(Tables(0x0040_0000_0abc_d4c3), Exec | User).Fault); // UXN (bit 54)
        Assert.Equal(MmuFault.Protection, Walk(Tables(0x0020_0000_0abc_d4c3), Exec).Fault); // PXN (bit 53)
    }

    [Fact]
    public void Table_descriptors_take_permissions_away_below()
    {
        Assert.Equal(MmuFault.Protection, Walk(Tables().Set(0x2010, 0x2000_0000_0000_3003), Read | User).Fault); // APTable[0]
        Assert.Equal(MmuFault.None, Walk(Tables().Set(0x2010, 0x2000_0000_0000_3003), Write).Fault); // EL1 keeps it
        Assert.Equal(MmuFault.Protection, Walk(Tables().Set(0x2010, 0x4000_0000_0000_3003), Write).Fault); // APTable[1]
        Assert.Equal(MmuFault.Protection, Walk(Tables().Set(0x2010, 0x1000_0000_0000_3003), Exec | User).Fault); // UXNTable
        Assert.Equal(MmuFault.Protection, Walk(Tables(0xabcd4c3).Set(0x1008, 0x0800_0000_0000_2003), Exec).Fault); // PXNTable
    }

    [Fact]
    public void AF_clear_faults_without_HA_and_is_set_with_it()
    {
        var ram = Tables(0xabcd043); // AF clear
        var fault = Walk(ram, Read);
        Assert.Equal((MmuFault.AccessFlag, 3, 0xabcdabcUL), (fault.Fault, fault.Level, fault.Phys));
        // Access flag before permission: a write to AP 11 with AF clear (0xabcd0c3) is an access flag fault.
        Assert.Equal(MmuFault.AccessFlag, Walk(Tables(0xabcd0c3), Write).Fault);
        Assert.Equal([new(0x4020, 0xabcd043, 0xabcd443)], Walk(ram, Read, new Arm64Mode(Ha: true)).Updates);
    }

    [Fact]
    public void A_write_to_a_writable_clean_DBM_page_clears_AP2_with_HD_and_faults_without()
    {
        var clean = Tables(0x0008_0000_0abc_d4c3); // DBM | AF | AP 11
        Assert.Equal(MmuFault.Protection, Walk(clean, Write | User, new Arm64Mode(Ha: true)).Fault);
        Assert.Equal(MmuFault.Protection, Walk(clean, Write | User, new Arm64Mode(Hd: true)).Fault); // HD needs HA
        var dirty = Walk(clean, Write | User, new Arm64Mode(Ha: true, Hd: true));
        Assert.Equal((MmuFault.None, Read | Write | Exec | User), (dirty.Fault, dirty.Allowed));
        Assert.Equal([new(0x4020, 0x0008_0000_0abc_d4c3, 0x0008_0000_0abc_d443)], dirty.Updates); // AP[2] (0x80) cleared
        Assert.Empty(Walk(clean, Read | User, new Arm64Mode(Ha: true, Hd: true)).Updates); // a read leaves it clean

        // APTable[1] still forbids the write: no dirty state, a permission fault.
        Assert.Equal(MmuFault.Protection, Walk(clean.Set(0x2010, 0x4000_0000_0000_3003), Write | User, new Arm64Mode(Ha: true, Hd: true)).Fault);
    }

    private static (MmuFault, int) Stop(MmuResult result) => (result.Fault, result.Level);
}
