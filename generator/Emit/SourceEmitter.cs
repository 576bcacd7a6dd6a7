using System.Collections.Generic;
using System.Globalization;
using HandleGen.Generator.Model;
using Scriban;
using Scriban.Runtime;

namespace HandleGen.Generator.Emit;

/// <summary>Renders every template for one architecture model: a hint name and C# source per template.</summary>
internal static class SourceEmitter
{
    public static IEnumerable<(string HintName, string Source)> Render(ArchModel model)
    {
        foreach (var file in TemplateLibrary.Files)
        {
            var globals = new ScriptObject();
            globals.Import(model);
            var context = new TemplateContext
            {
                StrictVariables = true,
                NewLine = "\n",
            };
            TemplateLibrary.AttachPartials(context);
            context.PushCulture(CultureInfo.InvariantCulture);
            context.PushGlobal(globals);
            yield return (model.Namespace + "." + file.Key + ".g.cs", file.Value.Render(context));
        }
    }
}
