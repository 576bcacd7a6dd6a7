using System.Linq;
using HandleGen.Tests.Mmu.Models;
using static HandleGen.Tests.Mmu.Models.MmuAccess;

namespace HandleGen.Tests.Mmu;

/// <summary>
/// <see cref="X86Model"/> on tables built by hand, each expected value computed in the comments from Intel SDM vol. 3A
/// ch. 4. Flags: P = 0x1, R/W = 0x2, U/S = 0x4, A = 0x20, D = 0x40, PS = 0x80, XD = bit 63.
/// </summary>
public sealed class X86ModelTests
{
    // 4-level: PML4 at 0x1000, PDPT at 0x2000, PD at 0x3000, PT at 0x4000.
    // va 0x80_8060_4abc: PML4 index (47:39) 1, PDPT index (38:30) 2, PD index (29:21) 3, PT index (20:12) 4, offset 0xabc;
    // so the entries used are at 0x1000 + 1*8 = 0x1008, 0x2000 + 2*8 = 0x2010, 0x3000 + 3*8 = 0x3018, 0x4000 + 4*8 = 0x4020.
    private const ulong Va = 0x80_8060_4abc;
    private static readonly X86Mode Long = new(X86Paging.Level4, Wp: true, Nxe: true);

    private static Ram FourLevel(ulong pte = 0xabcd007) => new Ram(0x5000)
        .Set(0x1008, 0x2007).Set(0x2010, 0x3007).Set(0x3018, 0x4007).Set(0x4020, pte); // each P|R/W|U/S, the next table

    private static MmuResult Walk(Ram ram, MmuAccess access, X86Mode mode) => X86Model.Walk(ram, 0x1000, Va, access, mode);

    [Fact]
    public void A_4_KiB_page_sets_A_on_every_entry_and_D_on_the_leaf_for_a_write()
    {
        var read = Walk(FourLevel(), Read | User, Long);
        // The PTE's frame 0xabcd000 plus the offset 0xabc.
        Assert.Equal((MmuFault.None, 3, 0xabcdabcUL, 0x1000UL, 0xabcd007UL), (read.Fault, read.Level, read.Phys, read.PageSize, read.Entry));
        Assert.Equal(Read | Write | Exec | User, read.Allowed);
        Assert.Equal([new(0x1008, 0x2007, 0x2027), new(0x2010, 0x3007, 0x3027), new(0x3018, 0x4007, 0x4027), new(0x4020, 0xabcd007, 0xabcd027)], read.Updates);

        var write = Walk(FourLevel(0xabcd027), Write | User, Long); // the PTE already has A: only D (0x40) is new there
        Assert.Equal(new AdUpdate(0x4020, 0xabcd027, 0xabcd067), write.Updates[3]);
    }

    [Fact]
    public void PS_maps_2_MiB_in_a_PDE_and_1_GiB_in_a_PDPTE()
    {
        // PDE 0x4020_0087: a 2 MiB frame 0x4020_0000; phys = frame + (va & 0x1f_ffff = 0x4abc).
        var pd = Walk(FourLevel().Set(0x3018, 0x4020_0087), Read, Long);
        Assert.Equal((MmuFault.None, 2, 0x4020_4abcUL, 0x20_0000UL), (pd.Fault, pd.Level, pd.Phys, pd.PageSize));

        // PDPTE 0x1_4000_0087: a 1 GiB frame 0x1_4000_0000; phys = frame + (va & 0x3fff_ffff = 0x60_4abc).
        var pdpt = Walk(FourLevel().Set(0x2010, 0x1_4000_0087), Read, Long);
        Assert.Equal((MmuFault.None, 1, 0x1_4060_4abcUL, 0x4000_0000UL), (pdpt.Fault, pdpt.Level, pdpt.Phys, pdpt.PageSize));
        Assert.Equal(2, pdpt.Updates.Count); // the PML4E and the PDPTE, nothing below
    }

    [Fact]
    public void Not_present_reserved_and_refused_entries_stop_the_walk()
    {
        var absent = Walk(FourLevel().Set(0x3018, 0x4006), Read | User, Long); // PDE without P
        Assert.Equal((MmuFault.NotPresent, 2, 0x4006UL), (absent.Fault, absent.Level, absent.Entry));
        Assert.Equal(0x4u, X86Model.ErrorCode(absent, Read | User, Long)); // U/S only

        var ps = Walk(FourLevel().Set(0x1008, 0x2087), Read | User, Long); // PS in a PML4E is reserved
        Assert.Equal((MmuFault.Reserved, 0), (ps.Fault, ps.Level));
        Assert.Equal(0xdu, X86Model.ErrorCode(ps, Read | User, Long)); // P | U/S | RSVD = 1 + 4 + 8

        // A 2 MiB PDE with bit 13 set (0x4020_2087): bits 20:13 are reserved.
        Assert.Equal(MmuFault.Reserved, Walk(FourLevel().Set(0x3018, 0x4020_2087), Read, Long).Fault);

        // A PD at 0x10_0000_0000 (64 GiB) is outside the 20 KiB RAM: the read of its entry is refused.
        var refused = Walk(FourLevel().Set(0x2010, 0x10_0000_0007), Read, Long);
        Assert.Equal((MmuFault.Memory, 2), (refused.Fault, refused.Level));
    }

