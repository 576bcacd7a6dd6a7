using System;
using System.Buffers.Binary;
using HandleGen.Tests.Mmu.Models;

namespace HandleGen.Tests.Mmu;

/// <summary>A small guest RAM at physical address 0 for the model tests: it refuses every access that does not lie wholly inside it.</summary>
internal sealed class Ram(int bytes)
{
    private readonly byte[] memory = new byte[bytes];

    /// <summary>Stores an 8-byte entry (or a 4-byte one, for 32-bit paging) at a physical address.</summary>
    public Ram Set(ulong phys, ulong value, int size = 8)
    {
        if (size == 4)
            BinaryPrimitives.WriteUInt32LittleEndian(memory.AsSpan((int)phys, 4), checked((uint)value));
        else
            BinaryPrimitives.WriteUInt64LittleEndian(memory.AsSpan((int)phys, 8), value);
        return this;
    }

    public bool Read(ulong phys, int size, out ulong value)
    {
        value = 0;
        if (phys > (ulong)memory.Length || (ulong)memory.Length - phys < (ulong)size)
            return false;
        var span = memory.AsSpan((int)phys, size);
        value = size == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(span) : BinaryPrimitives.ReadUInt64LittleEndian(span);
        return true;
    }

    public static implicit operator PhysRead(Ram ram) => ram.Read;
}
