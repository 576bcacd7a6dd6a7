using System.Collections.Generic;

namespace HandleGen.Generator.Spec;

internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// One JSON value with the character span it occupies in levels.json, so that every
/// diagnostic can point at the exact spot.
/// </summary>
internal sealed class JsonNode
{
    public JsonNode(JsonKind kind, int start, int end, string text)
    {
        Kind = kind;
        Start = start;
        End = end;
        Text = text;
    }

    public JsonKind Kind { get; }

    public int Start { get; }

    public int End { get; set; }

    /// <summary>The decoded string for a string, the literal text for a number.</summary>
    public string Text { get; }

    /// <summary>An object's members in source order, duplicates included.</summary>
    public List<JsonMember> Members { get; } = new();

    public List<JsonNode> Items { get; } = new();

    /// <summary>How users call this kind in a message: "a number", "a string", …</summary>
    public string Describe() => Kind switch
    {
        JsonKind.Object => "an object",
        JsonKind.Array => "an array",
        JsonKind.String => "the string \"" + Text + "\"",
        JsonKind.Number => "the number " + Text,
        JsonKind.True => "true",
        JsonKind.False => "false",
        _ => "null",
    };
}

/// <summary>A key and its value inside an object.</summary>
internal sealed class JsonMember
{
    public JsonMember(string name, int nameStart, int nameEnd, JsonNode value)
    {
        Name = name;
        NameStart = nameStart;
        NameEnd = nameEnd;
        Value = value;
    }

    public string Name { get; }

    public int NameStart { get; }

    public int NameEnd { get; }

    public JsonNode Value { get; }
}