    [Fact]
    public void XD_is_reserved_without_NXE_and_forbids_fetches_with_it()
    {
        var ram = FourLevel(0x8000_0000_0abc_d007);
        Assert.Equal(MmuFault.Reserved, Walk(ram, Read, Long with { Nxe = false }).Fault);
        var fetch = Walk(ram, Exec, Long);
        Assert.Equal((MmuFault.Protection, Read | Write | User), (fetch.Fault, fetch.Allowed));
        Assert.Equal(0x11u, X86Model.ErrorCode(fetch, Exec, Long)); // P | I/D
        Assert.Equal(MmuFault.None, Walk(ram, Read, Long).Fault);
    }

    [Fact]
    public void A_user_write_to_a_read_only_page_is_error_code_7_and_WP_decides_supervisor_writes()
    {
        var ram = FourLevel(0xabcd005); // PTE without R/W
        var user = Walk(ram, Write | User, Long);
        Assert.Equal(MmuFault.Protection, user.Fault);
        Assert.Empty(user.Updates);
        Assert.Equal(0x7u, X86Model.ErrorCode(user, Write | User, Long)); // P | W/R | U/S

        var supervisor = Walk(ram, Write, Long);
        Assert.Equal(0x3u, X86Model.ErrorCode(supervisor, Write, Long)); // P | W/R
        Assert.Equal(MmuFault.None, Walk(ram, Write, Long with { Wp = false }).Fault);

        // R/W is ANDed over the levels: a PDPTE without it (0x3005) makes the page read-only too.
        Assert.Equal(MmuFault.Protection, Walk(FourLevel().Set(0x2010, 0x3005), Write | User, Long).Fault);
    }

    [Fact]
    public void User_pages_need_U_S_everywhere_and_SMEP_SMAP_keep_the_supervisor_out()
    {
        var kernelPage = Walk(FourLevel().Set(0x2010, 0x3003), Read | User, Long); // PDPTE without U/S
        Assert.Equal((MmuFault.Protection, None), (kernelPage.Fault, kernelPage.Allowed)); // a user access may do nothing there
        Assert.Equal(0x5u, X86Model.ErrorCode(kernelPage, Read | User, Long));

        var ram = FourLevel(); // a user page
        Assert.Equal(MmuFault.None, Walk(ram, Exec, Long).Fault);
        var smep = Walk(ram, Exec, Long with { Smep = true });
        Assert.Equal(MmuFault.Protection, smep.Fault);
        Assert.Equal(0x11u, X86Model.ErrorCode(smep, Exec, Long with { Smep = true, Nxe = false })); // SMEP alone gives I/D

        Assert.Equal(MmuFault.None, Walk(ram, Read, Long).Fault);
        var smap = Walk(ram, Read, Long with { Smap = true });
        Assert.Equal((MmuFault.Protection, Exec | User), (smap.Fault, smap.Allowed));
        Assert.Equal(0x1u, X86Model.ErrorCode(smap, Read, Long));
    }

    [Fact]
    public void Five_level_paging_adds_a_PML5_whose_PS_is_reserved()
    {
        // va 0x1_0080_8060_4abc: PML5 index (56:48) 1 → entry 0x5008 in a PML5 at 0x5000, then the 4-level tables.
        var ram = new Ram(0x6000).Set(0x5008, 0x1007).Set(0x1008, 0x2007).Set(0x2010, 0x3007).Set(0x3018, 0x4007).Set(0x4020, 0xabcd007);
        var mode = new X86Mode(X86Paging.Level5, Nxe: true);
        var walk = X86Model.Walk(ram, 0x5000, 0x1_0080_8060_4abc, Read, mode);
        Assert.Equal((MmuFault.None, 4, 0xabcdabcUL), (walk.Fault, walk.Level, walk.Phys));
        Assert.Equal(MmuFault.Reserved, X86Model.Walk(ram.Set(0x5008, 0x1087), 0x5000, 0x1_0080_8060_4abc, Read, mode).Fault);

        // A non-canonical address (bit 47 set, bits 63:48 clear, for 4-level paging) maps nothing.
        var nonCanonical = X86Model.Walk(ram, 0x1000, 0x8000_0000_0000, Read, Long);
        Assert.Equal((MmuFault.NotPresent, 0UL), (nonCanonical.Fault, nonCanonical.Entry));
    }

    // 32-bit paging: PD at 0x1000 and PT at 0x2000 with 4-byte entries. va 0x40_3abc: PD index (31:22) 1 → 0x1004;
    // PT index (21:12) 3 → 0x200c; offset 0xabc.
    private static Ram TwoLevel(uint pde) => new Ram(0x3000).Set(0x1004, pde, 4).Set(0x200c, 0x123_4007, 4);

