using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using HandleGen.Generator;
using HandleGen.Generator.Common;
using HandleGen.Generator.Input;
using HandleGen.Generator.Model;
using HandleGen.Tests.Infrastructure;

namespace HandleGen.Tests.Core;

/// <summary>
/// The incremental driver and the render cache reuse a rendering only while the model compares equal by value, and
/// must render anew when it does not: every model type must compare by every member it holds, lists included.
/// </summary>
public sealed class ModelEqualityTests
{
    /// <summary>
    /// Builds whose models reach every model type: x86_64 (x86's roles), arm64 (a contiguous run, DBM's read-only bit)
    /// and the element style (the local aliases).
    /// </summary>
    private static readonly Switches[] Builds = [new("x86_64"), new("arm64_4k_48"), new("x86_64", Style: "element")];

    private static readonly CompilationFactsHolder Facts = new();

    [Fact]
    public void Two_builds_of_the_same_spec_give_equal_models_of_every_type()
    {
        var reached = new HashSet<Type>();
        foreach (var switches in Builds)
        {
            var first = Build(GeneratorHarness.ShippedSpec, switches);
            var second = Build(GeneratorHarness.ShippedSpec, switches);
            AssertEqualGraphs(first, second, reached);
        }

        // Every record of the model namespace is reached, so none escapes the checks here.
        var records = typeof(ArchModel).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ArchModel).Namespace && t.GetMethod("<Clone>$") is not null)
            .ToHashSet();
        Assert.Equal(records.OrderBy(t => t.Name).Select(t => t.Name), reached.OrderBy(t => t.Name).Select(t => t.Name));
    }

    [Fact]
    public void A_copy_with_any_one_member_changed_is_unequal()
    {
        var samples = new Dictionary<Type, List<object>>();
        foreach (var switches in Builds)
            Collect(Build(GeneratorHarness.ShippedSpec, switches), samples);

        var checkedMembers = 0;
        foreach (var (type, instances) in samples)
        {
            foreach (var property in StoredProperties(type))
            {
                var instance = instances[0];
                var changed = With(instance, property, Different(property, property.GetValue(instance), samples));
                Assert.False(instance.Equals(changed), type.Name + "." + property.Name + " is left out of the equality");
                Assert.True(instance.Equals(With(instance, property, property.GetValue(instance))), type.Name + " is not equal to its copy");
                checkedMembers++;
            }
        }

        // ArchModel alone stores 22 members; the count guards against a walk that checks nothing.
        Assert.True(checkedMembers > 60, checkedMembers + " members checked");
    }

    [Theory]
    [InlineData("form")]
    [InlineData("style")]
    [InlineData("visibility")]
    [InlineData("directMap")]
    [InlineData("namespace")]
    [InlineData("bit")]
    public void A_changed_spec_or_switch_gives_an_unequal_model(string change)
    {
        var spec = JsonNode.Parse(GeneratorHarness.ShippedSpec)!;
        var x86 = spec["arches"]!["x86_64"]!;
        var switches = new Switches("x86_64");
        switch (change)
        {
            case "form":
                switches = switches with { Form = "strong" };
                break;
            case "style":
                switches = switches with { Style = "element" };
                break;
            case "visibility":
                switches = switches with { Visibility = "internal" };
                break;
            case "directMap":
                switches = switches with { DirectMap = "offset:0xffff888000000000" };
                break;
            case "namespace":
                x86["namespace"] = "Other.Arch";
                break;
            case "bit":
                // _PAGE_NX moved from bit 63 to 62: one EntryBitModel of many differs.
                x86["bits"]!["NX"] = 62;
                break;
        }

        var before = Build(GeneratorHarness.ShippedSpec, new Switches("x86_64"));
        var after = Build(spec.ToJsonString(), switches);
        Assert.NotEqual(before, after);
    }

    private static ArchModel Build(string specText, Switches switches)
    {
        var options = new TestOptionsProvider(switches.ToBuildProperties(), new HashSet<string>()).GlobalOptions;
        var result = GenerationResult.From(
            new[] { new SpecFile(GeneratorHarness.SpecPath, specText) }.ToEquatableArray(),
            BuildSwitches.From(options),
            Facts.Value);
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        return Assert.Single(result.Models);
    }

    /// <summary>
    /// Walks two model graphs side by side, through every member the templates see: each pair equal by value, with
    /// equal hash codes, and not the same object.
    /// </summary>
    private static void AssertEqualGraphs(object first, object second, HashSet<Type> reached)
    {
        var type = first.GetType();
        reached.Add(type);
        Assert.False(ReferenceEquals(first, second), "the same instance of " + type.FullName);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        foreach (var property in AllProperties(type))
        {
            var (a, b) = (property.GetValue(first), property.GetValue(second));
            if (a is null || b is null)
                Assert.Equal(a, b);
            else if (IsModel(a.GetType()))
                AssertEqualGraphs(a, b, reached);
            else if (a is IEnumerable list and not string)
            {
                var (left, right) = (list.Cast<object>().ToList(), ((IEnumerable)b).Cast<object>().ToList());
                Assert.Equal(left.Count, right.Count);
                for (var i = 0; i < left.Count; i++)
                {
                    if (IsModel(left[i].GetType()))
                        AssertEqualGraphs(left[i], right[i], reached);
                    else
                        Assert.Equal(left[i], right[i]);
                }
            }
        }
    }

    private static void Collect(object model, Dictionary<Type, List<object>> samples)
    {
        var type = model.GetType();
        if (!samples.TryGetValue(type, out var list))
            samples[type] = list = new List<object>();
        list.Add(model);
        foreach (var value in AllProperties(type).Select(p => p.GetValue(model)).Where(v => v is not null))
        {
            if (IsModel(value!.GetType()))
                Collect(value, samples);
            else if (value is IEnumerable items and not string)
                foreach (var item in items)
                    Collect(item, samples);
        }
    }

    /// <summary>A value of the property's type that differs from <paramref name="value"/>.</summary>
    private static object? Different(PropertyInfo property, object? value, Dictionary<Type, List<object>> samples)
    {
        var type = property.PropertyType;
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is { IsEnum: true })
            return value is null ? Enum.GetValues(underlying).GetValue(0) : null;
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue((Array.IndexOf(values, value) + 1) % values.Length);
        }

        switch (value)
        {
            case bool b:
                return !b;
            case int i:
                return i + 1;
            case string s:
                return s + "'";
            case null when type == typeof(string):
                return "x";
            case null:
                return samples[type][0];
        }

        if (IsModel(type))
        {
            // Another instance of the type where there is one, else a copy with its first member changed.
            if (samples[type].FirstOrDefault(s => !s.Equals(value)) is { } other)
                return other;
            var first = StoredProperties(type).First();
            return With(value, first, Different(first, first.GetValue(value), samples));
        }

        // An EquatableArray<T>: one element fewer, or one when it is empty.
        var element = type.GetGenericArguments()[0];
        var items = ((IEnumerable)value).Cast<object>().ToList();
        items = items.Count > 0 ? items.Take(items.Count - 1).ToList() : [samples[element][0]];
        var array = Array.CreateInstance(element, items.Count);
        for (var i = 0; i < items.Count; i++)
            array.SetValue(items[i], i);
        return Activator.CreateInstance(type, array);
    }

    /// <summary>A record's copy (its compiler-made clone) with one init member set.</summary>
    private static object With(object record, PropertyInfo property, object? value)
    {
        var copy = record.GetType().GetMethod("<Clone>$")!.Invoke(record, null)!;
        property.SetValue(copy, value);
        return copy;
    }

    /// <summary>The members a record stores (init-settable), not the ones it computes.</summary>
    private static IEnumerable<PropertyInfo> StoredProperties(Type type) => AllProperties(type).Where(p => p.SetMethod is not null);

    /// <summary>What the templates see of a model: its public properties, computed ones (as the local aliases) included.</summary>
    private static IEnumerable<PropertyInfo> AllProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract");

    private static bool IsModel(Type type) => type.Namespace == typeof(ArchModel).Namespace && type.GetMethod("<Clone>$") is not null;

    /// <summary>The facts of an ordinary .NET project, read once.</summary>
    private sealed class CompilationFactsHolder
    {
        private readonly Lazy<CompilationFacts> facts = new(() =>
            CompilationFacts.Read(GeneratorHarness.NewCompilation(["class A { }"]), GeneratorHarness.ParseOptions));

        public CompilationFacts Value => facts.Value;
    }
}
