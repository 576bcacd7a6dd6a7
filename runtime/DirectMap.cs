using System;
using System.Runtime.CompilerServices;

namespace HandleGen.Runtime;

/// <summary>
/// The kernel's direct map: every physical address of the live <see cref="PhysicalMemory"/> at a fixed
/// offset in virtual memory. Generated walkers use <see cref="__va"/> to reach the next table from the
/// physical address in an entry, and <see cref="__pa"/> to put a table's physical address into one.
/// </summary>
/// <remarks>
/// Both conversions are bounds-checked: an address outside the memory, or inside the reserved page 0
/// (where a walk through a "none" entry would land), throws instead of touching unrelated memory.
/// </remarks>
public static unsafe class DirectMap
{
    private static byte* start;
    private static ulong size;
    private static ulong firstValid;

    /// <summary>True while a <see cref="PhysicalMemory"/> is live.</summary>
    public static bool IsAttached => start != null;

    /// <summary>The virtual address of physical address 0 (Linux's <c>PAGE_OFFSET</c>).</summary>
    public static nuint PAGE_OFFSET => (nuint)start;

    /// <summary>The direct-map pointer of a physical address (Linux's <c>__va</c>).</summary>
    /// <param name="pa">A physical address inside the live physical memory, past the reserved page 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">The address is outside the physical memory or in page 0.</exception>
    /// <exception cref="InvalidOperationException">No physical memory is live.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void* __va(ulong pa)
    {
        if (pa - firstValid >= size - firstValid || start == null)
            throw OutOfRange(pa);
        return start + pa;
    }

    /// <summary>The physical address of a direct-map pointer (Linux's <c>__pa</c>).</summary>
    /// <param name="va">A pointer into the live physical memory, past the reserved page 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">The pointer is not into the physical memory, or is in page 0.</exception>
    /// <exception cref="InvalidOperationException">No physical memory is live.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong __pa(void* va)
    {
        var pa = unchecked((ulong)((byte*)va - start));
        if (pa - firstValid >= size - firstValid || start == null)
            throw NotMapped(va);
        return pa;
    }

    internal static void Attach(byte* region, ulong bytes, ulong pageSize)
    {
        start = region;
        size = bytes;
        firstValid = pageSize;
    }

    internal static void Detach()
    {
        start = null;
        size = 0;
        firstValid = 0;
    }

    private static Exception OutOfRange(ulong pa) => start == null
        ? NoMemory()
        : new ArgumentOutOfRangeException(nameof(pa), PhysicalMemory.Invariant(
            $"Physical address 0x{pa:x} is outside physical memory [0x{firstValid:x}, 0x{size:x}) (page 0 is reserved): is the entry it came from none, or corrupt?"));

    private static Exception NotMapped(void* va) => start == null
        ? NoMemory()
        : new ArgumentOutOfRangeException(nameof(va), PhysicalMemory.Invariant(
            $"Pointer 0x{(nuint)va:x} is not in the direct map [0x{(nuint)start + (nuint)firstValid:x}, 0x{(nuint)start + (nuint)size:x}) of physical memory."));

    private static InvalidOperationException NoMemory() =>
        new("No physical memory is live: create a HandleGen.Runtime.PhysicalMemory before walking page tables.");
}
