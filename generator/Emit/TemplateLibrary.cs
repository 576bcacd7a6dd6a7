using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Scriban;

namespace HandleGen.Generator.Emit;

/// <summary>
/// The Scriban templates embedded from templates/, parsed once per process: the generator runs on
/// every keystroke in an IDE and parsing is the expensive part of rendering. A template whose name starts
/// with '_' is a piece the emitter renders once per model (<c>_Header</c>, <c>_Namespace</c>); every other
/// template renders one file. Only code inside the generator's try touches this class (and <see cref="TemplateWarmup"/>,
/// on the thread pool): its Scriban-typed members would make a loader that resolves them with the class fail there.
/// </summary>
internal static class TemplateLibrary
{
    private const string Prefix = "HandleGen.Templates.";
    private const string Suffix = ".sbntxt";

    private static readonly Lazy<Dictionary<string, Template>> Parsed = new(Load, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The template of the header every generated file starts with.</summary>
    public static Template Header => Parsed.Value["_Header"];

    /// <summary>The template of a file's namespace line and its local handle aliases (<c>namespace_prologue</c>).</summary>
    public static Template NamespacePrologue => Parsed.Value["_Namespace"];

    /// <summary>The templates that render a file each, by name, in name order.</summary>
    public static IEnumerable<KeyValuePair<string, Template>> Files =>
        Parsed.Value.Where(t => !t.Key.StartsWith("_", StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal);

    /// <summary>Parses the templates, once per process; a failure stays in <see cref="Parsed"/> and is thrown again where the templates are used.</summary>
    public static void Parse() => _ = Parsed.Value;

    private static Dictionary<string, Template> Load()
    {
        var assembly = typeof(TemplateLibrary).Assembly;
        var templates = new Dictionary<string, Template>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal) || !resource.EndsWith(Suffix, StringComparison.Ordinal))
                continue;
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var template = Template.Parse(reader.ReadToEnd(), resource);
            if (template.HasErrors)
                throw new InvalidOperationException("Template " + resource + ": " + string.Join("; ", template.Messages));
            templates.Add(resource.Substring(Prefix.Length, resource.Length - Prefix.Length - Suffix.Length), template);
        }

        return templates;
    }
}
