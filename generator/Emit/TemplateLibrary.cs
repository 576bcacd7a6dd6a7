using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace HandleGen.Generator.Emit;

/// <summary>
/// The Scriban templates embedded from templates/, parsed once per process: the generator runs on
/// every keystroke in an IDE and parsing is the expensive part of rendering. A template whose name
/// starts with '_' is a partial, pulled in by <c>include</c>; every other one renders one file.
/// </summary>
internal static class TemplateLibrary
{
    private const string Prefix = "HandleGen.Templates.";
    private const string Suffix = ".sbntxt";

    private static readonly Lazy<Dictionary<string, Template>> Parsed = new(Load, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Starts parsing on the thread pool, once per process. The compiler creates generators before it
    /// parses and binds the project's sources, and runs them after: a compiler process that is new for
    /// each build (no compiler server) would otherwise wait for the parse, most of it jitting Scriban's
    /// parser, inside the generator. A failure stays in <see cref="Parsed"/> and is reported when the
    /// templates are used, as is a template engine that does not load: only <see cref="Parse"/>, on the
    /// thread pool, touches Scriban.
    /// </summary>
    public static void StartParsing() => System.Threading.Tasks.Task.Run(Parse);

    private static void Parse() => _ = Parsed.Value;

    /// <summary>The templates that render a file each, by name, in name order.</summary>
    public static IEnumerable<KeyValuePair<string, Template>> Files =>
        Parsed.Value.Where(t => !t.Key.StartsWith("_", StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal);

    /// <summary>Makes a render context that resolves <c>include</c> to the parsed partials.</summary>
    public static void AttachPartials(TemplateContext context)
    {
        context.TemplateLoader = PartialLoader.Instance;
        foreach (var partial in Parsed.Value.Where(t => t.Key.StartsWith("_", StringComparison.Ordinal)))
            context.CachedTemplates[partial.Key] = partial.Value;
    }

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

    // Every partial is already parsed and cached in the context, so Load is never reached for a known name.
    private sealed class PartialLoader : ITemplateLoader
    {
        public static readonly PartialLoader Instance = new();

        public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) => templateName;

        public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
            throw new InvalidOperationException("No template named " + templatePath);

        public System.Threading.Tasks.ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
            throw new InvalidOperationException("No template named " + templatePath);
    }
}
