using System;
using HandleGen.Runtime;

namespace HandleGen.Tests.Runtime;

/// <summary>The runtime on its own: direct map bounds, allocator counts, alignment, zeroing and misuse.</summary>
[Collection(PhysicalMemoryCollection.Name)]
public sealed unsafe class RuntimeTests
{
    [Fact]
    public void Direct_map_is_a_fixed_offset_and_checks_bounds()
    {
        using (var memory = new PhysicalMemory(64 * 4096))
        {
            var p = (byte*)DirectMap.__va(0x3000);
            Assert.Equal((nuint)p - 0x3000, DirectMap.PAGE_OFFSET);
            Assert.Equal(0x3000UL, DirectMap.__pa(p));
            Assert.Equal(0x3fffUL, DirectMap.__pa(p + 0xfff));
            Assert.Equal(0x3fffUL, DirectMap.__pa(DirectMap.__va(0x3fff)));

            var past = Assert.Throws<ArgumentOutOfRangeException>(() => DirectMap.__va(64 * 4096));
            Assert.Contains("0x40000", past.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => DirectMap.__va(0)); // page 0 is reserved
            Assert.Throws<ArgumentOutOfRangeException>(() => DirectMap.__va(0xfff));
            Assert.Throws<ArgumentOutOfRangeException>(() => DirectMap.__va(ulong.MaxValue));
            var foreign = System.Runtime.InteropServices.NativeMemory.Alloc(8);
            Assert.Throws<ArgumentOutOfRangeException>(() => DirectMap.__pa(foreign));
            System.Runtime.InteropServices.NativeMemory.Free(foreign);
            Assert.Throws<InvalidOperationException>(() => new PhysicalMemory(8 * 4096));
        }

        Assert.False(DirectMap.IsAttached);
        Assert.Contains("No physical memory", Assert.Throws<InvalidOperationException>(() => DirectMap.__va(0x1000)).Message);
    }

    [Theory]
    [InlineData(4096UL, 12)]
    [InlineData(3 * 4096UL + 1, 12)]
    [InlineData(1UL << 20, 8)]
    public void Unusable_sizes_are_refused(ulong size, int pageShift) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhysicalMemory(size, pageShift));

    [Fact]
    public void Tables_are_zeroed_aligned_counted_and_reused()
    {
        using var memory = new PhysicalMemory(16 * 4096);
        var allocator = new PageTableAllocator(memory);
        Assert.Equal(15, allocator.FreePages);

        var pgd = (byte*)allocator.Alloc(PageTableLevel.Pgd, 4096);
        Assert.Equal(0x1000UL, DirectMap.__pa(pgd)); // lowest page first, never page 0
        var small = (byte*)allocator.Alloc(PageTableLevel.Pud, 32); // smaller than a page: still a page of its own
        Assert.Equal(0x2000UL, DirectMap.__pa(small));
        var pte = (ulong*)allocator.Alloc(PageTableLevel.Pte, 4096);
        Assert.Equal(0UL, DirectMap.__pa(pte) % 4096);
        for (var i = 0; i < 512; i++)
            Assert.Equal(0UL, pte[i]);

        Assert.Equal(1, allocator.Live(PageTableLevel.Pgd));
        Assert.Equal(0, allocator.Live(PageTableLevel.P4d));
        Assert.Equal(1, allocator.Live(PageTableLevel.Pud));
        Assert.Equal(1, allocator.Live(PageTableLevel.Pte));
        Assert.Equal(3, allocator.LiveTotal);
        Assert.Equal(3 * 4096UL, allocator.BytesInUse);

        for (var i = 0; i < 512; i++)
            pte[i] = ulong.MaxValue;
        allocator.Free(PageTableLevel.Pte, pte);
        Assert.Equal(0, allocator.Live(PageTableLevel.Pte));
        Assert.Equal(1, allocator.AllocatedEver(PageTableLevel.Pte));
        var again = (ulong*)allocator.Alloc(PageTableLevel.Pmd, 4096);
        Assert.True(again == pte, "a freed page is the next one reused");
        for (var i = 0; i < 512; i++)
            Assert.Equal(0UL, again[i]); // zeroed again after use

        allocator.Free(PageTableLevel.Pmd, again);
        allocator.Free(PageTableLevel.Pud, small);
        allocator.Free(PageTableLevel.Pgd, pgd);
        Assert.Equal(0, allocator.LiveTotal);
        Assert.Equal(0UL, allocator.BytesInUse);
    }

    [Fact]
    public void Misuse_raises_clear_exceptions()
    {
        using var memory = new PhysicalMemory(4 * 4096);
        var allocator = new PageTableAllocator(memory);
        var a = allocator.Alloc(PageTableLevel.Pte, 4096);

        Assert.Contains("Double free", Assert.Throws<InvalidOperationException>(() =>
        {
            var b = allocator.Alloc(PageTableLevel.Pte, 4096);
            allocator.Free(PageTableLevel.Pte, b);
            allocator.Free(PageTableLevel.Pte, b);
        }).Message);
        Assert.Contains("allocated as a Pte table", Assert.Throws<InvalidOperationException>(() => allocator.Free(PageTableLevel.Pmd, a)).Message);
        var foreign = System.Runtime.InteropServices.NativeMemory.Alloc(8);
        Assert.Throws<ArgumentException>(() => allocator.Free(PageTableLevel.Pte, foreign));
        System.Runtime.InteropServices.NativeMemory.Free(foreign);
        Assert.Throws<ArgumentException>(() => allocator.Free(PageTableLevel.Pte, (byte*)a + 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.Alloc(PageTableLevel.Pte, 8192));
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.Alloc(PageTableLevel.Pte, 24));
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.Alloc((PageTableLevel)7, 4096));

        allocator.Alloc(PageTableLevel.Pmd, 4096);
        allocator.Alloc(PageTableLevel.Pud, 4096);
        var full = Assert.Throws<PhysicalMemoryExhaustedException>(() => allocator.Alloc(PageTableLevel.Pgd, 4096));
        Assert.Contains("Out of physical memory", full.Message);
        Assert.Equal(3, allocator.LiveTotal); // the failed allocation changed nothing
    }
}
