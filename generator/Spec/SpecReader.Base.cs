using System.Linq;
using HandleGen.Generator.Diagnostics;

namespace HandleGen.Generator.Spec;

internal sealed partial class SpecReader
{
    /// <summary>
    /// The arch the reader checks. An arch with <c>"base"</c> is the shipped format of that name with every
    /// top-level key the user writes replacing the base's key of the same name whole: an object such as
    /// bits, roles, protections or levels is replaced, never merged key by key, so what the user writes is
    /// what the arch has. The base's other keys keep their values and take the span of the user's "base"
    /// member, so that a fault in a value the user did not write points at the line that brought it in.
    /// Null when "base" itself is at fault.
    /// </summary>
    private JsonMember? WithBase(JsonMember arch)
    {
        var based = arch.Value.Members.FirstOrDefault(m => m.Name == "base");
        if (based is null)
            return arch;

        var where = "arches." + arch.Name + ".base";
        if (ReadString(based, where) is not { } name)
            return null;
        if (ShippedFormats.Find(name) is not { } shipped)
        {
            var names = ShippedFormats.Names;
            Report(DiagnosticDescriptors.UnknownBase, based.Value, where, name, DidYouMean(name, names), string.Join(", ", names));
            return null;
        }

        var merged = new JsonNode(JsonKind.Object, arch.Value.Start, arch.Value.End, arch.Value.Text);
        merged.Members.AddRange(arch.Value.Members);
        foreach (var inherited in shipped.Member.Value.Members.Where(b => arch.Value.Members.All(m => m.Name != b.Name)))
            merged.Members.Add(Relocated(inherited, based.NameStart, based.Value.End));
        return new JsonMember(arch.Name, arch.NameStart, arch.NameEnd, merged);
    }

    private static JsonMember Relocated(JsonMember member, int start, int end) =>
        new(member.Name, start, end, Relocated(member.Value, start, end));

    private static JsonNode Relocated(JsonNode node, int start, int end)
    {
        var copy = new JsonNode(node.Kind, start, end, node.Text);
        copy.Members.AddRange(node.Members.Select(m => Relocated(m, start, end)));
        copy.Items.AddRange(node.Items.Select(i => Relocated(i, start, end)));
        return copy;
    }
}
