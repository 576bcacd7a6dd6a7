using System.Collections.Generic;
using System.IO;
using System.Linq;
using HandleGen.Tests.Infrastructure;
using HandleGen.Tests.OwnMemory.Corlibs;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Core;

/// <summary>
/// The generated files of every shipped configuration a user can pick: each arch of the repository's levels.json in
/// both forms and both styles, on .NET, on .NET Standard 2.0 and on two kernel corlibs (each offers the generated code
/// a different set of library pieces), plus a staged conversion, internal visibility and the direct maps. The checks
/// that must hold for all generated code (line length, the map of templates, token identity) run over this corpus.
/// </summary>
internal static class GeneratedCorpus
{
    /// <summary>One configuration: a name for messages and folders, and its generated files.</summary>
    internal sealed record Configuration(string Name, IReadOnlyList<(string HintName, string Source)> Sources);

    private static readonly System.Lazy<IReadOnlyList<Configuration>> All = new(Build);

    public static IReadOnlyList<Configuration> Configurations => All.Value;

    private static IReadOnlyList<Configuration> Build()
    {
        var frameworks = new (string Name, IReadOnlyList<MetadataReference>? References, string Map)[]
        {
            ("net", null, "runtime"),
            ("netstandard2.0", NetStandard20(), "identity"),
            ("zerolib", [CorlibShapes.Build("corlib", [CorlibShapes.Zerolib])], "offset:0xffff888000000000"),
            ("moos-threading", [CorlibShapes.Build("corlib", [CorlibShapes.Moos + CorlibShapes.Threading])], "custom"),
        };
        var list = new List<Configuration>();
        foreach (var arch in GeneratorHarness.ShippedArches())
            foreach (var form in new[] { "alias", "strong" })
                foreach (var style in new[] { "handle", "element" })
                    foreach (var framework in frameworks)
                    {
                        var switches = new Switches(arch, form, Style: style, DirectMap: framework.Map);
                        list.Add(Run($"{arch}.{form}.{style}.{framework.Name}", framework.References, switches));
                    }

        list.Add(Run("x86_64.strong-pte-pmd", null, new Switches("x86_64", "strong", "pte;pmd")));
        list.Add(Run("x86_64.alias.internal", null, new Switches("x86_64", "alias", Visibility: "internal")));
        list.Add(Run("x86_64+ept.alias", null, new Switches("x86_64;ept", "alias")));
        return list;
    }

    private static Configuration Run(string name, IReadOnlyList<MetadataReference>? references, Switches switches)
    {
        var run = references is null
            ? GeneratorHarness.Run(GeneratorHarness.ShippedSpec, switches)
            : GeneratorHarness.RunOn(references, GeneratorHarness.ShippedSpec, switches);
        Assert.True(run.GeneratorDiagnostics.IsEmpty, name + ": " + string.Join("\n", run.GeneratorDiagnostics));
        return new Configuration(name, run.Sources);
    }

    private static IReadOnlyList<MetadataReference> NetStandard20() =>
        Directory.GetFiles(BuildFacts.Get("NetStandard20References"), "*.dll").Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToList();
}
