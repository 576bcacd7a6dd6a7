using System.Collections.Concurrent;
using System.IO;
using System.Reflection;

namespace HandleGen.Tests.Infrastructure;

/// <summary>
/// The behaviour probe compiled with the generated API for one arch and form, loaded once per test
/// run: the same probe source must build unchanged against both forms.
/// </summary>
internal static class ProbeAssemblies
{
    private static readonly ConcurrentDictionary<(string Arch, string Form), Assembly> Cache = new();

    public static Assembly For(string arch, string form) => Cache.GetOrAdd((arch, form), key =>
    {
        var facts = SpecFacts.Of(key.Arch);
        var probe = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "HandleGen.Tests", "Probes", "BehaviourProbe.cs"));
        var run = GeneratorHarness.Run(
            GeneratorHarness.ShippedSpec,
            new Switches(key.Arch, key.Form),
            ["global using entry_raw = " + facts.EntryType + ";", facts.InArchNamespace(probe)]);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        return CompiledAssembly.Load(run.Output);
    });
}
