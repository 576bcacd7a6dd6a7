using HandleGen.Tests.Mmu.Models;
using static HandleGen.Tests.Mmu.Models.MmuAccess;

namespace HandleGen.Tests.Mmu;

/// <summary>
/// <see cref="RiscVModel"/> on hand-built Sv39 and Sv48 tables, expected values computed in the comments from the
/// privileged spec. PTE bits: V 0x1, R 0x2, W 0x4, X 0x8, U 0x10, G 0x20, A 0x40, D 0x80; the PPN starts at bit 10,
/// so a table or page at physical P has the PTE (P >> 12) << 10 = P >> 2 plus its flags.
/// </summary>
public sealed class RiscVModelTests
{
    // Sv39: root at 0x1000, level-1 table at 0x2000, level-0 table at 0x3000. va 0x4060_4abc: vpn[2] (38:30) 1 → PTE at
    // 0x1008; vpn[1] (29:21) 3 → 0x2018; vpn[0] (20:12) 4 → 0x3020; offset 0xabc.
    private const ulong Va = 0x4060_4abc;
    private static readonly RiscVMode Sv39 = new(3);

    // 0x801 = (0x2000 >> 2) | V and 0xc01 = (0x3000 >> 2) | V: pointers. 0x2af3_4df = (0xabcd000 >> 2) | D|A|U|X|W|R|V.
    private static Ram Tables(ulong leaf = 0x2af3_4df) => new Ram(0x4000).Set(0x1008, 0x801).Set(0x2018, 0xc01).Set(0x3020, leaf);

    private static MmuResult Walk(Ram ram, MmuAccess access, RiscVMode mode) => RiscVModel.Walk(ram, 0x1000, Va, access, mode);

    [Fact]
    public void A_4_KiB_page_and_a_2_MiB_megapage()
    {
        var page = Walk(Tables(), Read | User, Sv39);
        Assert.Equal((MmuFault.None, 2, 0xabcdabcUL, 0x1000UL, Read | Write | Exec | User), (page.Fault, page.Level, page.Phys, page.PageSize, page.Allowed));
        Assert.Empty(page.Updates);

        // Level-1 PTE 0x10_00cf = (0x40_0000 >> 2) | D|A|X|W|R|V: a megapage at 0x40_0000 (ppn 0x400, ppn[0] = 0).
        // phys = 0x40_0000 + (va & 0x1f_ffff = 0x4abc).
        var mega = Walk(Tables().Set(0x2018, 0x10_00cf), Read | Write, Sv39);
        Assert.Equal((MmuFault.None, 1, 0x40_4abcUL, 0x20_0000UL), (mega.Fault, mega.Level, mega.Phys, mega.PageSize));
    }

    [Fact]
    public void Reserved_encodings_invalid_entries_and_misaligned_superpages_fault()
    {
        Assert.Equal((MmuFault.NotPresent, 1), Stop(Walk(Tables().Set(0x2018, 0xc00), Read, Sv39))); // V clear
        Assert.Equal((MmuFault.Reserved, 2), Stop(Walk(Tables(0x2af3_4d5), Read, Sv39))); // W without R: 0xd5 = D|A|U|W|V
        Assert.Equal((MmuFault.Reserved, 1), Stop(Walk(Tables().Set(0x2018, 0xc41), Read, Sv39))); // A in a pointer
        Assert.Equal((MmuFault.Reserved, 1), Stop(Walk(Tables().Set(0x2018, 0xc11), Read, Sv39))); // U in a pointer
        Assert.Equal((MmuFault.Reserved, 2), Stop(Walk(Tables(0x0040_0000_02af_34dfUL), Read, Sv39))); // bit 54
        Assert.Equal((MmuFault.NotPresent, 2), Stop(Walk(Tables(0x2af3_401), Read, Sv39))); // a pointer at level 0

        // Level-1 PTE 0x10_04cf: ppn 0x401, whose ppn[0] (low 9 bits) is 1, not 0.
        Assert.Equal((MmuFault.Misaligned, 1), Stop(Walk(Tables().Set(0x2018, 0x10_04cf), Read, Sv39)));

        // A level-1 table at 0x1_0000_0000 (PTE 0x4000_0001) is outside the 16 KiB RAM.
        Assert.Equal((MmuFault.Memory, 2), Stop(Walk(Tables().Set(0x2018, 0x4000_0001), Read, Sv39)));

        // Sv39 addresses are bits 38:0 sign-extended: 0x40_0000_0000 has bit 38 set and bits 63:39 clear.
        Assert.Equal((MmuFault.NotPresent, 0), Stop(RiscVModel.Walk(Tables(), 0x1000, 0x40_0000_0000, Read, Sv39)));
    }

