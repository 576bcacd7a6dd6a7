using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Linq;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HandleGen.Tests.Diagnostics;

/// <summary>Faults of the build rather than the file: the switches, the spec files, the project settings.</summary>
public sealed class BuildDiagnosticTests
{
    private static Diagnostic Single(GeneratorRun run, string id)
    {
        Assert.Empty(run.Sources);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        return diagnostic;
    }

    private static string Message(Diagnostic d) => d.GetMessage(CultureInfo.InvariantCulture);

    [Fact]
    public void An_unknown_HandleGenArch_lists_the_arches_there_are()
    {
        var d = Single(GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Arch: "x86-64")), "HG0017");

        Assert.Contains("HandleGenArch is \"x86-64\"", Message(d));
        Assert.Contains("x86_64, x86_64_la57, i386, i386_pae, arm64_4k_48, ept, arm64_s2_4k, riscv_sv39, riscv_sv48, riscv_sv57", Message(d));
        // Located at the "arches" key of levels.json, so an IDE can jump to the list.
        var arches = GeneratorHarness.ShippedSpec.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains("\"arches\"")).i + 1;
        Assert.Equal(arches, SpecFault.Position(d).Line);
    }

    [Fact]
    public void A_HandleGenForm_other_than_alias_or_strong_is_an_error()
    {
        var d = Single(GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Form: "opaque")), "HG0018");

        Assert.Contains("HandleGenForm is \"opaque\"", Message(d));
        Assert.Contains("alias, strong", Message(d));
    }

    [Theory]
    [InlineData("hhdm")]
    [InlineData("offset:")]
    [InlineData("offset:0x1ffff800000000000")]
    public void A_HandleGenDirectMap_that_is_no_direct_map_is_an_error(string value)
    {
        var d = Single(GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(DirectMap: value)), "HG0032");

        Assert.Contains("HandleGenDirectMap is \"" + value + "\"", Message(d));
        Assert.Contains("\"identity\", \"offset:<hex>\"", Message(d));
    }

    [Fact]
    public void HandleGenStrongLevels_naming_an_unknown_level_is_an_error()
    {
        var d = Single(GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Form: "strong", StrongLevels: "pte;pmx")), "HG0019");

        Assert.Contains("\"pmx\"", Message(d));
        Assert.Contains("HandleGenStrongLevels", Message(d));
    }

    [Fact]
    public void No_spec_file_is_an_error_that_says_where_it_looked()
    {
        var run = GeneratorHarness.RunFiles([]);

        var d = Single(run, "HG0020");
        Assert.Contains("levels.json", Message(d));
    }

    [Fact]
    public void Two_spec_files_are_an_error_naming_both()
    {
        var run = GeneratorHarness.RunFiles([("/a/levels.json", GeneratorHarness.ShippedSpec), ("/b/levels.json", GeneratorHarness.ShippedSpec)]);

        var d = Single(run, "HG0021");
        Assert.Contains("/a/levels.json", Message(d));
        Assert.Contains("/b/levels.json", Message(d));
    }

    [Fact]
    public void A_project_without_unsafe_code_is_told_what_to_add()
    {
        var d = Single(GeneratorHarness.Run(GeneratorHarness.ShippedSpec, allowUnsafe: false), "HG0022");

        Assert.Contains("<AllowUnsafeBlocks>true</AllowUnsafeBlocks>", Message(d));
    }

    [Fact]
    public void The_alias_form_below_CSharp_12_is_told_what_to_change()
    {
        var options = new CSharpParseOptions(LanguageVersion.CSharp11);
        var d = Single(GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Form: "alias"), parseOptions: options), "HG0023");

        Assert.Contains("C# 12", Message(d));
        Assert.Contains("<LangVersion>", Message(d));
    }

    [Fact]
    public void The_strong_form_builds_on_CSharp_10_and_asks_for_it_below()
    {
        var csharp10 = new CSharpParseOptions(LanguageVersion.CSharp10, DocumentationMode.Diagnose);
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Form: "strong"), parseOptions: csharp10);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);

        var csharp9 = new CSharpParseOptions(LanguageVersion.CSharp9);
        var d = Single(GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Form: "strong"), parseOptions: csharp9), "HG0023");
        Assert.Contains("strong form needs C# 10", Message(d));
    }

    [Fact]
    public void An_empty_strong_level_list_is_an_error_and_a_list_with_the_alias_form_a_warning()
    {
        Single(GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Form: "strong", StrongLevels: ";")), "HG0019");

        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Form: "alias", StrongLevels: "pte"));
        var warning = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("HG0102", DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.NotEmpty(run.Sources);
    }

    [Fact]
    public void An_unreadable_spec_file_is_an_error_naming_it()
    {
        var compilation = GeneratorHarness.NewCompilation([]);
        var driver = GeneratorHarness.NewDriver([new UnreadableText("/project/levels.json")], new Switches())
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _, TestContext.Current.CancellationToken);

        var d = Single(new GeneratorRun(driver, driver.GetRunResult(), output), "HG0025");
        Assert.Contains("/project/levels.json", Message(d));
    }

    [Fact]
    public void NoWarn_does_not_hide_an_HG_error()
    {
        // What <NoWarn>HG0022</NoWarn> and an .editorconfig severity line turn into for the compiler.
        var compilation = GeneratorHarness.NewCompilation([], allowUnsafe: false);
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
            new Dictionary<string, ReportDiagnostic> { ["HG0022"] = ReportDiagnostic.Suppress }));
        GeneratorHarness.NewDriver([(GeneratorHarness.SpecPath, GeneratorHarness.ShippedSpec)], new Switches())
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics, TestContext.Current.CancellationToken);

        Assert.Contains(diagnostics, d => d.Id == "HG0022" && d.Severity == DiagnosticSeverity.Error && !d.IsSuppressed);
    }

    private sealed class UnreadableText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override Microsoft.CodeAnalysis.Text.SourceText? GetText(System.Threading.CancellationToken cancellationToken = default) => null;
    }

    [Theory]
    [InlineData("alias")]
    [InlineData("strong")]
    public void On_netstandard2_0_the_generated_code_builds_with_what_the_library_offers(string form)
    {
        // netstandard2.0 has no Interlocked on unsigned words: the atomics are left out. Its runtime map would need HandleGen.Runtime, which is not referenced.
        var run = GeneratorHarness.RunOn(NetStandard20(), GeneratorHarness.ShippedSpec, new Switches(Form: form, DirectMap: "identity"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.DoesNotContain(run.CompileDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains("calls HandleGen.Runtime, which this build does not reference", Message(Single(GeneratorHarness.RunOn(NetStandard20(), GeneratorHarness.ShippedSpec, new Switches(Form: form)), "HG0033")));
    }

    [Fact]
    public void Errors_cannot_be_suppressed_but_the_warning_can()
    {
        Assert.All(Generator.Diagnostics.DiagnosticDescriptors.Every, d =>
            Assert.Equal(d.DefaultSeverity == DiagnosticSeverity.Error, d.CustomTags.Contains(WellKnownDiagnosticTags.NotConfigurable)));
    }

    private static IEnumerable<MetadataReference> NetStandard20()
    {
        var folder = BuildFacts.Get("NetStandard20References");
        return Directory.GetFiles(folder, "*.dll").Select(f => (MetadataReference)MetadataReference.CreateFromFile(f));
    }
}
