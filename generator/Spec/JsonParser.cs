using System;
using System.Globalization;
using System.Text;

namespace HandleGen.Generator.Spec;

/// <summary>A syntax fault: where it is and what was expected.</summary>
internal sealed class JsonSyntaxError
{
    public JsonSyntaxError(int position, int length, string message)
    {
        Position = position;
        Length = length;
        Message = message;
    }

    public int Position { get; }

    public int Length { get; }

    public string Message { get; }
}

/// <summary>
/// A strict RFC 8259 reader that keeps the position of every value. Written by hand because the
/// generator must report faults at their exact span, must see duplicate keys (which most readers
/// drop silently) and must load in every compiler host without extra assemblies.
/// </summary>
internal sealed class JsonParser
{
    // Deep enough for any levels.json; shallow enough that hostile input cannot exhaust the stack.
    private const int MaxDepth = 64;

    private readonly string text;
    private int pos;

    private JsonParser(string text) => this.text = text;

    /// <summary>Parses a whole document: one value, then only white space.</summary>
    public static JsonNode? Parse(string text, out JsonSyntaxError? error)
    {
        var parser = new JsonParser(text);
        try
        {
            parser.SkipWhiteSpace();
            var root = parser.ParseValue(0);
            parser.SkipWhiteSpace();
            if (parser.pos < text.Length)
                throw parser.Fault(parser.pos, 1, "Unexpected text after the end of the JSON document");
            error = null;
            return root;
        }
        catch (SyntaxException e)
        {
            error = e.Error;
            return null;
        }
    }

    private JsonNode ParseValue(int depth)
    {
        if (depth >= MaxDepth)
            throw Fault(pos, 1, "JSON is nested more than " + MaxDepth + " levels deep");
        if (pos >= text.Length)
            throw Fault(pos, 0, "Unexpected end of file: a value was expected");

        var c = text[pos];
        switch (c)
        {
            case '{':
                return ParseObject(depth);
            case '[':
                return ParseArray(depth);
            case '"':
                var start = pos;
                var value = ParseString();
                return new JsonNode(JsonKind.String, start, pos, value);
            case 't':
                return ParseLiteral("true", JsonKind.True);
            case 'f':
                return ParseLiteral("false", JsonKind.False);
            case 'n':
                return ParseLiteral("null", JsonKind.Null);
            case '/':
                throw Fault(pos, 1, "Comments are not allowed in levels.json");
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                    return ParseNumber();
                throw Fault(pos, 1, "Unexpected character '" + Printable(c) + "': a value was expected");
        }
    }

    private JsonNode ParseObject(int depth)
    {
        var node = new JsonNode(JsonKind.Object, pos, pos, string.Empty);
        pos++; // {
        SkipWhiteSpace();
        if (TryConsume('}'))
        {
            node.End = pos;
            return node;
        }

        while (true)
        {
            SkipWhiteSpace();
            if (pos >= text.Length)
                throw Fault(pos, 0, "Unexpected end of file inside an object: '}' is missing");
            if (text[pos] == '/')
                throw Fault(pos, 1, "Comments are not allowed in levels.json");
            if (text[pos] != '"')
                throw Fault(pos, 1, "Expected a key in double quotes, found '" + Printable(text[pos]) + "'");
            var nameStart = pos;
            var name = ParseString();
            var nameEnd = pos;
            SkipWhiteSpace();
            if (!TryConsume(':'))
                throw Fault(pos, pos < text.Length ? 1 : 0, "Expected ':' after the key \"" + name + "\"");
            SkipWhiteSpace();
            var value = ParseValue(depth + 1);
            node.Members.Add(new JsonMember(name, nameStart, nameEnd, value));
            SkipWhiteSpace();
            var comma = pos;
            if (TryConsume(','))
            {
                SkipWhiteSpace();
                if (pos < text.Length && text[pos] == '}')
                    throw Fault(comma, 1, "Trailing comma before '}'");
                continue;
            }

            if (TryConsume('}'))
            {
                node.End = pos;
                return node;
            }

            throw pos >= text.Length
                ? Fault(pos, 0, "Unexpected end of file inside an object: '}' is missing")
                : Fault(pos, 1, "Expected ',' or '}' after the value of \"" + name + "\"");
        }
    }