    [Fact]
    public void SUM_opens_user_pages_to_supervisor_loads_and_stores_but_never_fetches()
    {
        var ram = Tables(); // a U page
        Assert.Equal(MmuFault.Protection, Walk(ram, Read, Sv39).Fault);
        var sum = Sv39 with { Sum = true };
        Assert.Equal(MmuFault.None, Walk(ram, Read | Write, sum).Fault);
        Assert.Equal((MmuFault.Protection, Read | Write | User), (Walk(ram, Exec, sum).Fault, Walk(ram, Exec, sum).Allowed));

        // 0x2af3_4cf: the same page without U: a user access may do nothing; a supervisor one everything.
        var user = Walk(Tables(0x2af3_4cf), Read | User, Sv39);
        Assert.Equal((MmuFault.Protection, None), (user.Fault, user.Allowed));
        Assert.Equal(MmuFault.None, Walk(Tables(0x2af3_4cf), Exec, Sv39).Fault);
    }

    [Fact]
    public void MXR_makes_execute_only_pages_readable()
    {
        var ram = Tables(0x2af3_4c9); // D|A|X|V: execute-only, supervisor
        Assert.Equal(MmuFault.Protection, Walk(ram, Read, Sv39).Fault);
        Assert.Equal(MmuFault.None, Walk(ram, Read, Sv39 with { Mxr = true }).Fault);
        Assert.Equal(MmuFault.None, Walk(ram, Exec, Sv39).Fault);
    }

    [Fact]
    public void Without_Svadu_A_clear_or_D_clear_on_a_store_faults_with_it_they_are_set()
    {
        var clean = Tables(0x2af3_44f); // A|X|W|R|V: accessed, not dirty
        Assert.Equal(MmuFault.None, Walk(clean, Read, Sv39).Fault);
        var store = Walk(clean, Write, Sv39);
        Assert.Equal((MmuFault.AccessFlag, 0xabcdabcUL), (store.Fault, store.Phys));
        Assert.Equal([new(0x3020, 0x2af3_44f, 0x2af3_4cf)], Walk(clean, Write, Sv39 with { Svadu = true }).Updates); // D = 0x80

        var fresh = Tables(0x2af3_40f); // X|W|R|V: neither A nor D
        Assert.Equal(MmuFault.AccessFlag, Walk(fresh, Read, Sv39).Fault);
        Assert.Equal([new(0x3020, 0x2af3_40f, 0x2af3_44f)], Walk(fresh, Read, Sv39 with { Svadu = true }).Updates); // A = 0x40
        Assert.Empty(Walk(fresh, Write | User, Sv39 with { Svadu = true }).Updates); // a denied access updates nothing
    }

    [Fact]
    public void Sv48_adds_a_level_on_top_and_gigapages_are_one_level_lower()
    {
        // va 0x80_4060_4abc: vpn[3] (47:39) 1 → 0x5008 in a root at 0x5000, pointing to the Sv39 tables at 0x1000 (0x401).
        var ram = new Ram(0x6000).Set(0x5008, 0x401).Set(0x1008, 0x801).Set(0x2018, 0xc01).Set(0x3020, 0x2af3_4df);
        var sv48 = new RiscVMode(4);
        var walk = RiscVModel.Walk(ram, 0x5000, 0x80_4060_4abc, Read | User, sv48);
        Assert.Equal((MmuFault.None, 3, 0xabcdabcUL), (walk.Fault, walk.Level, walk.Phys));

        // Level-2 PTE 0x1000_00cf = (0x4000_0000 >> 2) | D|A|X|W|R|V: a gigapage; phys = 0x4000_0000 + 0x60_4abc.
        var giga = RiscVModel.Walk(ram.Set(0x1008, 0x1000_00cf), 0x5000, 0x80_4060_4abc, Read, sv48);
        Assert.Equal((MmuFault.None, 1, 0x4060_4abcUL, 0x4000_0000UL), (giga.Fault, giga.Level, giga.Phys, giga.PageSize));
    }

    private static (MmuFault, int) Stop(MmuResult result) => (result.Fault, result.Level);
}
