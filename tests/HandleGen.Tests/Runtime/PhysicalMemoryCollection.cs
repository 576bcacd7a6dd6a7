namespace HandleGen.Tests.Runtime;

/// <summary>
/// Tests that create a <see cref="HandleGen.Runtime.PhysicalMemory"/>: the direct map holds one per process,
/// so these run one at a time (other test classes still run beside them).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PhysicalMemoryCollection
{
    public const string Name = "PhysicalMemory";
}
