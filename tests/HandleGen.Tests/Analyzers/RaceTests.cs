using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Analyzers;

/// <summary>
/// The race analyzers flag the three faults (an entry read twice, a non-atomic read-modify-write, an index of
/// the wrong level) in both forms, and none of the correct look-alikes beside them.
/// </summary>
public sealed class RaceTests
{
    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void The_faults_are_reported_and_the_look_alikes_are_not(string form)
    {
        var text = Sources.Read("Races.cs");

        var found = AnalyzerHarness.Analyze(new Switches("x86_64", form), ("Races.cs", text));

        Assert.Equal(Sources.Expected(text, "Races.cs"), Sources.Actual(found));
    }

    [Fact]
    public void Pointer_spellings_of_the_faults_are_reported_in_the_alias_form()
    {
        var text = Sources.Read("AliasRaces.cs");

        var found = AnalyzerHarness.Analyze(new Switches("x86_64", "alias"), ("AliasRaces.cs", text));

        Assert.Equal(Sources.Expected(text, "AliasRaces.cs", "HG12"), Sources.Actual(found, "HG12"));
    }

    [Fact]
    public void A_message_says_what_can_go_wrong_and_what_to_do()
    {
        var found = AnalyzerHarness.Analyze(new Switches("x86_64", "strong"), ("Races.cs", Sources.Read("Races.cs")));

        var messages = AnalyzerHarness.Messages(new Switches("x86_64", "strong"), ("Races.cs", Sources.Read("Races.cs")));
        Assert.Equal(found.Count, messages.Count);
        Assert.Contains(messages, m => m.StartsWith("HG1201", System.StringComparison.Ordinal) && m.Contains("may differ") && m.Contains("ptep_get_once"));
        Assert.Contains(messages, m => m.StartsWith("HG1202", System.StringComparison.Ordinal) && m.Contains("is lost") && m.Contains("ptep_try_cmpxchg"));
        Assert.Contains(messages, m => m.StartsWith("HG1203", System.StringComparison.Ordinal) && m.Contains("pmd_index"));
    }

    [Theory]
    [InlineData("alias", "*ptep = pte_mkdirty(*ptep);")]
    [InlineData("strong", "set_pte(ptep, pte_mkdirty(ptep_get(ptep)));")]
    public void A_build_without_Interlocked_is_not_advised_the_atomics_it_does_not_have(string form, string update)
    {
        var corlib = OwnMemory.Corlibs.CorlibShapes.Build("corlib", [OwnMemory.Corlibs.CorlibShapes.Zerolib]);
        var source = "using PageTables;\nusing static PageTables.Pgtable;\ninternal static unsafe class Dirty\n{\n    public static void Mark(hw_ptep ptep)\n    {\n        " + update + "\n    }\n}\n";

        var messages = AnalyzerHarness.MessagesOn([corlib], new Switches("x86_64", form, DirectMap: "identity"), ("Dirty.cs", source));

        var message = Assert.Single(messages, m => m.StartsWith("HG1202", System.StringComparison.Ordinal));
        Assert.Contains("is lost", message);
        Assert.Contains("no ptep_try_cmpxchg", message);
        Assert.DoesNotContain("ptep_cmpxchg", message);
        Assert.DoesNotContain("ptep_xchg", message);
        Assert.DoesNotContain("use ptep_try_cmpxchg", message);
    }
}
