using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HandleGen.Tests.EndToEnd;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Hosts;

/// <summary>
/// The packed package in the compilers users build with: a net8.0 consumer is restored and built by the
/// SDK 10 (its argument list to csc written out), then compiled again from that argument list by
/// Roslyn 4.8 and 4.11 on .NET 8 and by csc 4.14 on .NET 9, each loading the package's analyzer folder the way
/// that compiler does. The program each produces runs on .NET 8.
/// </summary>
public sealed class CompilerHostTests
{
    private const string Arch = "x86_64";

    private static readonly Lazy<Task<Consumer>> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    [Theory]
    [InlineData("4.8.0")]
    [InlineData("4.11.0")]
    public async Task Roslyn_on_dotnet_8_generates_every_file_and_the_consumer_compiles_and_runs(string roslyn)
    {
        var (hosts, consumer) = (await CompilerHosts.Get(), await Built.Value);
        var output = Path.Combine(consumer.Directory, "net8-roslyn-" + roslyn + ".dll");

        var compile = await CompilerHosts.Exec(hosts.Net8, consumer.Directory, hosts.StandInHosts[roslyn], consumer.ResponseFile, consumer.Directory, output);

        Assert.True(compile.ExitCode == 0, compile.ToString());
        Assert.Contains($"host: .NET {hosts.Net8.Version}, Roslyn {roslyn}.0", compile.Output);
        Assert.Equal(RepoPaths.NetFiles(), Regex.Matches(compile.Output, @"^generated: LevelsGenerator/PageTables\.\w+\.g\.cs$", RegexOptions.Multiline).Count);
        Assert.Contains("0 error(s), 0 warning(s), emit succeeded", compile.Output);
        // What made .NET 8 and 9 fail before: nothing of the generator's may load System.Text.Json.
        Assert.DoesNotContain("loaded: System.Text.Json", compile.Output);
        await AssertRuns(hosts, consumer, output);
    }

    [Fact]
    public async Task Csc_4_14_on_dotnet_9_generates_every_file_and_the_consumer_compiles_and_runs()
    {
        var (hosts, consumer) = (await CompilerHosts.Get(), await Built.Value);
        var output = Path.Combine(consumer.Directory, "net9-csc.dll");
        var generated = Directory.CreateDirectory(Path.Combine(consumer.Directory, "net9-generated")).FullName;

        var compile = await CompilerHosts.Exec(hosts.Net9, consumer.Directory, hosts.Csc,
            "@" + consumer.ResponseFile, "/out:" + output, "/refout:" + output + ".ref", "/generatedfilesout:" + generated);

        Assert.True(compile.ExitCode == 0, compile.ToString());
        Assert.Contains("Visual C# Compiler version 4.14.", compile.Output);
        Assert.DoesNotContain(": error", compile.Output);
        Assert.Equal(RepoPaths.NetFiles(), Directory.GetFiles(generated, "PageTables.*.g.cs", SearchOption.AllDirectories).Length);
        await AssertRuns(hosts, consumer, output);
    }

    /// <summary>
    /// Every method fully optimized from its first call, as .NET Framework (Visual Studio's csc) always compiles: the
    /// JIT then inlines across Scriban's rendering and resolves more of what it references, up front.
    /// </summary>
    private static readonly Dictionary<string, string> FullyOptimized = new() { ["DOTNET_TieredCompilation"] = "0" };

