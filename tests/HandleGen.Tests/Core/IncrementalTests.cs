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
}
