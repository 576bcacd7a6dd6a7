using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HandleGen.Tests.Diagnostics;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.EndToEnd;

/// <summary>
/// Faults as a user sees them: dotnet build of a real consumer prints "levels.json(line,col): error
/// HGnnnn" at the spot, and the build fails.
/// </summary>
public sealed class DiagnosticsEndToEndTests
{
    private static readonly Dictionary<string, string> Program = new() { ["Program.cs"] = "System.Console.WriteLine(1);" };

    [Fact]
    public async Task Faults_in_levels_json_are_printed_at_their_line_and_column()
    {
        var feed = await PackedPackage.Get();
        var spec = BaseSpec.With("\"pud\": 9", "\"pud\": \"9\"").Replace("\"pageShift\"", "\"pageShfit\"").Replace("\"pmd\": 9,", "\"pmdd\": 9,");
        var project = ConsumerProject.Create(feed, "Faulty_spec", spec, Program);

        var build = await project.Build();

        Assert.NotEqual(0, build.ExitCode);
        string At(string id, string text)
        {
            var (line, column) = new SpecFault(id, spec, id, text, "").ExpectedPosition();
            return $"levels.json({line},{column}): error {id}";
        }

        Assert.Equal(
            new[] { At("HG0003", "\"pageShfit\""), At("HG0005", "\"9\""), At("HG0007", "\"pmdd\"") }.Order(),
            ConsumerProject.HandleGenDiagnostics(build).Order());
    }

    [Fact]
    public async Task A_bad_switch_and_a_project_without_unsafe_code_fail_the_build_with_their_HG_errors()
    {
        var feed = await PackedPackage.Get();
        var noUnsafe = ConsumerProject.Create(feed, "No_unsafe", GeneratorHarness.ShippedSpec, Program, allowUnsafe: false);
        var badArch = ConsumerProject.Create(feed, "Bad_arch", GeneratorHarness.ShippedSpec, Program);

        var noUnsafeBuild = await noUnsafe.Build();
        var badArchBuild = await badArch.Build("HandleGenArch=sparc64");

        Assert.NotEqual(0, noUnsafeBuild.ExitCode);
        Assert.Equal(["CSC: error HG0022"], ConsumerProject.HandleGenDiagnostics(noUnsafeBuild));
        Assert.NotEqual(0, badArchBuild.ExitCode);
        Assert.Contains("HandleGenArch is \"sparc64\"", badArchBuild.Output);
        var arches = GeneratorHarness.ShippedSpec.IndexOf("\"arches\"");
        var line = GeneratorHarness.ShippedSpec[..arches].Split('\n').Length;
        var column = arches - GeneratorHarness.ShippedSpec[..arches].LastIndexOf('\n');
        Assert.Equal([$"levels.json({line},{column}): error HG0017"], ConsumerProject.HandleGenDiagnostics(badArchBuild));
    }
}
