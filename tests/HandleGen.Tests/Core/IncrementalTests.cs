using System.Linq;
using HandleGen.Generator;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Tests.Core;

/// <summary>
/// The generator runs on every keystroke in an IDE: after an edit that does not touch levels.json
/// or the switches, every tracked step must come from the cache and nothing may be rendered.
/// </summary>
public sealed class IncrementalTests
{
    private static readonly string[] TrackedSteps =
    [
        LevelsGenerator.Steps.SpecFiles, LevelsGenerator.Steps.Switches, LevelsGenerator.Steps.Facts,
        LevelsGenerator.Steps.Result, LevelsGenerator.Steps.Model, LevelsGenerator.Steps.Diagnostics,
    ];

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void An_unrelated_source_edit_leaves_every_step_cached_or_unchanged(string form)
    {
        var compilation = GeneratorHarness.NewCompilation(["class A { }"]);
        var driver = GeneratorHarness.NewDriver([(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec)], new Switches("x86_64", form))
            .RunGenerators(compilation, TestContext.Current.CancellationToken);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { int x; }", GeneratorHarness.ParseOptions, cancellationToken: TestContext.Current.CancellationToken));
        var result = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        var steps = result.TrackedSteps;
        Assert.All(TrackedSteps, name => Assert.True(steps.ContainsKey(name), "step " + name + " was not tracked"));
        var reasons = TrackedSteps
            .SelectMany(name => steps[name].SelectMany(step => step.Outputs).Select(o => (name, o.Reason)))
            .ToList();
        Assert.All(reasons, r => Assert.True(
            r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"step {r.name} was {r.Reason}"));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void A_cold_run_computes_every_step_as_new()
    {
        var compilation = GeneratorHarness.NewCompilation(["class A { }"]);
        var result = GeneratorHarness.NewDriver([(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec)], new Switches("x86_64", "alias"))
            .RunGenerators(compilation, TestContext.Current.CancellationToken)
            .GetRunResult().Results.Single();

        Assert.All(TrackedSteps, name => Assert.All(result.TrackedSteps[name].SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.New, o.Reason)));
        Assert.Equal(RepoPaths.NetFiles(), result.GeneratedSources.Length);
    }

    [Fact]
    public void A_levels_json_edit_recomputes_the_spec_model_and_output_but_not_the_switches_or_facts()
    {
        var compilation = GeneratorHarness.NewCompilation(["class A { }"]);
        var spec = new InMemoryAdditionalText(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec);
        var driver = GeneratorHarness.NewDriver([spec], new Switches("x86_64", "alias"))
            .RunGenerators(compilation, TestContext.Current.CancellationToken);

        // The user changes x86_64's page shift, which every constant depends on.
        var edited = GeneratorHarness.ShippedSpec.Replace("\"x86_64\": { \"pageShift\": 12", "\"x86_64\": { \"pageShift\": 13");
        Assert.NotEqual(GeneratorHarness.ShippedSpec, edited);
        var result = driver.ReplaceAdditionalText(spec, new InMemoryAdditionalText(GeneratorHarness.SpecPath, edited))
            .RunGenerators(compilation, TestContext.Current.CancellationToken)
            .GetRunResult().Results.Single();

        string Reasons(string step) => string.Join(",", result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason));
        Assert.Equal("Modified", Reasons(LevelsGenerator.Steps.SpecFiles));
        Assert.Equal("Cached", Reasons(LevelsGenerator.Steps.Switches));
        Assert.Equal("Cached", Reasons(LevelsGenerator.Steps.Facts));
        Assert.Equal("Modified", Reasons(LevelsGenerator.Steps.Result));
        Assert.Equal("Modified", Reasons(LevelsGenerator.Steps.Model));
        Assert.Equal("Unchanged", Reasons(LevelsGenerator.Steps.Diagnostics));
        Assert.Contains(result.GeneratedSources, s => s.SourceText.ToString().Contains("PAGE_SHIFT = 13;"));
    }

    [Fact]
    public void A_levels_json_edit_that_leaves_the_chosen_arch_alone_renders_nothing()
    {
        // Value equality of the model is what makes this work: the spec text changes, the model compares equal.
        var compilation = GeneratorHarness.NewCompilation(["class A { }"]);
        var spec = new InMemoryAdditionalText(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec);
        var driver = GeneratorHarness.NewDriver([spec], new Switches("x86_64", "strong"))
            .RunGenerators(compilation, TestContext.Current.CancellationToken);

        var edited = GeneratorHarness.ShippedSpec.Replace("\"i386\": { \"pageShift\": 12", "\"i386\": {   \"pageShift\": 12").Replace("\"pfnBits\": 20", "\"pfnBits\": 19");
        Assert.NotEqual(GeneratorHarness.ShippedSpec, edited);
        var result = driver.ReplaceAdditionalText(spec, new InMemoryAdditionalText(GeneratorHarness.SpecPath, edited))
            .RunGenerators(compilation, TestContext.Current.CancellationToken)
            .GetRunResult().Results.Single();

        string Reasons(string step) => string.Join(",", result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason));
        // The result is computed again from the new text and compares equal to the old one.
        Assert.Equal("Modified", Reasons(LevelsGenerator.Steps.SpecFiles));
        Assert.Equal("Unchanged", Reasons(LevelsGenerator.Steps.Result));
        Assert.Equal("Cached", Reasons(LevelsGenerator.Steps.Model));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_one_of_several_arches_renders_only_that_arch()
    {
        var compilation = GeneratorHarness.NewCompilation(["class A { }"]);
        var spec = new InMemoryAdditionalText(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec);
        var driver = GeneratorHarness.NewDriver([spec], new Switches("x86_64;ept", "x86_64=alias;ept=strong"))
            .RunGenerators(compilation, TestContext.Current.CancellationToken);

        // The user changes ept's table flags; x86_64's entry in levels.json is untouched.
        var edited = GeneratorHarness.ShippedSpec.Replace("\"tableFlags\": \"0x7\"", "\"tableFlags\": \"0x107\"");
        Assert.NotEqual(GeneratorHarness.ShippedSpec, edited);
        var result = driver.ReplaceAdditionalText(spec, new InMemoryAdditionalText(GeneratorHarness.SpecPath, edited))
            .RunGenerators(compilation, TestContext.Current.CancellationToken)
            .GetRunResult().Results.Single();

        // One Model output per arch, in HandleGenArch's order: x86_64 compares equal, ept changed.
        var models = result.TrackedSteps[LevelsGenerator.Steps.Model].SelectMany(s => s.Outputs).ToList();
        Assert.Equal([IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Modified], models.Select(o => o.Reason));
        // Of the three outputs (the diagnostics, x86_64's sources, ept's sources) only ept's is rendered again.
        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).OrderBy(r => r).ToList();
        Assert.Equal([IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached], outputs);
        Assert.Contains(result.GeneratedSources, s => s.HintName.StartsWith("PageTables.Ept.") && s.SourceText.ToString().Contains("0x107"));
    }
}
