using System.Collections.Generic;
using HandleGen.Generator.Model;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.Generator.Emit;

/// <summary>
/// The sources last rendered, by model, for the life of the compiler process. A compiler server keeps the
/// generator loaded across builds but starts each build with a new driver, so without this every rebuild of an
/// unchanged project would render every file again; models are compared by value, so an edit to levels.json
/// renders anew. A handful of models is kept: one per arch of the projects the server builds.
/// </summary>
internal static class RenderCache
{
    private const int Capacity = 16;
    private static readonly LinkedList<(ArchModel Model, IReadOnlyList<(string HintName, SourceText Source)> Sources)> Entries = new();

    public static IReadOnlyList<(string HintName, SourceText Source)> Get(ArchModel model)
    {
        lock (Entries)
        {
            for (var node = Entries.First; node is not null; node = node.Next)
            {
                if (!node.Value.Model.Equals(model))
                    continue;
                Entries.Remove(node);
                Entries.AddFirst(node);
                return node.Value.Sources;
            }
        }

        var sources = new List<(string, SourceText)>();
        foreach (var (hintName, source) in SourceEmitter.Render(model))
            sources.Add((hintName, SourceText.From(source, System.Text.Encoding.UTF8)));
        lock (Entries)
        {
            Entries.AddFirst((model, sources));
            if (Entries.Count > Capacity)
                Entries.RemoveLast();
        }

        return sources;
    }
}
