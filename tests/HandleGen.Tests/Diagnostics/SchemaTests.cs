using System.IO;
using System.Linq;
using System.Text.Json;
using HandleGen.Tests.EndToEnd;
using HandleGen.Tests.Infrastructure;
using Json.Schema;

namespace HandleGen.Tests.Diagnostics;

/// <summary>
/// levels.schema.json, which editors use to complete and check levels.json, agrees with the
/// generator: it accepts every spec the generator accepts and rejects the type and range faults.
/// </summary>
public sealed class SchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoPaths.Root, "levels.schema.json")));

    // The faults a schema can express: keys, types, ranges, enumerations, patterns. Syntax faults
    // (HG0001, HG0002) are not JSON to check, and rules across keys (HG0010, HG0011, HG0015, HG0024) are
    // beyond a schema.
    private static readonly string[] SchemaFaults =
        ["HG0003", "HG0004", "HG0005", "HG0006", "HG0007", "HG0008", "HG0009", "HG0012", "HG0013", "HG0014", "HG0016", "HG0036"];

    // Beyond a schema too: a fault in a value a "base" brings in (reported at "base"), and a missing
    // defaultArch, which a build that sets HandleGenArch does not need.
    private static bool SchemaCanSee(SpecFault f) => f.At != "\"base\"" && f.Name != "a missing defaultArch";

    public static TheoryData<string> ValidSpecs => new(["shipped", "base", "custom", "based"]);

    public static TheoryData<string> RejectedFaults => new(SpecDiagnosticTests.All.Where(f => SchemaFaults.Contains(f.Id) && SchemaCanSee(f)).Select(f => f.Name));

    [Theory]
    [MemberData(nameof(ValidSpecs))]
    public void The_schema_accepts_every_spec_the_generator_accepts(string name)
    {
        var spec = name switch
        {
            "shipped" => GeneratorHarness.ShippedSpec,
            "base" => BaseSpec.Text,
            "based" => BasedSpec,
            _ => PackageEndToEndTests.CustomSpec,
        };
        Assert.DoesNotContain(GeneratorHarness.Run(spec).GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);

        var result = Evaluate(spec);

        Assert.True(result.IsValid, Describe(result));
    }

    [Theory]
    [MemberData(nameof(RejectedFaults))]
    public void The_schema_rejects_the_type_and_range_faults(string name)
    {
        var fault = SpecDiagnosticTests.All.Single(f => f.Name == name);

        Assert.False(Evaluate(fault.Spec).IsValid, $"the schema accepts \"{name}\", which the generator rejects with {fault.Id}");
    }

    // A user's file on two shipped formats, one with keys of its own.
    private const string BasedSpec = """
        {
          "namespace": "Kernel.Mm",
          "defaultArch": "x86_64",
          "arches": {
            "x86_64": { "base": "x86_64", "pfnBits": 36, "directMap": "identity" },
            "ept": { "base": "ept" }
          }
        }
        """;

    [Fact]
    public void The_schema_offers_exactly_the_shipped_formats_as_bases()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "levels.schema.json")));
        var bases = schema.RootElement.GetProperty("$defs").GetProperty("arch").GetProperty("properties").GetProperty("base").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()!).ToList();

        Assert.Equal(GeneratorHarness.ShippedArches(), bases);
    }

    [Fact]
    public void The_shipped_levels_json_names_the_schema()
    {
        using var doc = JsonDocument.Parse(GeneratorHarness.ShippedSpec);
        Assert.Equal("./levels.schema.json", doc.RootElement.GetProperty("$schema").GetString());
    }

    internal static EvaluationResults Evaluate(string spec)
    {
        using var doc = JsonDocument.Parse(spec);
        return Schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults result) =>
        string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
}