    [Fact]
    public async Task With_tiered_compilation_off_and_System_Text_Json_unloadable_every_file_is_generated_as_with_it_on()
    {
        var (hosts, consumer) = (await CompilerHosts.Get(), await Built.Value);
        var tiered = Path.Combine(consumer.Directory, "net8-tiered.dll");
        var optimized = Path.Combine(consumer.Directory, "net8-optimized.dll");

        var first = await CompilerHosts.Exec(hosts.Net8, consumer.Directory, hosts.StandInHosts["4.8.0"], consumer.ResponseFile, consumer.Directory, tiered);
        var compile = await CompilerHosts.Exec(hosts.Net8, FullyOptimized, consumer.Directory, hosts.StandInHosts["4.8.0"], consumer.ResponseFile, consumer.Directory, optimized);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(compile.ExitCode == 0, compile.ToString());
        Assert.Equal(RepoPaths.NetFiles(), Regex.Matches(compile.Output, @"^generated: LevelsGenerator/PageTables\.\w+\.g\.cs$", RegexOptions.Multiline).Count);
        Assert.Contains("0 error(s), 0 warning(s), emit succeeded", compile.Output);
        // Scriban references System.Text.Json 10.0.0.0, which .NET 8 (8.0.0.0 in its framework) cannot give it and
        // the analyzer folder does not hold: every request for it fails, and none loads.
        Assert.DoesNotContain("loaded: System.Text.Json", compile.Output);
        // The compilation is deterministic: the same files were generated, to the byte.
        Assert.Equal(File.ReadAllBytes(tiered), File.ReadAllBytes(optimized));
        await AssertRuns(hosts, consumer, optimized);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dependency_that_does_not_load_is_reported_as_a_host_fault_naming_it_and_the_runtime(bool tieredCompilation)
    {
        var (hosts, consumer) = (await CompilerHosts.Get(), await Built.Value);

        // The package's analyzer folder without the template engine, as a hand-made analyzer reference would have it.
        var arguments = File.ReadAllLines(consumer.ResponseFile);
        var generator = arguments.Single(a => a.StartsWith("/analyzer:", StringComparison.Ordinal) && a.EndsWith("HandleGen.Generator.dll", StringComparison.Ordinal));
        var incomplete = Directory.CreateDirectory(Path.Combine(consumer.Directory, "incomplete-analyzers")).FullName;
        File.Copy(generator["/analyzer:".Length..], Path.Combine(incomplete, "HandleGen.Generator.dll"), overwrite: true);
        var responseFile = Path.Combine(consumer.Directory, "incomplete.rsp");
        File.WriteAllLines(responseFile, arguments
            .Where(a => !a.EndsWith("Scriban.Signed.dll", StringComparison.Ordinal))
            .Select(a => a == generator ? "/analyzer:" + Path.Combine(incomplete, "HandleGen.Generator.dll") : a));

        var compile = await CompilerHosts.Exec(hosts.Net8, tieredCompilation ? new Dictionary<string, string>() : FullyOptimized, consumer.Directory,
            hosts.StandInHosts["4.8.0"], responseFile, consumer.Directory, Path.Combine(consumer.Directory, $"incomplete-{tieredCompilation}.dll"));

        Assert.NotEqual(0, compile.ExitCode);
        var hostFault = Regex.Match(compile.Output, "^error HG0900: (.*)$", RegexOptions.Multiline);
        Assert.True(hostFault.Success, compile.ToString());
        Assert.Contains("'Scriban.Signed, Version=", hostFault.Groups[1].Value);
        Assert.Contains("which runs on .NET " + hosts.Net8.Version, hostFault.Groups[1].Value);
        Assert.DoesNotContain("levels.json,", hostFault.Groups[1].Value);
        Assert.DoesNotContain("HG9999", compile.Output);
    }

    /// <summary>The compiled program runs on .NET 8 (its target) and prints what the spec says.</summary>
    private static async Task AssertRuns(CompilerHostSet hosts, Consumer consumer, string assembly)
    {
        var run = Directory.CreateDirectory(Path.Combine(consumer.Directory, Path.GetFileNameWithoutExtension(assembly) + "-run")).FullName;
        foreach (var file in Directory.GetFiles(consumer.OutputDirectory))
            File.Copy(file, Path.Combine(run, Path.GetFileName(file)), overwrite: true);
        File.Copy(assembly, Path.Combine(run, consumer.Name + ".dll"), overwrite: true);

        var result = await CompilerHosts.Exec(hosts.Net8, run, Path.Combine(run, consumer.Name + ".dll"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(PackageEndToEndTests.ProgramOutput(Arch, GeneratorHarness.ShippedSpec), PackageEndToEndTests.Lines(result.Output));
    }

    /// <summary>
    /// The consumer, built once by the SDK 10 for net8.0 with the package. The SDK's own code-quality
    /// analyzers are off: they belong to the SDK 10 and need its compiler; the net8.0 reference pack's
    /// generators stay in the argument list, as a .NET 8 SDK build would have them.
    /// </summary>
    private static async Task<Consumer> Build()
    {
        const string name = "Hosts_net8";
        var feed = await PackedPackage.Get();
        var project = ConsumerProject.Create(feed, name, GeneratorHarness.ShippedSpec,
            new Dictionary<string, string> { ["Program.cs"] = PackageEndToEndTests.Consumer("Program.cs") },
            targetFramework: "net8.0",
            registry: true,
            projectBody: """
              <PropertyGroup>
                <EnableNETAnalyzers>false</EnableNETAnalyzers>
                <ProvideCommandLineArgs>true</ProvideCommandLineArgs>
              </PropertyGroup>
              <Target Name="WriteCscArguments" AfterTargets="CoreCompile">
                <WriteLinesToFile File="$(MSBuildProjectDirectory)/csc.rsp" Lines="@(CscCommandLineArgs)" Overwrite="true" />
              </Target>
            """);

        var build = await project.Build("HandleGenArch=" + Arch);
        Assert.True(build.ExitCode == 0, build.ToString());
        return new Consumer(name, project.Directory, Path.Combine(project.Directory, "csc.rsp"), Path.Combine(project.Directory, "bin", "Debug", "net8.0"));
    }

    private sealed record Consumer(string Name, string Directory, string ResponseFile, string OutputDirectory);
}
