using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using HandleGen.Common;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Core;

/// <summary>Theory data: every arch of the repository's levels.json in both forms and both styles, and one staged strong form.</summary>
public sealed class ArchFormAndStyle : TheoryData<string, string, string, string?>
{
    public ArchFormAndStyle()
    {
        foreach (var arch in GeneratorHarness.ShippedArches())
        {
            foreach (var form in new[] { "alias", "strong" })
            {
                Add(arch, form, "handle", null);
                Add(arch, form, "element", null);
            }
        }

        Add("x86_64", "strong", "handle", "pte;pmd");
    }
}

/// <summary>
/// The analyzers and the code fixes know the generated API only through common/GeneratedApiNames.cs. Each name
/// of that table must be generated exactly where the table says it is: at the levels it applies to, under the
/// conditions it declares. A template that renames or drops a function fails here until the table follows, so
/// the analyzers are never silently blind to it. What the conditions mean is read from levels.json with an
/// ordinary JSON reader (the roles and leaf levels the format names), not from the generator.
/// </summary>
public sealed class GeneratedNamesTests
{
    [Theory]
    [ClassData(typeof(ArchFormAndStyle))]
    public void Every_name_of_the_table_is_generated_exactly_where_the_table_says(string arch, string form, string style, string? strongLevels)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arch, form, strongLevels, Style: style));
        Assert.Empty(run.GeneratorDiagnostics);
        var ns = SpecFacts.Of(arch).Namespace;
        var pgtable = run.Output.GetTypeByMetadataName(ns + "." + GeneratedApiNames.FunctionClass);
        Assert.NotNull(pgtable);
        var format = Format.Of(arch);

        var wrong = new List<string>();
        foreach (var api in GeneratedApiNames.All)
        {
            foreach (var level in GeneratedApiNames.Levels)
            {
                var name = api.Spell(level);
                var expected = api.AppliesTo(level) && format.Holds(api.Condition, level, form, style, strongLevels);
                var found = Exists(run.Output, ns, pgtable, api.Kind, name, level);
                if (found != expected)
                    wrong.Add($"{name} ({api.Kind} at {level}): the table says {(expected ? "generated" : "not generated")}, the generated code {(found ? "has it" : "has not")}");
            }
        }

        Assert.True(wrong.Count == 0, arch + " " + form + " " + style + ":\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void The_table_spells_each_name_once()
    {
        var names = GeneratedApiNames.All.SelectMany(a => a.Spellings()).Select(s => s.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(GeneratedApiNames.All.SelectMany(a => a.Spellings()), s =>
        {
            Assert.True(GeneratedApiNames.TryFind(s.Name, out _, out var level));
            Assert.Equal(s.Level, level);
        });
    }

    private static bool Exists(Compilation compilation, string ns, INamedTypeSymbol pgtable, ApiKind kind, string name, string level)
    {
        switch (kind)
        {
            case ApiKind.EntryType or ApiKind.HandleType or ApiKind.RangeType:
                return compilation.GetTypeByMetadataName(ns + "." + name) is { TypeKind: TypeKind.Struct };
            case ApiKind.EntryField:
                var entry = compilation.GetTypeByMetadataName(ns + "." + GeneratedApiNames.EntryType.For(level));
                return entry is not null && entry.GetMembers(name).OfType<IFieldSymbol>().Any(f => !f.IsStatic);
            default:
                return pgtable.GetMembers(name).OfType<IMethodSymbol>().Any(m => m.IsStatic && m.DeclaredAccessibility == Accessibility.Public);
        }
    }

    /// <summary>What an arch's format in levels.json names: its roles and the levels above pte that may hold a leaf.</summary>
    private sealed record Format(HashSet<string> Roles, HashSet<string> LeafLevels)
    {
        public static Format Of(string arch)
        {
            using var doc = JsonDocument.Parse(GeneratorHarness.ShippedSpec);
            var a = doc.RootElement.GetProperty("arches").GetProperty(arch);
            var roles = a.TryGetProperty("roles", out var r) ? r.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
            var leaves = a.TryGetProperty("leafLevels", out var l) ? l.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [];
            return new Format(roles, leaves);
        }

        public bool Holds(ApiCondition condition, string level, string form, string style, string? strongLevels)
        {
            // The harness compiles against .NET's own libraries, which have Interlocked: ApiCondition.Interlocked holds.
            if (condition.HasFlag(ApiCondition.MapsPages) && level != "pte" && !LeafLevels.Contains(level))
                return false;
            if (condition.HasFlag(ApiCondition.YoungRole) && !Roles.Contains("young"))
                return false;
            if (condition.HasFlag(ApiCondition.WriteRole) && !Roles.Contains("write"))
                return false;
            if (condition.HasFlag(ApiCondition.AccessFlagRole) && !Roles.Overlaps(["young", "write", "dirty"]))
                return false;
            if (condition.HasFlag(ApiCondition.OpaqueHandle)
                && !(form == "strong" && style == "handle" && (strongLevels is null || strongLevels.Split(';').Contains(level))))
                return false;
            return true;
        }
    }
}
