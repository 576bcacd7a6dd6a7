using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HandleGen.Tests.Infrastructure;

/// <summary>
/// The compilers the host tests run HandleGen in, each on the runtime it runs on for users:
/// Roslyn 4.8 on .NET 8 (the stand-in host of tests/CompilerHost: no csc for .NET 8 is served) and
/// the real csc 4.14 of Microsoft.Net.Compilers.Toolset on .NET 9. Made once per test run.
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

        var standIn = Path.Combine(work, "compilerhost");
        var project = Path.Combine(RepoPaths.Root, "tests", "CompilerHost", "HandleGen.CompilerHost.csproj");
        var publish = await DotNet.Run(work, "publish", project, "-c", "Release", "-o", standIn, "-p:RoslynVersion=4.8.0", "-nodeReuse:false");
        if (publish.ExitCode != 0)
            throw new InvalidOperationException("Publishing the stand-in compiler host failed: " + publish);

        var csc = Path.Combine(BuildFacts.Get("NuGetPackageRoot"), "microsoft.net.compilers.toolset", BuildFacts.Get("CompilerToolsetVersion"), "tasks", "netcore", "bincore", "csc.dll");
        return new CompilerHostSet(net8, net9, Path.Combine(standIn, "HandleGen.CompilerHost.dll"), csc);
    }

    /// <summary>Runs a program of the SDK's output format (a .dll) on a runtime layout, as <c>dotnet program.dll</c> would.</summary>
    public static Task<CommandResult> Exec(RuntimeLayout runtime, string workingDirectory, params string[] args) =>
        DotNet.RunProgram(runtime.Muxer, workingDirectory, new Dictionary<string, string>
        {
            ["DOTNET_ROOT"] = runtime.Root,
            ["DOTNET_MULTILEVEL_LOOKUP"] = "0",
        }, ["exec", .. args]);
}

/// <param name="Net8">The .NET 8 runtime.</param>
/// <param name="Net9">The .NET 9 runtime.</param>
/// <param name="StandInHost">tests/CompilerHost built against Roslyn 4.8.0, for .NET 8.</param>
/// <param name="Csc">csc.dll of Microsoft.Net.Compilers.Toolset (Roslyn 4.14), which runs on .NET 9.</param>
internal sealed record CompilerHostSet(RuntimeLayout Net8, RuntimeLayout Net9, string StandInHost, string Csc);
