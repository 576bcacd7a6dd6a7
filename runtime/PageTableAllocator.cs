using System;
using System.Runtime.InteropServices;

namespace HandleGen.Runtime;

/// <summary>
/// Hands out page-table pages of a <see cref="PhysicalMemory"/>: zeroed, aligned to their size, counted
/// per level, and taken back with checks that turn a double free or a stray pointer into an exception.
/// </summary>
/// <remarks>
/// Every table takes a page of its own, even a top-level table smaller than a page (as most Linux arches
/// do), so every table is aligned to a page and therefore to its size. Freed pages are filled with a
/// poison pattern, so a walk through a stale entry fails loudly in <see cref="DirectMap.__va"/> rather
/// than reading what looks like a table. Pages are handed out lowest address first, and a freed page is
/// the next one reused. Not thread-safe: callers serialize, as a kernel would under its page-table lock.
/// </remarks>
public sealed unsafe class PageTableAllocator
{
    private const byte FreePage = 0xff;
    private const byte PoisonByte = 0xa5;

    private static PageTableAllocator? current;

    private readonly PhysicalMemory memory;
    private readonly int[] freePages;
    private readonly byte[] owner;
    private readonly int[] live = new int[5];
    private readonly long[] allocated = new long[5];
    private int freeCount;

    /// <summary>Manages every page of <paramref name="memory"/> but the reserved page 0.</summary>
    /// <param name="memory">The live physical memory the tables live in.</param>
    /// <exception cref="InvalidOperationException">The memory is disposed or not the one the direct map translates.</exception>
    public PageTableAllocator(PhysicalMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        memory.ThrowIfDisposed();
        if (!memory.IsLive)
            throw new InvalidOperationException("The physical memory is not the one the direct map translates.");
        this.memory = memory;
        var pages = memory.Pages;
        owner = new byte[pages];
        owner.AsSpan().Fill(FreePage);
        freePages = new int[pages - 1];
        for (var page = pages - 1; page >= 1; page--)
            freePages[freeCount++] = page;
        current = this;
    }

    /// <summary>
    /// The allocator made last over the live physical memory: what the generated <c>pXX_alloc</c> helpers allocate
    /// from with <c>HandleGenDirectMap=runtime</c>, as a kernel has one page allocator.
    /// </summary>
    /// <exception cref="InvalidOperationException">No allocator was made over the live physical memory.</exception>
    public static PageTableAllocator Current => current is { } allocator && allocator.memory.IsLive
        ? allocator
        : throw new InvalidOperationException("No page-table allocator over live physical memory: make a HandleGen.Runtime.PageTableAllocator before allocating tables.");

    /// <summary>The physical memory the tables live in.</summary>
    public PhysicalMemory Memory => memory;

    /// <summary>Pages still free for tables.</summary>
    public int FreePages => freeCount;

    /// <summary>Live tables of all levels together.</summary>
    public int LiveTotal => live[0] + live[1] + live[2] + live[3] + live[4];

    /// <summary>Bytes of physical memory the live tables take: a page each.</summary>
    public ulong BytesInUse => (ulong)LiveTotal << memory.PageShift;

    /// <summary>Tables of <paramref name="level"/> allocated and not yet freed.</summary>
    /// <param name="level">The level to count.</param>
    public int Live(PageTableLevel level) => live[Index(level)];

    /// <summary>Tables of <paramref name="level"/> allocated since the allocator was made, freed ones included.</summary>
    /// <param name="level">The level to count.</param>
    public long AllocatedEver(PageTableLevel level) => allocated[Index(level)];

    /// <summary>Allocates a zeroed table of <paramref name="tableBytes"/> bytes for <paramref name="level"/>.</summary>
    /// <param name="level">The level the table serves, for the counts and for checking its free.</param>
    /// <param name="tableBytes">The table's size: a power of two no larger than a page.</param>
    /// <returns>The table's direct-map address; <see cref="DirectMap.__pa"/> gives its physical address.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The size is not a power of two up to a page.</exception>
    /// <exception cref="PhysicalMemoryExhaustedException">No page is free.</exception>
    public void* Alloc(PageTableLevel level, int tableBytes)
    {
        var index = Index(level);
        if (tableBytes <= 0 || (tableBytes & (tableBytes - 1)) != 0 || (ulong)tableBytes > memory.PageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(tableBytes), tableBytes,
                PhysicalMemory.Invariant($"A table is a power of two bytes no larger than a page ({memory.PageSize})."));
        }

        memory.ThrowIfDisposed();
        if (freeCount == 0)
        {
            throw new PhysicalMemoryExhaustedException(PhysicalMemory.Invariant(
                $"Out of physical memory: all {memory.Pages - 1} pages hold tables (live pgd/p4d/pud/pmd/pte: {live[0]}/{live[1]}/{live[2]}/{live[3]}/{live[4]}) and a {level} table was asked for."));
        }

        var page = freePages[--freeCount];
        owner[page] = (byte)index;
        live[index]++;
        allocated[index]++;
        var table = DirectMap.__va((ulong)page << memory.PageShift);
        NativeMemory.Clear(table, (nuint)memory.PageSize);
        return table;
    }

    /// <summary>Gives a table back; its page is poisoned and reused.</summary>
    /// <param name="level">The level it was allocated for.</param>
    /// <param name="table">The address <see cref="Alloc"/> returned.</param>
    /// <exception cref="ArgumentException">The pointer is not the start of a page of this memory.</exception>
    /// <exception cref="InvalidOperationException">The table is free already, or was allocated for another level.</exception>
    public void Free(PageTableLevel level, void* table)
    {
        var index = Index(level);
        memory.ThrowIfDisposed();
        var offset = unchecked((ulong)((byte*)table - (byte*)DirectMap.PAGE_OFFSET));
        if (offset >= memory.Size || offset < memory.PageSize || (offset & (memory.PageSize - 1)) != 0)
        {
            throw new ArgumentException(PhysicalMemory.Invariant(
                $"Pointer 0x{(nuint)table:x} is not a table of this allocator: tables start on a page boundary inside physical memory, past page 0."), nameof(table));
        }

        var page = (int)(offset >> memory.PageShift);
        if (owner[page] == FreePage)
            throw new InvalidOperationException(PhysicalMemory.Invariant($"Double free: the {level} table at physical address 0x{offset:x} is not allocated."));
        if (owner[page] != index)
        {
            throw new InvalidOperationException(PhysicalMemory.Invariant(
                $"The table at physical address 0x{offset:x} was allocated as a {(PageTableLevel)owner[page]} table and is being freed as a {level} table."));
        }

        owner[page] = FreePage;
        live[index]--;
        NativeMemory.Fill(table, (nuint)memory.PageSize, PoisonByte);
        freePages[freeCount++] = page;
    }

    private static int Index(PageTableLevel level) => level is >= PageTableLevel.Pgd and <= PageTableLevel.Pte
        ? (int)level
        : throw new ArgumentOutOfRangeException(nameof(level), level, "Not a page-table level.");
}
