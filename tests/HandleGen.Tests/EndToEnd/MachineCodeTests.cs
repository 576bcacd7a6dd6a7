using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.EndToEnd;

/// <summary>
/// The strong form costs nothing: a consumer built in each form runs with the JIT's disassembly
/// written to a file (tiered compilation off, so every method is fully optimized), and the x64 code
/// of each workload must be the same instruction for instruction in both forms, but for the one
/// difference in the walk that the JIT does not allow away (pinned below).
/// </summary>
public sealed class MachineCodeTests
{
    /// <summary>The workloads of bench/Workloads/PteLoops.cs the machine-code tests compare.</summary>
    internal static readonly string[] Workloads = ["SetPtes", "SumGet", "SumGetOnce", "SpinWhileUnchanged", "SetBitsAtomically", "Walk"];

    [Fact]
    public async Task The_optimized_x64_code_matches_across_forms_and_hand_written_code_and_get_once_reloads_in_the_loop()
    {
        Assert.SkipUnless(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64,
            "the expected code is x64");
        var feed = await PackedPackage.Get();
        var alias = await Disassemble(feed, "alias");
        var strong = await Disassemble(feed, "strong");

        foreach (var method in Workloads.Select(w => "PteLoops:" + w).Append("Pgtable:set_ptes"))
        {
            Assert.True(alias.ContainsKey(method), $"no disassembly of {method}; found {string.Join(", ", alias.Keys)}");
            Assert.True(strong.ContainsKey(method), $"no disassembly of {method} in the strong form");
        }

        AssertTheFormsCompileAlike(alias, strong);

        // Against the loops written by hand on ulong*: set_ptes is the same code. The read loops differ
        // in one way only: the JIT does not fold the load of an inlined struct-returning call (pte_t)
        // into the add, so "add rax, [rdi]" becomes "mov rcx, [rdi]; add rax, rcx". Pin exactly that.
        Assert.Equal(alias["RawLoops:SetPtes"], alias["Pgtable:set_ptes"]);
        foreach (var workload in new[] { "SumGet", "SumGetOnce" })
        {
            var api = alias["PteLoops:" + workload];
            Assert.Equal(alias["RawLoops:" + workload], Regex.Replace(api, @"mov (\w+), (qword ptr \[\w+\])\nadd (\w+), \1", "add $3, $2"));
            Assert.Equal(Count(alias["RawLoops:" + workload]) + 1, Count(api));
        }

        // The walk in the alias form has as many instructions as the x86_64 walk written by hand; the
        // pte_t value struct only changes which of "load, and-mask" comes first at each level.
        Assert.Equal(Count(alias["RawLoops:Walk"]), Count(alias["PteLoops:Walk"]));

        AssertTheAccessorsKeepTheirPromises(alias);
    }

    /// <summary>
    /// ptep_get_once keeps its load inside the spin loop (the consumer also proved it against a real store), and
    /// the try_cmpxchg loop's compare-exchange is one locked instruction on the entry.
    /// </summary>
    internal static void AssertTheAccessorsKeepTheirPromises(Dictionary<string, string> code)
    {
        var spin = code["PteLoops:SpinWhileUnchanged"].Split('\n');
        var loop = spin.SkipWhile(l => !l.StartsWith("align")).Skip(1).TakeWhile(l => !l.StartsWith("jl")).ToList();
        Assert.Contains(loop, l => l.StartsWith("mov") && l.Contains("ptr ["));
        Assert.Matches(@"^lock\ncmpxchg qword ptr \[rdi\], \w+$", new Regex(@"^lock\ncmpxchg .*$", RegexOptions.Multiline).Match(code["PteLoops:SetBitsAtomically"]).Value);
    }

