using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.EndToEnd;

/// <summary>
/// The strong form costs nothing under NativeAOT either: the machine-code test's consumer, published with
/// <c>PublishAot</c> in each form (the SDK picks ILCompiler), runs and prints the values checked here by hand, and
/// ILCompiler's code of each workload is the same in both forms but for the walk's one lea per level.
/// </summary>
public sealed class NativeAotTests
{
    // ILCompiler runs the same JIT as the runtime, ahead of time; its codegen options are the JIT's settings, so
    // JitDisasm writes the listing the JIT test parses, at publish, to JitStdOutFile. One compiler thread
    // (IlcSingleThreaded) writes each listing whole: two threads could interleave two methods' lines.
    private static readonly string Publishing = $"""
          <PropertyGroup>
            <PublishAot>true</PublishAot>
            <IlcSingleThreaded>true</IlcSingleThreaded>
          </PropertyGroup>
          <ItemGroup>
            <IlcArg Include="--codegenopt:JitDisasm={MachineCodeTests.DisasmList}" />
            <IlcArg Include="--codegenopt:JitDisasmDiffable=1" />
            <IlcArg Include="--codegenopt:JitStdOutFile=$(MSBuildProjectDirectory)/ilc-disasm-$(HandleGenForm).txt" />
          </ItemGroup>
        """;

    [Fact]
    public async Task A_NativeAOT_consumer_runs_in_both_forms_and_its_native_code_matches_across_forms()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64,
            "the expected code is x64, and NativeAOT links with the platform's toolchain (here Linux's)");
        var feed = await PackedPackage.Get();
        // The registry too: ILCompiler and the NativeAOT runtime pack come from there, restored once for both forms.
        var project = ConsumerProject.Create(feed, "NativeAot", GeneratorHarness.ShippedSpec, MachineCodeTests.ConsumerSources(),
            projectBody: Publishing, registry: true);
        var restore = await project.Run(new Dictionary<string, string>(), "restore", "-nodeReuse:false");
        Assert.True(restore.ExitCode == 0, restore.ToString());

        var alias = await PublishAndRun(project, "alias");
        var strong = await PublishAndRun(project, "strong");

        foreach (var method in MachineCodeTests.Workloads)
        {
            Assert.True(alias.ContainsKey("PteLoops:" + method), $"no disassembly of PteLoops:{method}; found {string.Join(", ", alias.Keys)}");
            Assert.True(strong.ContainsKey("PteLoops:" + method), $"no disassembly of PteLoops:{method} in the strong form");
        }

        MachineCodeTests.AssertTheFormsCompileAlike(alias, strong);
        MachineCodeTests.AssertTheAccessorsKeepTheirPromises(alias);
    }

    /// <summary>Publishes the consumer in one form, runs the native program, returns each method's normalized instructions.</summary>
    private static async Task<Dictionary<string, string>> PublishAndRun(ConsumerProject project, string form)
    {
        var output = Path.Combine(project.Directory, "publish-" + form);
        var publish = await project.Run(new Dictionary<string, string>(), "publish", "--no-restore", "-nodeReuse:false", "-c", "Release",
            "-o", output, "-p:UseSharedCompilation=false", "-p:HandleGenArch=x86_64", "-p:HandleGenForm=" + form);
        Assert.True(publish.ExitCode == 0, publish.ToString());

        var run = await DotNet.RunProgram(Path.Combine(output, "NativeAot"), project.Directory, new Dictionary<string, string>());
        Assert.True(run.ExitCode == 0, run.ToString());
        // By hand: set_ptes from 0x1063 over 512 entries stores 0x1063 + i * 0x1000, so each sum is
        // 512 * 0x1063 + 0x1000 * (511 * 512 / 2) = 2147840 + 535822336; entry 2 is 0x3063, with bit 11 0x3863.
        Assert.Contains("sums 537970176 537970176 537970176 537970176", run.Output);
        Assert.Contains("cmpxchg 0x3063 -> 0x3863", run.Output);
        Assert.Contains("spin ended after some reads", run.Output);
        Assert.Contains("walk 0xabcd063 0xabcd063", run.Output);
        return MachineCodeTests.Parse(File.ReadAllText(Path.Combine(project.Directory, $"ilc-disasm-{form}.txt")));
    }
}
