using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HandleGen.Generator.Diagnostics;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Diagnostics;

/// <summary>Every diagnostic the generator and the analyzers can report has its section in docs/diagnostics.md, and no other does.</summary>
public sealed class DocumentationTests
{
    [Fact]
    public void Every_diagnostic_id_has_a_section_with_cause_example_and_fix()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "diagnostics.md"));
        var sections = Regex.Split(doc, @"(?=^## HG\d{4})", RegexOptions.Multiline).Skip(1)
            .ToDictionary(s => s.Substring(3, 6));

        var every = DiagnosticDescriptors.Every.Concat(HandleGen.Analyzers.Descriptors.Every).ToList();
        Assert.Equal(every.Select(d => d.Id).Order(), sections.Keys.Order());
        foreach (var descriptor in every)
        {
            var section = sections[descriptor.Id];
            Assert.Contains(descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), section);
            Assert.Contains("**Cause**", section);
            Assert.Contains("**Example**", section);
            Assert.Contains("**Fix**", section);
            Assert.Contains($"<a id=\"{descriptor.Id.ToLowerInvariant()}\"></a>", doc);
        }
    }
}