    private JsonNode ParseArray(int depth)
    {
        var node = new JsonNode(JsonKind.Array, pos, pos, string.Empty);
        pos++; // [
        SkipWhiteSpace();
        if (TryConsume(']'))
        {
            node.End = pos;
            return node;
        }

        while (true)
        {
            SkipWhiteSpace();
            node.Items.Add(ParseValue(depth + 1));
            SkipWhiteSpace();
            var comma = pos;
            if (TryConsume(','))
            {
                SkipWhiteSpace();
                if (pos < text.Length && text[pos] == ']')
                    throw Fault(comma, 1, "Trailing comma before ']'");
                continue;
            }

            if (TryConsume(']'))
            {
                node.End = pos;
                return node;
            }

            throw pos >= text.Length
                ? Fault(pos, 0, "Unexpected end of file inside an array: ']' is missing")
                : Fault(pos, 1, "Expected ',' or ']' in an array");
        }
    }

    private string ParseString()
    {
        var start = pos;
        pos++; // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (pos >= text.Length)
                throw Fault(start, pos - start, "Unterminated string");
            var c = text[pos];
            if (c == '"')
            {
                pos++;
                return sb.ToString();
            }

            if (c < ' ')
                throw Fault(pos, 1, "Control character in a string: write it as an escape");
            if (c != '\\')
            {
                sb.Append(c);
                pos++;
                continue;
            }

            if (pos + 1 >= text.Length)
                throw Fault(start, pos - start, "Unterminated string");
            var e = text[pos + 1];
            pos += 2;
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (pos + 4 > text.Length
                        || !int.TryParse(text.Substring(pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        throw Fault(pos - 2, Math.Min(6, text.Length - pos + 2), "Invalid \\u escape: four hex digits expected");
                    sb.Append((char)code);
                    pos += 4;
                    break;
                default:
                    throw Fault(pos - 2, 2, "Invalid escape '\\" + Printable(e) + "' in a string");
            }
        }
    }

    private JsonNode ParseNumber()
    {
        var start = pos;
        if (text[pos] == '-')
            pos++;
        if (pos >= text.Length || !IsDigit(text[pos]))
            throw Fault(start, Math.Max(1, pos - start), "Invalid number: a digit must follow '-'");
        if (text[pos] == '0' && pos + 1 < text.Length && IsDigit(text[pos + 1]))
            throw Fault(start, pos + 1 - start + 1, "Invalid number: leading zeros are not allowed");
        SkipDigits();
        if (pos < text.Length && text[pos] == '.')
        {
            pos++;
            if (pos >= text.Length || !IsDigit(text[pos]))
                throw Fault(start, pos - start, "Invalid number: a digit must follow '.'");
            SkipDigits();
        }

        if (pos < text.Length && (text[pos] == 'e' || text[pos] == 'E'))
        {
            pos++;
            if (pos < text.Length && (text[pos] == '+' || text[pos] == '-'))
                pos++;
            if (pos >= text.Length || !IsDigit(text[pos]))
                throw Fault(start, pos - start, "Invalid number: a digit must follow the exponent");
            SkipDigits();
        }

        return new JsonNode(JsonKind.Number, start, pos, text.Substring(start, pos - start));
    }

    private JsonNode ParseLiteral(string literal, JsonKind kind)
    {
        if (string.CompareOrdinal(text, pos, literal, 0, literal.Length) != 0)
        {
            var end = pos;
            while (end < text.Length && char.IsLetterOrDigit(text[end]))
                end++;
            throw Fault(pos, Math.Max(1, end - pos), "Unexpected word '" + text.Substring(pos, Math.Max(1, end - pos)) + "': a value was expected");
        }

        var node = new JsonNode(kind, pos, pos + literal.Length, literal);
        pos += literal.Length;
        return node;
    }

    private void SkipDigits()
    {
        while (pos < text.Length && IsDigit(text[pos]))
            pos++;
    }

    private void SkipWhiteSpace()
    {
        while (pos < text.Length && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
            pos++;
    }

    private bool TryConsume(char c)
    {
        if (pos < text.Length && text[pos] == c)
        {
            pos++;
            return true;
        }

        return false;
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static string Printable(char c) => c < ' ' || c > '~'
        ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)
        : c.ToString();

    private SyntaxException Fault(int position, int length, string message)
    {
        var start = Math.Min(Math.Max(position, 0), text.Length);
        var len = Math.Max(0, Math.Min(length, text.Length - start));
        return new SyntaxException(new JsonSyntaxError(start, len, message));
    }

    // Unwinds the recursive descent to Parse, which turns it into a result; it never leaves this class.
    private sealed class SyntaxException : Exception
    {
        public SyntaxException(JsonSyntaxError error)
            : base(error.Message) => Error = error;

        public JsonSyntaxError Error { get; }
    }
}