    [Fact]
    public void Bits32_maps_4_MiB_only_with_PSE_and_takes_bits_39_32_from_PSE_36()
    {
        var noPse = new X86Mode(X86Paging.Bits32, Wp: true);
        var small = X86Model.Walk(TwoLevel(0x2007), 0x1000, 0x40_3abc, Write | User, noPse);
        Assert.Equal((MmuFault.None, 1, 0x123_4abcUL), (small.Fault, small.Level, small.Phys));
        Assert.Equal([new(0x1004, 0x2007, 0x2027), new(0x200c, 0x123_4007, 0x123_4067)], small.Updates);

        // PDE 0xc0_0087 (PS): with CR4.PSE a 4 MiB frame 0xc0_0000, phys = 0xc0_0000 + (va & 0x3f_ffff = 0x3abc);
        // without it PS is ignored and the PDE points to a page table at 0xc0_0000, outside the 12 KiB RAM.
        var pse = noPse with { Pse = true };
        var large = X86Model.Walk(TwoLevel(0xc0_0087), 0x1000, 0x40_3abc, Read, pse);
        Assert.Equal((MmuFault.None, 0, 0xc0_3abcUL, 0x40_0000UL), (large.Fault, large.Level, large.Phys, large.PageSize));
        Assert.Equal(MmuFault.Memory, X86Model.Walk(TwoLevel(0xc0_0087), 0x1000, 0x40_3abc, Read, noPse).Fault);

        // PSE-36: bits 20:13 = 5 (0xc0_0087 | 5 << 13 = 0xc0_a087) are physical bits 39:32: 0x5_00c0_3abc.
        Assert.Equal(0x5_00c0_3abcUL, X86Model.Walk(TwoLevel(0xc0_a087), 0x1000, 0x40_3abc, Read, pse).Phys);
        // Bit 21 (0xe0_0087 has bits 23:21 set) is reserved with M = 40: P | RSVD = 0x9.
        var reserved = X86Model.Walk(TwoLevel(0xe0_0087), 0x1000, 0x40_3abc, Read, pse);
        Assert.Equal(0x9u, X86Model.ErrorCode(reserved, Read, pse));
        // 32-bit paging has no XD, so I/D is set for a fetch only by SMEP: a not-present fetch is error code 0.
        Assert.Equal(0x0u, X86Model.ErrorCode(X86Model.Walk(TwoLevel(0), 0x1000, 0x40_3abc, Exec, pse with { Nxe = true }), Exec, pse with { Nxe = true }));
    }

    // PAE: the PDPT at 0x1020 (CR3 bits 31:5), PD at 0x2000, PT at 0x3000. va 0x4060_3abc: PDPT index (31:30) 1 → 0x1028;
    // PD index (29:21) 3 → 0x2018; PT index (20:12) 3 → 0x3018.
    private static Ram Pae(ulong pdpte, ulong pte) => new Ram(0x4000).Set(0x1028, pdpte).Set(0x2018, 0x3007).Set(0x3018, pte);

    [Fact]
    public void Pae_PDPTEs_have_only_P_and_reserve_R_W_and_bits_62_52_are_reserved_below()
    {
        var mode = new X86Mode(X86Paging.Pae, Wp: true, Nxe: true);
        var walk = X86Model.Walk(Pae(0x2001, 0x8000_0000_0abc_d007), 0x1020, 0x4060_3abc, Read | User, mode);
        Assert.Equal((MmuFault.None, 2, 0xabcdabcUL, Read | Write | User), (walk.Fault, walk.Level, walk.Phys, walk.Allowed));
        Assert.Equal([0x2018UL, 0x3018UL], walk.Updates.Select(u => u.Address)); // a PDPTE has no A bit
        Assert.Equal(0x15u, X86Model.ErrorCode(X86Model.Walk(Pae(0x2001, 0x8000_0000_0abc_d007), 0x1020, 0x4060_3abc, Exec | User, mode), Exec | User, mode));

        Assert.Equal(MmuFault.Reserved, X86Model.Walk(Pae(0x2003, 0xabcd007), 0x1020, 0x4060_3abc, Read, mode).Fault); // R/W in a PDPTE
        Assert.Equal(MmuFault.Reserved, X86Model.Walk(Pae(0x2001, 0x10_0000_0abc_d007), 0x1020, 0x4060_3abc, Read, mode).Fault); // bit 52
        Assert.Equal(MmuFault.Reserved, X86Model.Walk(Pae(0x2001, 0x8000_0000_0abc_d007), 0x1020, 0x4060_3abc, Read, mode with { Nxe = false }).Fault);
    }

    [Fact]
    public void Only_faults_that_raise_a_page_fault_have_an_error_code()
    {
        var ok = Walk(FourLevel(), Read, Long);
        Assert.Throws<System.ArgumentException>(() => X86Model.ErrorCode(ok, Read, Long));
    }
}
