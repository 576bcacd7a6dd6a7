using System;
using System.Collections.Generic;
using System.Globalization;
using HandleGen.Generator.Common;
using HandleGen.Generator.Model;
using Scriban;
using Scriban.Runtime;

namespace HandleGen.Generator.Emit;

/// <summary>Renders every template for one architecture model: a hint name and C# source per template.</summary>
internal static class SourceEmitter
{
    public static IEnumerable<(string HintName, string Source)> Render(ArchModel model)
    {
        var context = NewContext(model);
        var header = RenderOne(context, TemplateLibrary.Header);
        // Rendered once and handed to the templates that open with it, so every file declares the same aliases.
        context.PushGlobal(new ScriptObject { ["namespace_prologue"] = RenderOne(context, TemplateLibrary.NamespacePrologue) });
        foreach (var file in TemplateLibrary.Files)
        {
            if (!model.Declares(file.Key))
                continue;
            yield return (model.Namespace + "." + file.Key + ".g.cs", header + RenderOne(context, file.Value));
        }
    }

    /// <summary>Renders one template; variables it assigns do not leak into the next.</summary>
    private static string RenderOne(TemplateContext context, Template template)
    {
        context.PushGlobal(new ScriptObject());
        context.PushOutput();
        var source = template.Render(context);
        context.PopOutput();
        context.PopGlobal();
        return source;
    }

    /// <summary>
    /// One context for all of a model's files, with no builtins: the templates call no Scriban function.
    /// Scriban's default builtins (string, array, object, date, include, …) cost a tenth of a second to set
    /// up in a new compiler process, and their object functions load System.Text.Json 10, which a
    /// compiler on .NET 8 or 9 cannot.
    /// </summary>
    private static TemplateContext NewContext(ArchModel model)
    {
        var context = new ChoiceWordContext(new ScriptObject())
        {
            StrictVariables = true,
            NewLine = "\n",
        };
        context.PushCulture(CultureInfo.InvariantCulture);
        context.PushGlobal(Globals(model));
        return context;
    }

    /// <summary>
    /// The model's properties as template variables in snake_case (PageShift → page_shift), what
    /// <c>ScriptObject.Import</c> does; Import itself is avoided because it loads System.Text.Json.
    /// </summary>
    private static ScriptObject Globals(ArchModel model)
    {
        var globals = new ScriptObject();
        foreach (var property in typeof(ArchModel).GetProperties())
        {
            if (property.GetIndexParameters().Length == 0)
                globals.SetValue(StandardMemberRenamer.Default(property), property.GetValue(model), true);
        }

        return globals;
    }

    /// <summary>
    /// Prints a choice (an enum of the model) as its word, as levels.json spells it: "alias", "identity". Scriban
    /// compares a value with a string by its printed text, so <c>direct_map.kind == "identity"</c> holds too.
    /// </summary>
    private sealed class ChoiceWordContext : TemplateContext
    {
        public ChoiceWordContext(ScriptObject builtins)
            : base(builtins)
        {
        }

        public override string? ObjectToString(object? value, bool nested = false) =>
            value is Enum choice ? choice.Word() : base.ObjectToString(value, nested);
    }
}
