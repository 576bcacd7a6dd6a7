using System.Linq;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Analyzers;

/// <summary>
/// The reverse of flip readiness: strong-form code that the alias form would reject is reported, and the
/// compiler confirms each mark (the alias-form build of AnalyzerSources/Converted.cs fails on exactly those lines).
/// </summary>
public sealed class FormPortabilityTests
{
    [Fact]
    public void Handles_used_as_structs_are_reported_in_the_strong_form()
    {
        var text = Sources.Read("Converted.cs");

        var found = AnalyzerHarness.Analyze(new Switches("x86_64", "strong"), ("Converted.cs", text));

        Assert.Equal(Sources.Expected(text, "Converted.cs"), Sources.Actual(found));
    }

    [Fact]
    public void The_marked_lines_are_the_lines_the_alias_form_rejects()
    {
        var text = Sources.Read("Converted.cs");

        var alias = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches("x86_64", "alias"), [text]);

        Assert.Equal(Sources.Expected(text, "Converted.cs").Select(e => e.Line).Distinct(), FlipReadinessTests.UserErrorLines(alias));
    }
}
