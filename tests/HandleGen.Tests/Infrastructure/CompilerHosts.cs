using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HandleGen.Tests.Infrastructure;

/// <summary>
/// The compilers the host tests run HandleGen in, each on the runtime it runs on for users: Roslyn 4.8
/// (the .NET 8 SDK's first, and the oldest the generator supports) and 4.11 (the .NET 8 SDK's last) on
/// .NET 8, in the stand-in host of tests/CompilerHost (no csc for .NET 8 is served), and the real csc 4.14
/// of Microsoft.Net.Compilers.Toolset on .NET 9. Made once per test run.
/// </summary>
internal static class CompilerHosts
{
    private static readonly Lazy<Task<CompilerHostSet>> Made = new(Make, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<CompilerHostSet> Get() => Made.Value;

    private static async Task<CompilerHostSet> Make()
    {
        var work = Directory.CreateTempSubdirectory("handlegen-hosts-").FullName;
        var net8 = RuntimeLayout.Create(Path.Combine(work, "dotnet8"), BuildFacts.Get("Net8RuntimeVersion"));
        var net9 = RuntimeLayout.Create(Path.Combine(work, "dotnet9"), BuildFacts.Get("Net9RuntimeVersion"));

        var standIns = new Dictionary<string, string>();
        foreach (var roslyn in StandInRoslynVersions)
            standIns[roslyn] = await PublishStandIn(work, roslyn);

        var csc = Path.Combine(BuildFacts.Get("NuGetPackageRoot"), "microsoft.net.compilers.toolset", BuildFacts.Get("CompilerToolsetVersion"), "tasks", "netcore", "bincore", "csc.dll");
        return new CompilerHostSet(net8, net9, standIns, csc);
    }

    /// <summary>The Roslyn versions the stand-in host is built with.</summary>
    public static readonly string[] StandInRoslynVersions = ["4.8.0", "4.11.0"];

    private static async Task<string> PublishStandIn(string work, string roslyn)
    {
        // A copy of the project per Roslyn version, so the builds share no obj/ with each other or the repository.
        var source = Path.Combine(work, "compilerhost-src-" + roslyn);
        Directory.CreateDirectory(source);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "CompilerHost"), "*.cs*"))
            File.Copy(file, Path.Combine(source, Path.GetFileName(file)));
        var output = Path.Combine(work, "compilerhost-" + roslyn);
        var publish = await DotNet.Run(source, "publish", "-c", "Release", "-o", output, "-p:RoslynVersion=" + roslyn, "-nodeReuse:false");
        if (publish.ExitCode != 0)
            throw new InvalidOperationException("Publishing the stand-in compiler host with Roslyn " + roslyn + " failed: " + publish);
        return Path.Combine(output, "HandleGen.CompilerHost.dll");
    }

    /// <summary>Runs a program of the SDK's output format (a .dll) on a runtime layout, as <c>dotnet program.dll</c> would.</summary>
    public static Task<CommandResult> Exec(RuntimeLayout runtime, string workingDirectory, params string[] args) =>
        Exec(runtime, new Dictionary<string, string>(), workingDirectory, args);

    /// <summary>The same with more environment variables: the runtime's settings, for example.</summary>
    public static Task<CommandResult> Exec(RuntimeLayout runtime, IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args) =>
        DotNet.RunProgram(runtime.Muxer, workingDirectory, new Dictionary<string, string>(environment)
        {
            ["DOTNET_ROOT"] = runtime.Root,
            ["DOTNET_MULTILEVEL_LOOKUP"] = "0",
        }, ["exec", .. args]);
}

/// <param name="Net8">The .NET 8 runtime.</param>
/// <param name="Net9">The .NET 9 runtime.</param>
/// <param name="StandInHosts">tests/CompilerHost built against each Roslyn of <see cref="CompilerHosts.StandInRoslynVersions"/>, for .NET 8.</param>
/// <param name="Csc">csc.dll of Microsoft.Net.Compilers.Toolset (Roslyn 4.14), which runs on .NET 9.</param>
internal sealed record CompilerHostSet(RuntimeLayout Net8, RuntimeLayout Net9, IReadOnlyDictionary<string, string> StandInHosts, string Csc);
