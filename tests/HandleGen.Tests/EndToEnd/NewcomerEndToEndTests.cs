using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.EndToEnd;

/// <summary>
/// The first minutes of a new user, as the README's quick start tells them: a console project from
/// the template, the package added with the CLI, one property, no levels.json; it builds and runs in
/// both forms from the formats shipped in the package.
/// </summary>
public sealed class NewcomerEndToEndTests
{
    // The README's quick-start program, plus a line that tells the forms apart.
    private const string Program = """
        using System.Runtime.InteropServices;
        using PageTables;
        using static PageTables.Pgtable;

        unsafe
        {
            var table = (pte_t*)NativeMemory.AlignedAlloc((nuint)(PTRS_PER_PTE * sizeof(pte_t)), 4096);
            var ptep = hw_pte_add(__hw_ptep(table), (int)pte_index(0x7f12_3456_7000));
            set_pte(ptep, pfn_pte(0x1234, PAGE_KERNEL));
            Console.WriteLine($"pgd {pgd_index(0x7f12_3456_7000)} pte 0x{pte_val(ptep_get(ptep)):x}");
            Console.WriteLine($"handle is a pointer: {typeof(hw_ptep).IsPointer}");
            NativeMemory.AlignedFree(table);
        }
        """;

    [Fact]
    public async Task A_new_console_project_with_the_package_and_HandleGenArch_builds_and_runs_in_both_forms()
    {
        var feed = await PackedPackage.Get();
        var dir = Path.Combine(feed.WorkDirectory, "Newcomer");
        // Packages restore into the test run's own folder, as for every consumer of the packed package.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(feed.WorkDirectory, "packages") };

        var created = await DotNet.Run(feed.WorkDirectory, environment, "new", "console", "-o", dir, "-n", "Newcomer", "--no-restore");
        Assert.True(created.ExitCode == 0, created.ToString());
        File.WriteAllText(Path.Combine(dir, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="handlegen-e2e" value="{feed.Folder}" />
              </packageSources>
            </configuration>
            """);
        var added = await DotNet.Run(dir, environment, "add", "package", "HandleGen", "--version", feed.Version);
        Assert.True(added.ExitCode == 0, added.ToString());

        var projectFile = Path.Combine(dir, "Newcomer.csproj");
        var project = File.ReadAllText(projectFile);
        Assert.DoesNotContain("HandleGenArch", project);
        File.WriteAllText(projectFile, project.Replace("</OutputType>", "</OutputType>\n    <HandleGenArch>x86_64</HandleGenArch>\n    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>"));
        File.WriteAllText(Path.Combine(dir, "Program.cs"), Program);
        Assert.False(File.Exists(Path.Combine(dir, "levels.json")));

        foreach (var (form, pointer) in new[] { ("alias", "True"), ("strong", "False") })
        {
            var build = await DotNet.Run(dir, environment, "build", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:HandleGenForm=" + form);
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.DoesNotMatch(@": warning (CS|HG)\d{4}", build.Output);

            var run = await DotNet.Run(dir, environment, "run", "--no-build");
            Assert.True(run.ExitCode == 0, run.ToString());
            // By hand: 0x7f1234567000 >> 39 = 254; frame 0x1234 << 12 with x86_64's PAGE_KERNEL
            // (_PAGE_NX | _PAGE_GLOBAL | _PAGE_DIRTY | _PAGE_ACCESSED | _PAGE_RW | _PAGE_PRESENT = 0x8000000000000163).
            Assert.Contains("pgd 254 pte 0x8000000001234163", run.Output);
            Assert.Contains("handle is a pointer: " + pointer, run.Output);
        }

        // Without the property the build says what to do, naming the shipped formats.
        File.WriteAllText(projectFile, project.Replace("</OutputType>", "</OutputType>\n    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>"));
        var bare = await DotNet.Run(dir, environment, "build", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        Assert.NotEqual(0, bare.ExitCode);
        Assert.Equal(["CSC: error HG0020"], ConsumerProject.HandleGenDiagnostics(bare));
        Assert.Contains("set <HandleGenArch> to a format shipped in HandleGen: x86_64, x86_64_la57, i386", bare.Output);
    }
}
