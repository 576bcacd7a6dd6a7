using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HandleGen.Tests.Core;

/// <summary>
/// What lets HandleGen sit in a library: the generator stays silent in a project that only references one
/// (no _HandleGenConsumer), and HandleGenVisibility=internal keeps every generated type inside its assembly.
/// </summary>
public sealed class LibrarySafetyTests
{
    [Fact]
    public void Without_the_consumer_property_the_generator_generates_and_reports_nothing_even_with_a_spec()
    {
        // What a project gets when the generator reached it only through a reference to a library: no props, no switches.
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Arch: "no-such-arch", Consumer: false));

        Assert.Empty(run.Sources);
        Assert.Empty(run.GeneratorDiagnostics);
    }

    [Theory]
    [InlineData("alias", "x86_64")]
    [InlineData("strong", "x86_64")]
    [InlineData("strong", "x86_64;ept")]
    public void HandleGenVisibility_internal_makes_every_generated_type_internal(string form, string arch)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Arch: arch, Form: form, Visibility: "internal"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.DoesNotContain(run.CompileDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        var types = TopLevelTypes(run.Output.Assembly.GlobalNamespace).ToList();
        Assert.Contains(types, t => t.Name == "pte_t");
        Assert.Contains(types, t => t.Name == "Pgtable");
        Assert.All(types, t => Assert.Equal(Accessibility.Internal, t.DeclaredAccessibility));
        // The same build without the switch exports them all: the default is public.
        var public_ = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Arch: arch, Form: form));
        Assert.All(TopLevelTypes(public_.Output.Assembly.GlobalNamespace).Where(t => t.ContainingNamespace.ToDisplayString().StartsWith("PageTables")),
            t => Assert.Equal(Accessibility.Public, t.DeclaredAccessibility));
    }

    [Theory]
    [InlineData("private")]
    [InlineData("file")]
    public void A_HandleGenVisibility_other_than_public_or_internal_is_an_error(string value)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpec, new Switches(Visibility: value));

        Assert.Empty(run.Sources);
        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("HG0034", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.StartsWith("HandleGenVisibility is \"" + value + "\"; allowed: public, internal (see diagnostics.md#hg0034)", d.GetMessage(CultureInfo.InvariantCulture));
    }

    private static IEnumerable<INamedTypeSymbol> TopLevelTypes(INamespaceSymbol ns) =>
        ns.GetTypeMembers().Concat(ns.GetNamespaceMembers().SelectMany(TopLevelTypes));
}
