using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.EndToEnd;

/// <summary>
/// A kernel whose corlib supplies System.Threading.Interlocked gets the generated atomics, and ILCompiler, with that
/// corlib as its system module, compiles them to lock cmpxchg: the kernel (Consumers/KernelCorlib.cs) is built
/// against the packed package in both forms and compiled by the ilc of the ILCompiler package the SDK restores.
/// </summary>
/// <remarks>
/// How ILCompiler decides that a call is an intrinsic (read in its source, and checked by the two controls): its
/// type system marks a method intrinsic when the method itself carries a custom attribute named
/// System.Runtime.CompilerServices.IntrinsicAttribute, matched by namespace and name in whatever assembly defines
/// it (EcmaMethod's attribute flags; the attribute may be internal to the corlib), and getMethodAttribs passes that
/// to the JIT as CORINFO_FLG_INTRINSIC. Only for such a method does the JIT look the call up by name: namespace
/// System.Threading, class Interlocked, method CompareExchange is its NI_System_Threading_Interlocked_CompareExchange,
/// which on x64 it expands to lock cmpxchg, never running the body. So both are needed: an
/// overload without the attribute is compiled as its plain body (UnmarkedCompareExchange), and so is an
/// [Intrinsic] method of another class (MisnamedCompareExchange).
/// </remarks>
public sealed class KernelCorlibAtomicsTests
{
    // A library that is its own core library (NoStdLib, no framework reference), built with the identity direct map,
    // so the package references nothing of ours. PublishAot only makes restore bring the ILCompiler package that
    // matches the SDK, for the SDK's own RID.
    private static string Kernel(PackageFeed feed) => $$"""
          <PropertyGroup>
            <OutputType>Library</OutputType>
            <NoStdLib>true</NoStdLib>
            <NoConfig>true</NoConfig>
            <DisableImplicitFrameworkReferences>true</DisableImplicitFrameworkReferences>
            <RuntimeMetadataVersion>v4.0.30319</RuntimeMetadataVersion>
            <GenerateAssemblyInfo>false</GenerateAssemblyInfo>
            <GenerateTargetFrameworkAttribute>false</GenerateTargetFrameworkAttribute>
            <ImplicitUsings>disable</ImplicitUsings>
            <RuntimeIdentifier>$(NETCoreSdkRuntimeIdentifier)</RuntimeIdentifier>
            <PublishAot>true</PublishAot>
            <HandleGenDirectMap>identity</HandleGenDirectMap>
          </PropertyGroup>
        """;

    // The kernel's try_cmpxchg loop and cmpxchg, and a role atomic of the generated API (not inlined: it has a loop).
    private static readonly string[] Atomics = ["Paging:SetAccessed", "Paging:Replace", "Pgtable:ptep_test_and_clear_young"];
    private static readonly string[] Controls = ["Paging:UnmarkedCompareExchange", "Paging:MisnamedCompareExchange"];

    // ptep_xchg: Interlocked.Exchange, the same way, is one xchg (locked by itself) on the entry.
    private const string Exchange = "Paging:Swap";

