using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Diagnostics;

/// <summary>
/// Thousands of valid, truncated, edited and hostile levels.json texts through the generator driver:
/// nothing may escape as an exception (CS8784/CS8785) or an internal error (HG9999), and every input
/// either yields code that compiles clean (and passes levels.schema.json) or at least one HG error.
/// </summary>
public sealed class FuzzTests
{
    // Arches on shipped formats, with keys of their own: edits hit "base", its name and the overrides.
    private const string Based = """
        {
          "defaultArch": "x86_64",
          "arches": {
            "x86_64": { "base": "x86_64", "pfnBits": 36, "levels": { "pgd": 9, "p4d": 9, "pud": 9, "pmd": 9, "pte": 9 } },
            "i386": { "base": "i386", "namespace": "PageTables.I386", "tableFlags": "0x63" }
          }
        }
        """;

    // A fixed corpus from a fixed seed; the budget only bounds a pathological slowdown (it takes ~15 s here).
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);

    [Fact]
    public void No_input_crashes_the_generator_and_every_input_compiles_or_is_an_HG_error()
    {
        var fuzzer = new SpecFuzzer(seed: 20261125);
        var shipped = GeneratorHarness.ShippedSpec;
        var inputs = SpecFuzzer.Pathological()
            .Concat(SpecFuzzer.Truncations(shipped).Where((_, i) => i % 3 == 0))
            .Concat(fuzzer.Edits(shipped, 2500))
            .Concat(fuzzer.Edits(Based, 500))
            .Concat(fuzzer.RandomSpecs(2500))
            .ToList();
        var switches = new Random(7);

        var clock = Stopwatch.StartNew();
        var compiledOutputs = new Dictionary<string, IReadOnlyList<string>>();
        int total = 0, generated = 0, rejected = 0;
        var failures = new List<string>();
        foreach (var input in inputs)
        {
            if (clock.Elapsed > Budget)
                break;
            total++;
            GeneratorRun run;
            try
            {
                run = GeneratorHarness.Run(input, RandomSwitches(switches));
            }
            catch (Exception e)
            {
                failures.Add($"driver threw {e.GetType().Name} on input #{total}: {Shorten(input)}");
                continue;
            }

            var crash = run.GeneratorDiagnostics.FirstOrDefault(d => d.Id is "CS8784" or "CS8785" or "HG9999");
            if (crash is not null)
            {
                failures.Add($"{crash.Id} on input #{total}: {crash.GetMessage()} — {Shorten(input)}");
                continue;
            }

            if (run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("HG", StringComparison.Ordinal)))
            {
                rejected++;
                Assert.Empty(run.Sources);
                continue;
            }

            generated++;

            // Editors check levels.json with the schema: it must not flag what the generator accepts.
            // (The schema's namespace pattern is ASCII only, for the regex engines editors use.)
            if (input.All(c => c < 128) && !SchemaTests.Evaluate(input).IsValid)
                failures.Add($"the schema rejects input #{total}, which the generator accepts: {Shorten(input)}");
            var key = string.Join("\n", run.Sources.Select(s => s.Source));
            if (!compiledOutputs.TryGetValue(key, out var problems))
                compiledOutputs[key] = problems = run.CompileDiagnostics.Select(d => d.ToString()).ToList();
            if (problems.Count > 0)
                failures.Add($"generated code does not compile for input #{total}: {problems[0]} — {Shorten(input)}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures of {total} inputs:\n" + string.Join("\n", failures.Take(20)));
        Assert.True(total == inputs.Count, $"only {total} of {inputs.Count} inputs ran within {Budget}");
        Assert.True(generated > 100 && rejected > 1000, $"the inputs should exercise both outcomes: {generated} generated, {rejected} rejected");
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz: {total} inputs in {clock.Elapsed.TotalSeconds:F1}s, {generated} generated ({compiledOutputs.Count} distinct outputs compiled), {rejected} rejected");
    }

    /// <summary>The switches a build may pass: mostly none, sometimes a form, a level list or an arch name.</summary>
    private static Switches RandomSwitches(Random random) => new(
        Arch: random.Next(8) == 0 ? new[] { "x86_64", "i386", "x", "nope" }[random.Next(4)] : null,
        Form: random.Next(3) == 0 ? new[] { "alias", "strong", "Strong", "opaque" }[random.Next(4)] : null,
        StrongLevels: random.Next(6) == 0 ? new[] { "pte", "pte;pmd", "pgd,pud", ";", "ptx" }[random.Next(5)] : null);

    private static string Shorten(string input) =>
        input.Length <= 200 ? input : input[..200] + $"… ({input.Length} chars)";
}
