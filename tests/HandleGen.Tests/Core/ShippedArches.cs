using System.Collections.Generic;
using System.Linq;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Core;

/// <summary>Theory data: every arch of the repository's levels.json in both forms.</summary>
public sealed class ArchAndForm : TheoryData<string, string>
{
    public ArchAndForm()
    {
        foreach (var arch in GeneratorHarness.ShippedArches())
        {
            Add(arch, "alias");
            Add(arch, "strong");
        }
    }
}

/// <summary>Theory data: every arch of the repository's levels.json.</summary>
public sealed class Arches : TheoryData<string>
{
    public Arches()
    {
        foreach (var arch in GeneratorHarness.ShippedArches())
            Add(arch);
    }
}
