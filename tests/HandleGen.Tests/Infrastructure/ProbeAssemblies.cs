using System.Collections.Concurrent;
using System.IO;
using System.Reflection;

namespace HandleGen.Tests.Infrastructure;

/// <summary>
/// A probe of Probes/ compiled with the generated API for one arch and form, loaded once per test run: the
/// same probe source must build unchanged against both forms. A probe written for one level names it "LL".
/// </summary>
internal static class ProbeAssemblies
{
    private static readonly ConcurrentDictionary<(string Probe, string Arch, string Form, string Level), Assembly> Cache = new();

    /// <summary>The behaviour probe, which covers every level.</summary>
    public static Assembly For(string arch, string form) => For("BehaviourProbe", arch, form, level: "");

    /// <param name="probe">The probe's file name in Probes/, without ".cs".</param>
    /// <param name="arch">The arch of the shipped levels.json to generate.</param>
    /// <param name="form">The form to generate.</param>
    /// <param name="level">The level that replaces "LL" in the probe, or "" for a probe of every level.</param>
    public static Assembly For(string probe, string arch, string form, string level) => Cache.GetOrAdd((probe, arch, form, level), key =>
    {
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "HandleGen.Tests", "Probes", key.Probe + ".cs"));
        var run = GeneratorHarness.Run(
            GeneratorHarness.ShippedSpec,
            new Switches(key.Arch, key.Form),
            ["global using entry_raw = " + SpecFacts.Of(key.Arch).EntryType + ";", SpecFacts.Of(key.Arch).InArchNamespace(key.Level.Length == 0 ? source : source.Replace("LL", key.Level))]);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        return CompiledAssembly.Load(run.Output);
    });
}