    [Fact]
    public async Task A_corlib_Interlocked_CompareExchange_marked_intrinsic_compiles_to_lock_cmpxchg_under_ILCompiler()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64, "the expected code is x64 (ilc of linux-x64)");
        var feed = await PackedPackage.Get();
        var project = ConsumerProject.Create(feed, "KernelCorlib", GeneratorHarness.ShippedSpec,
            new Dictionary<string, string> { ["Kernel.cs"] = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "HandleGen.Tests", "EndToEnd", "Consumers", "KernelCorlib.cs")) },
            projectBody: Kernel(feed), registry: true);
        var restore = await project.Run(new Dictionary<string, string>(), "restore", "-nodeReuse:false");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        var ilc = Ilc(project.Directory);

        var code = new Dictionary<string, Dictionary<string, string>>();
        foreach (var form in new[] { "alias", "strong" })
        {
            var build = await project.Build("HandleGenArch=x86_64", "HandleGenForm=" + form, "Configuration=Release", "OutputPath=bin/" + form + "/");
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Empty(ConsumerProject.HandleGenDiagnostics(build));

            code[form] = await Compile(project.Directory, ilc, Path.Combine(project.Directory, "bin", form, "KernelCorlib.dll"), form);
            // The object file itself, disassembled by objdump, function by function (ILCompiler's symbols are
            // Assembly_Namespace_Class__Method).
            var objectCode = await ObjectCode(project.Directory, form);
            foreach (var method in Atomics)
            {
                Assert.Matches(@"(^|\n)lock\ncmpxchg qword ptr \[\w+\], \w+(\n|$)", code[form][method]);
                Assert.Contains("lock cmpxchg %", objectCode[Symbol(method)]);
            }

            Assert.Matches(@"(^|\n)xchg \w+, qword ptr \[\w+\](\n|$)|(^|\n)xchg qword ptr \[\w+\], \w+(\n|$)", code[form][Exchange]);
            Assert.Contains("xchg ", objectCode[Symbol(Exchange)]);

            foreach (var method in Controls)
            {
                Assert.DoesNotContain("lock", code[form][method]);
                Assert.DoesNotContain("lock", objectCode[Symbol(method)]);
            }
        }

        foreach (var method in Atomics)
            Assert.Equal(code["alias"][method], code["strong"][method]);
    }

    /// <summary>
    /// Runs ilc on the kernel with the kernel as its system module, to an object file, fully optimized, writing the
    /// JIT's listing of the kernel's methods. --noscan: the scanner, which -O turns on, first asks the system module
    /// for the helpers a full runtime needs (System.Buffer, …), which a kernel's corlib does not have. One compilation
    /// thread: with more, the JIT's listings of methods compiled at once interleave in the one listing file.
    /// </summary>
    private static async Task<Dictionary<string, string>> Compile(string directory, string ilc, string kernel, string form)
    {
        var listing = Path.Combine(directory, $"ilc-disasm-{form}.txt");
        var run = await DotNet.RunProgram(ilc, directory, new Dictionary<string, string>(),
            kernel, "-o", Path.Combine(directory, $"kernel-{form}.o"), "--systemmodule:KernelCorlib", "--targetos:linux", "--targetarch:x64",
            "-O", "--noscan", "--nativelib", "--parallelism:1",
            "--codegenopt:JitDisasm=" + string.Join(" ", Atomics.Concat(Controls).Append(Exchange).Select(m => m.Split(':')[1])), "--codegenopt:JitDisasmDiffable=1", "--codegenopt:JitStdOutFile=" + listing);
        Assert.True(run.ExitCode == 0, run.ToString());
        return MachineCodeTests.Parse(File.ReadAllText(listing));
    }

    private static string Symbol(string method) => method.Replace(":", "__");

    /// <summary>objdump's disassembly of the kernel's object file, by function, keyed by the end of its symbol ("Paging__SetAccessed").</summary>
    private static async Task<Dictionary<string, string>> ObjectCode(string directory, string form)
    {
        var dump = await DotNet.RunProgram("objdump", directory, new Dictionary<string, string>(), "-d", "--no-show-raw-insn", $"kernel-{form}.o");
        Assert.True(dump.ExitCode == 0, dump.ToString());
        return Regex.Split(dump.Output, @"\n(?=[0-9a-f]+ <)")
            .Select(block => (Name: Regex.Match(block, @"^[0-9a-f]+ <\w+?_(?<name>[A-Za-z]+__\w+)>:").Groups["name"].Value, Code: block))
            .Where(f => f.Name.Length > 0)
            .ToDictionary(f => f.Name, f => f.Code);
    }

    /// <summary>The ilc of the ILCompiler package restore chose, as the restore's assets file names it.</summary>
    private static string Ilc(string directory)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "obj", "project.assets.json")));
        var root = assets.RootElement;
        var package = root.GetProperty("libraries").EnumerateObject()
            .Single(l => l.Name.StartsWith($"runtime.{RuntimeInformation.RuntimeIdentifier}.Microsoft.DotNet.ILCompiler/", StringComparison.OrdinalIgnoreCase));
        var folder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
        return Path.Combine(folder, package.Value.GetProperty("path").GetString()!, "tools", "ilc");
    }
}
