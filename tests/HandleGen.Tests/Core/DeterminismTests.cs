using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Core;

/// <summary>The same input gives byte-identical output whatever the culture of the machine building it.</summary>
public sealed class DeterminismTests
{
    private static readonly string[] Cultures = ["", "tr-TR", "ar-SA", "de-DE", "fa-IR", "hi-IN"];

    [Fact]
    public void Generated_files_and_messages_are_identical_under_every_culture()
    {
        var outputs = Cultures.Select(name => UnderCulture(name, () =>
        {
            var files = new List<string>();
            foreach (var arch in GeneratorHarness.ShippedArches())
            {
                foreach (var form in new[] { "alias", "strong" })
                    files.AddRange(GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(arch, form)).Sources.Select(s => s.HintName + "\n" + s.Source));
            }

            // Messages carry numbers (sizes, bit counts) that a culture could format differently.
            var faulty = GeneratorHarness.ShippedSpec.Replace("\"pmd\": 9, \"pte\": 9 },\n                \"pfnBits\": 40", "\"pmd\": 11, \"pte\": 9 },\n                \"pfnBits\": 40");
            files.AddRange(GeneratorHarness.Run(faulty).GeneratorDiagnostics.Select(d => d.ToString()));
            return files;
        })).ToList();

        // The cultures really differ on this machine (ICU present), or the test would prove nothing.
        Assert.Equal("1,5", UnderCulture("de-DE", () => 1.5.ToString()));
        Assert.Equal("\u0130", UnderCulture("tr-TR", () => "i".ToUpper()));
        Assert.Contains(outputs[0], f => f.Contains("HG0011") && f.Contains("16384"));
        foreach (var other in outputs.Skip(1))
            Assert.Equal(outputs[0], other);
    }

    private static T UnderCulture<T>(string name, System.Func<T> action)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
            return action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }
    }
}
