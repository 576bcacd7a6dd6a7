using System;

namespace HandleGen.Runtime;

/// <summary>Thrown when the simulated physical memory has no free page left for a page table.</summary>
public sealed class PhysicalMemoryExhaustedException : Exception
{
    /// <summary>Makes the exception with a message that says what was asked for and what is left.</summary>
    /// <param name="message">What ran out.</param>
    public PhysicalMemoryExhaustedException(string message)
        : base(message)
    {
    }
}