    /// <summary>
    /// Every workload and set_ptes is the same code in both forms; the walk differs only as the JIT makes it differ:
    /// where an offset stores table + index into a strong handle and the next read loads through it, the JIT keeps
    /// the address in a register ("lea r, [t+8*i]; mov x, [r]") instead of folding it into the load
    /// ("mov x, [t+8*i]"). That, once per level read (four), is the only difference (ILCompiler's "lea r, [(reloc)];
    /// mov r, [r]", a static's address, is not one of them); the longer code may also
    /// turn a short jump over it into a near one (ILCompiler's walk does), the same jump encoded in more bytes.
    /// </summary>
    internal static void AssertTheFormsCompileAlike(Dictionary<string, string> alias, Dictionary<string, string> strong)
    {
        foreach (var method in Workloads.Where(w => w != "Walk").Select(w => "PteLoops:" + w).Append("Pgtable:set_ptes"))
            Assert.Equal(alias[method], strong[method]);

        var strongWalk = strong["PteLoops:Walk"];
        var folded = Regex.Replace(strongWalk, @"lea (\w+), (\[\w+\+8\*\w+\])\nmov (\w+), qword ptr \[\1\]", "mov $3, qword ptr $2");
        Assert.Equal(AnyJumpSize(alias["PteLoops:Walk"]), AnyJumpSize(folded));
        Assert.Equal(4, Regex.Matches(strongWalk, @"^lea ", RegexOptions.Multiline).Count - Regex.Matches(alias["PteLoops:Walk"], @"^lea ", RegexOptions.Multiline).Count);
    }

    /// <summary>The disassembly consumer's sources: its program and the workloads the benchmarks measure.</summary>
    internal static Dictionary<string, string> ConsumerSources()
    {
        var workloads = Path.Combine(RepoPaths.Root, "bench", "Workloads");
        return new Dictionary<string, string>
        {
            ["Program.cs"] = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "HandleGen.Tests", "EndToEnd", "Consumers", "Disasm.cs")),
            ["PteLoops.cs"] = File.ReadAllText(Path.Combine(workloads, "PteLoops.cs")),
            ["RawLoops.cs"] = File.ReadAllText(Path.Combine(workloads, "RawLoops.cs")),
        };
    }

    /// <summary>The methods whose code the tests compare, as the JIT's JitDisasm names them.</summary>
    internal static string DisasmList => string.Join(" ", Workloads.Append("set_ptes"));

    private static string AnyJumpSize(string instructions) => Regex.Replace(instructions, @"^(j\w+) SHORT ", "$1 ", RegexOptions.Multiline);

    private static int Count(string instructions) =>
        instructions.Split('\n').Count(l => !l.StartsWith("align"));

    /// <summary>Builds and runs the disassembly consumer in one form; returns each method's normalized instructions.</summary>
    private static async Task<Dictionary<string, string>> Disassemble(PackageFeed feed, string form)
    {
        var project = ConsumerProject.Create(feed, "Disasm_" + form, GeneratorHarness.ShippedSpec, ConsumerSources());
        var build = await project.Build("HandleGenArch=x86_64", "HandleGenForm=" + form, "Configuration=Release");
        Assert.True(build.ExitCode == 0, build.ToString());

        var listing = Path.Combine(project.Directory, "jit-disasm.txt");
        var run = await project.Run(new Dictionary<string, string>
        {
            ["DOTNET_TieredCompilation"] = "0",
            ["DOTNET_TieredPGO"] = "0",
            ["DOTNET_ReadyToRun"] = "0",
            ["DOTNET_JitDisasm"] = DisasmList,
            ["DOTNET_JitDisasmDiffable"] = "1",
            ["DOTNET_JitStdOutFile"] = listing,
        }, "run", "--no-build", "-c", "Release");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("spin ended after some reads", run.Output);
        Assert.Contains("walk 0xabcd063 0xabcd063", run.Output);
        return Parse(File.ReadAllText(listing));
    }

    /// <summary>
    /// Splits a JIT listing into methods ("Class:Method") and keeps only their instructions, with
    /// labels, comments and call signatures dropped, so two listings compare equal when the code is the same.
    /// </summary>
    internal static Dictionary<string, string> Parse(string listing)
    {
        var methods = new Dictionary<string, string>();
        foreach (var section in Regex.Split(listing, @"(?=^; Assembly listing for method )", RegexOptions.Multiline).Skip(1))
        {
            var header = Regex.Match(section, @"^; Assembly listing for method [\w.]*?(?<name>\w+:\w+)\(");
            var instructions = section.Split('\n')
                .Select(l => Regex.Replace(l, @";.*$", "").Trim())
                .Where(l => l.Length > 0 && !l.EndsWith(':'))
                .Select(l => Regex.Replace(l, @"G_M\d+_IG\d+", "L"))
                // A call's target names its parameter types, which are the handle types: keep only the name.
                .Select(l => Regex.Replace(l, @"(\w+:\w+)\([^\]]*\)", "$1()"))
                .Select(l => Regex.Replace(l, @"\s+", " "));
            methods[header.Groups["name"].Value] = string.Join("\n", instructions);
        }

        return methods;
    }
}
