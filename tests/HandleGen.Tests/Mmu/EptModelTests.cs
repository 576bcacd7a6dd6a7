using HandleGen.Tests.Mmu.Models;
using static HandleGen.Tests.Mmu.Models.MmuAccess;

namespace HandleGen.Tests.Mmu;

/// <summary>
/// <see cref="EptModel"/> on hand-built tables, expected values computed in the comments from Intel SDM vol. 3C ch. 29.
/// Bits: R 0x1, W 0x2, X 0x4, memory type 5:3 (write-back 6 = 0x30), page bit 7 (0x80), A 0x100, D 0x200.
/// </summary>
public sealed class EptModelTests
{
    // PML4 at 0x1000, PDPT at 0x2000, PD at 0x3000, PT at 0x4000. gpa 0x80_8060_4abc: indices 1, 2, 3, 4 →
    // entries at 0x1008, 0x2010, 0x3018, 0x4020.
    private const ulong Gpa = 0x80_8060_4abc;

    // Tables RWX (7); the page 0xabcd037 = 0xabcd000 | write-back (0x30) | RWX.
    private static Ram Tables(ulong pte = 0xabcd037) => new Ram(0x5000)
        .Set(0x1008, 0x2007).Set(0x2010, 0x3007).Set(0x3018, 0x4007).Set(0x4020, pte);

    private static MmuResult Walk(Ram ram, MmuAccess access, EptMode mode = default) => EptModel.Walk(ram, 0x1000, Gpa, access, mode);

    [Fact]
    public void A_4_KiB_page_with_AD_enabled_sets_A_everywhere_and_D_on_the_leaf()
    {
        var read = Walk(Tables(), Read);
        Assert.Equal((MmuFault.None, 3, 0xabcdabcUL, Read | Write | Exec), (read.Fault, read.Level, read.Phys, read.Allowed));
        Assert.Empty(read.Updates); // A/D disabled: bits 8 and 9 are ignored
        var write = Walk(Tables(), Write, new EptMode(Ad: true));
        Assert.Equal([new(0x1008, 0x2007, 0x2107), new(0x2010, 0x3007, 0x3107), new(0x3018, 0x4007, 0x4107), new(0x4020, 0xabcd037, 0xabcd337)], write.Updates);
    }

    [Fact]
    public void Bit_7_maps_2_MiB_and_1_GiB_pages()
    {
        // PDE 0x4020_00b7 = 0x4020_0000 | page | write-back | RWX: phys 0x4020_0000 + 0x4abc.
        var pd = Walk(Tables().Set(0x3018, 0x4020_00b7), Read);
        Assert.Equal((MmuFault.None, 2, 0x4020_4abcUL, 0x20_0000UL), (pd.Fault, pd.Level, pd.Phys, pd.PageSize));
        var pdpt = Walk(Tables().Set(0x2010, 0x1_4000_00b7), Read);
        Assert.Equal((MmuFault.None, 1, 0x1_4060_4abcUL, 0x4000_0000UL), (pdpt.Fault, pdpt.Level, pdpt.Phys, pdpt.PageSize));
    }

    [Fact]
    public void Misconfigurations_are_reserved_and_empty_entries_not_present()
    {
        Assert.Equal((MmuFault.NotPresent, 2), Stop(Walk(Tables().Set(0x3018, 0x4000), Read))); // bits 2:0 clear
        Assert.Equal((MmuFault.Reserved, 3), Stop(Walk(Tables(0xabcd032), Read))); // write without read
        Assert.Equal((MmuFault.Reserved, 3), Stop(Walk(Tables(0xabcd017), Read))); // memory type 2
        Assert.Equal((MmuFault.Reserved, 0), Stop(Walk(Tables().Set(0x1008, 0x2087), Read))); // bit 7 in a PML4E
        Assert.Equal((MmuFault.Reserved, 1), Stop(Walk(Tables().Set(0x2010, 0x3017), Read))); // bit 4 in a table PDPTE
        Assert.Equal((MmuFault.Reserved, 2), Stop(Walk(Tables().Set(0x3018, 0x4020_10b7), Read))); // bit 12 in a 2 MiB page
        Assert.Equal((MmuFault.Memory, 0), Stop(EptModel.Walk(Tables(), 0x10_0000_0000, Gpa, Read, default))); // root outside RAM
    }

    [Fact]
    public void Permissions_are_ANDed_over_the_levels_and_execute_only_is_allowed()
    {
        var noWrite = Walk(Tables().Set(0x2010, 0x3005), Write); // PDPT entry R and X only
        Assert.Equal((MmuFault.Protection, Read | Exec), (noWrite.Fault, noWrite.Allowed));
        Assert.Empty(Walk(Tables().Set(0x2010, 0x3005), Write, new EptMode(Ad: true)).Updates);

        var executeOnly = Tables(0xabcd034);
        Assert.Equal(MmuFault.Protection, Walk(executeOnly, Read).Fault);
        var fetch = Walk(executeOnly, Exec);
        Assert.Equal((MmuFault.None, Exec), (fetch.Fault, fetch.Allowed));
    }

    private static (MmuFault, int) Stop(MmuResult result) => (result.Fault, result.Level);
}
