using System;
using System.Linq;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Diagnostics;

/// <summary>
/// One faulty levels.json and where its diagnostic must point: at the <see cref="Occurrence"/>-th
/// occurrence of <see cref="At"/> in the text, chosen by hand by the test's author.
/// </summary>
public sealed record SpecFault(string Name, string Spec, string Id, string At, string Key, int Occurrence = 1)
{
    public override string ToString() => Name;

    /// <summary>The 1-based line and column of the expected spot, as dotnet build prints them.</summary>
    public (int Line, int Column) ExpectedPosition()
    {
        var index = -1;
        for (var i = 0; i < Occurrence; i++)
        {
            index = Spec.IndexOf(At, index + 1, StringComparison.Ordinal);
            if (index < 0)
                throw new InvalidOperationException($"'{At}' does not occur {Occurrence} times in the spec of {Name}");
        }

        var before = Spec[..index];
        var line = before.Count(c => c == '\n') + 1;
        var column = index - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }

    public static (int Line, int Column) Position(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
    }
}

/// <summary>A valid spec to derive faults from by replacing one piece of text.</summary>
internal static class BaseSpec
{
    public const string Text = """
        {
          "namespace": "PageTables",
          "defaultArch": "x86_64",
          "arches": {
            "x86_64": { "pageShift": 12, "entryBits": 64, "form": "alias",
                        "levels": { "pgd": 9, "p4d": 0, "pud": 9, "pmd": 9, "pte": 9 } }
          }
        }
        """;

    public static string With(string from, string to)
    {
        Assert.Contains(from, Text);
        return Text.Replace(from, to);
    }
}
