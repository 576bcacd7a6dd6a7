using System;
using System.Globalization;
using System.Runtime.InteropServices;

namespace HandleGen.Runtime;

/// <summary>
/// Simulated physical memory: one native region whose physical addresses run from 0 to
/// <see cref="Size"/>, reachable through the <see cref="DirectMap"/> as a kernel reaches its RAM.
/// Page 0 is reserved, so no page table ever has physical address 0 (a zero entry stays "none").
/// </summary>
/// <remarks>
/// At most one physical memory is live per process, because <see cref="DirectMap.__va"/> and
/// <see cref="DirectMap.__pa"/> are static like the kernel's. Dispose it to make another.
/// The region is not zeroed as a whole; the <see cref="PageTableAllocator"/> zeroes each table it hands out.
/// </remarks>
public sealed unsafe class PhysicalMemory : IDisposable
{
    private static readonly object Gate = new();
    private static PhysicalMemory? live;

    private byte* region;

    /// <summary>Allocates <paramref name="size"/> bytes of physical memory and makes them the direct map's.</summary>
    /// <param name="size">Bytes of physical memory: a whole number of pages, at least two (page 0 is reserved).</param>
    /// <param name="pageShift">log2 of the page size (the generated <c>PAGE_SHIFT</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The size or page shift is unusable.</exception>
    /// <exception cref="InvalidOperationException">Another physical memory is still live in this process.</exception>
    public PhysicalMemory(ulong size, int pageShift = 12)
    {
        if (pageShift is < 9 or > 30)
            throw new ArgumentOutOfRangeException(nameof(pageShift), pageShift, "The page shift must be between 9 and 30.");
        var pageSize = 1UL << pageShift;
        if (size < 2 * pageSize || size % pageSize != 0 || size / pageSize > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, Invariant(
                $"Physical memory must be a whole number of {pageSize}-byte pages, at least 2 (page 0 is reserved) and at most {int.MaxValue}."));
        }

        lock (Gate)
        {
            if (live is not null)
            {
                throw new InvalidOperationException(Invariant(
                    $"A physical memory of {live.Size} bytes is still live; the direct map holds one at a time. Dispose it first."));
            }

            region = (byte*)NativeMemory.AlignedAlloc((nuint)size, (nuint)pageSize);
            PageShift = pageShift;
            Size = size;
            DirectMap.Attach(region, size, pageSize);
            live = this;
        }
    }

    /// <summary>log2 of the page size.</summary>
    public int PageShift { get; }

    /// <summary>Bytes in a page.</summary>
    public ulong PageSize => 1UL << PageShift;

    /// <summary>Bytes of physical memory; physical addresses run from 0 to this, exclusive.</summary>
    public ulong Size { get; }

    /// <summary>Pages of physical memory, the reserved page 0 included.</summary>
    public int Pages => (int)(Size >> PageShift);

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => region == null;

    /// <summary>True when this memory is the one the direct map translates.</summary>
    internal bool IsLive => live == this;

    /// <summary>Detaches the direct map and frees the region: every pointer into it is dead afterwards.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (region == null)
                return;
            if (live == this)
            {
                DirectMap.Detach();
                live = null;
            }

            NativeMemory.AlignedFree(region);
            region = null;
        }
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the memory is gone.</summary>
    internal void ThrowIfDisposed()
    {
        if (region == null)
            throw new ObjectDisposedException(nameof(PhysicalMemory), "The physical memory has been disposed.");
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
