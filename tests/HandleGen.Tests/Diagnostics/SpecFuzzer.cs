using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace HandleGen.Tests.Diagnostics;

/// <summary>
/// Makes levels.json texts for the fuzz test, from a fixed seed: truncations and random edits of a
/// valid file, random specs of the right shape with hostile values, and pathological JSON.
/// </summary>
internal sealed class SpecFuzzer(int seed)
{
    private static readonly string[] Levels = ["pgd", "p4d", "pud", "pmd", "pte"];
    private static readonly string[] Tokens = ["{", "}", "[", "]", "\"", ",", ":", "0", "9", "-", ".", "e", "true", "null", "\\", "/", " ", "\n", "\u00e9", "\uD800", "\0"];

    private readonly Random random = new(seed);

    /// <summary>Every prefix of the text: a file cut off anywhere.</summary>
    public static IEnumerable<string> Truncations(string text) =>
        Enumerable.Range(0, text.Length).Select(n => text[..n]);

    /// <summary>The text with one to three random edits: deletions, insertions, replacements, duplicated lines.</summary>
    public IEnumerable<string> Edits(string text, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var s = text;
            var edits = random.Next(1, 4);
            for (var e = 0; e < edits && s.Length > 0; e++)
                s = Edit(s);
            yield return s;
        }
    }

    private string Edit(string s)
    {
        var at = random.Next(s.Length);
        switch (random.Next(5))
        {
            case 0:
                return s.Remove(at, 1);
            case 1:
                return s.Insert(at, Tokens[random.Next(Tokens.Length)]);
            case 2:
                var digit = s.IndexOfAny("0123456789".ToCharArray(), at);
                return digit < 0 ? s : s.Remove(digit, 1).Insert(digit, Pick(["0", "1", "7", "63", "64", "99", "-3", "4294967296", "1e2", "2.5", "\"9\""]));
            case 3:
                var lines = s.Split('\n').ToList();
                var line = random.Next(lines.Count);
                lines.Insert(line, lines[line]);
                return string.Join('\n', lines);
            default:
                var quote = s.IndexOf('"', at);
                return quote < 0 ? s : s.Insert(quote + 1, Pick(["x", "pmd", "pgd", "arches", "levels", "PAGE", "\u0130"]));
        }
    }

    /// <summary>Specs with the right keys, or nearly, and values from the hostile end of each range.</summary>
    public IEnumerable<string> RandomSpecs(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var arches = Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomArch()).ToList();
            var names = arches.Select(a => a.Name).ToList();
            var root = new List<string>();
            if (random.Next(4) > 0)
                root.Add("\"namespace\": " + Pick(["\"PageTables\"", "\"My.Tables\"", "\"class\"", "\"a b\"", "\"\"", "\"Ünïcode\"", "\"x..y\"", "\"Kernel.System\"", "\"Mm.Unsafe\"", "7", "null"]));
            if (random.Next(8) > 0)
                root.Add("\"defaultArch\": " + (names.Count > 0 && random.Next(4) > 0 ? "\"" + names[random.Next(names.Count)] + "\"" : Pick(["\"none\"", "1", "[]"])));
            if (random.Next(10) == 0)
                root.Add("\"extra\": {}");
            root.Add("\"arches\": { " + string.Join(", ", arches.Select(a => a.Json)) + " }");
            yield return "{ " + string.Join(", ", Shuffle(root)) + " }";
        }
    }

    private (string Name, string Json) RandomArch()
    {
        var name = Pick(["x", "arm", "a.b-c_1", "x", "", "with space", "\u0130"]) + (random.Next(3) == 0 ? "" : random.Next(100).ToString(CultureInfo.InvariantCulture));
        var keys = new List<string>();
        if (random.Next(10) > 0)
            keys.Add("\"pageShift\": " + Pick(["12", "12", "14", "16", "9", "25", "10", "24", "-1", "\"12\"", "12.0", "99999999999999999999"]));
        if (random.Next(10) > 0)
            keys.Add("\"entryBits\": " + Pick(["64", "64", "32", "48", "0", "128", "\"64\""]));
        if (random.Next(3) == 0)
            keys.Add("\"form\": " + Pick(["\"alias\"", "\"strong\"", "\"Strong\"", "1"]));
        if (random.Next(4) == 0)
            keys.Add("\"directMap\": " + Pick(["\"identity\"", "\"custom\"", "\"runtime\"", "\"offset:0xffff800000000000\"", "\"offset:\"", "\"offset:0x12345678901234567\"", "\"Identity\"", "7"]));
        if (random.Next(4) == 0)
            keys.Add("\"pfnShift\": " + Pick(["10", "12", "0", "63", "64", "-2"]));
        if (random.Next(4) == 0)
            keys.Add("\"pfnBits\": " + Pick(["20", "40", "44", "60", "1", "0"]));
        if (random.Next(4) == 0)
            keys.Add("\"presentBit\": " + Pick(["0", "1", "15", "63", "64"]));
        if (random.Next(4) == 0)
            keys.Add("\"tableFlags\": " + Pick(["\"0x63\"", "\"0x3\"", "3", "\"0x\"", "\"0xFFFFFFFFFFFFFFFFF\"", "\"63\"", "-1", "18446744073709551615"]));
        if (random.Next(4) == 0)
            keys.Add("\"bits\": " + Pick(["{ \"PRESENT\": 0, \"RW\": 1, \"PSE\": 7, \"NX\": 63 }", "{ \"TYPE\": { \"bit\": 0, \"width\": 2 }, \"VALID\": 0 }",
                "{ \"present\": 0 }", "{ \"X\": 64 }", "{ \"F\": { \"bit\": 62, \"width\": 4 } }", "{ \"A\": 0, \"A\": 1 }", "[]", "{ \"TABLE\": 3 }"]));
        if (random.Next(4) == 0)
            keys.Add("\"roles\": " + Pick(["{ \"present\": [\"PRESENT\"], \"write\": \"RW\", \"exec\": \"!NX\", \"leaf\": \"PSE\" }",
                "{ \"present\": [\"VALID\"], \"leaf\": { \"field\": \"TYPE\", \"value\": 1 } }", "{ \"present\": [] }", "{ \"write\": \"!\" }",
                "{ \"present\": \"PRESENT\", \"readonly\": \"RW\" }", "{ \"present\": [1], \"leaf\": { \"field\": \"TYPE\", \"value\": 9 } }", "{ \"leaf\": [\"TYPE\"] }", "7"]));
        if (random.Next(5) == 0)
            keys.Add("\"leafLevels\": " + Pick(["[\"pud\", \"pmd\"]", "[\"pte\"]", "[\"pgd\"]", "[1]", "\"pmd\"", "[]"]));
        if (random.Next(5) == 0)
            keys.Add("\"levelTableFlags\": " + Pick(["{ \"pud\": \"0x1\" }", "{ \"pte\": 1 }", "{ \"pgd\": \"0x80\" }", "{ \"pmd\": -1 }", "[]"]));
        if (random.Next(5) == 0)
            keys.Add("\"kernelTableFlags\": " + Pick(["\"0x63\"", "\"0xe3\"", "0", "true"]));
        if (random.Next(4) == 0)
            keys.Add("\"protections\": " + Pick(["{ \"PAGE_KERNEL\": \"0x63\" }", "{ \"PAGE_KERNEL\": [\"PRESENT\", \"RW\"] }", "{ \"PAGE_NONE\": 0 }",
                "{ \"KERNEL\": 1 }", "{ \"PAGE_KERNEL\": [\"NOPE\"] }", "{ \"PAGE_SIZE\": 1, \"PAGE_KERNEL\": \"0x1000\" }", "[]"]));
        if (random.Next(5) == 0)
            keys.Add("\"style\": " + Pick(["\"handle\"", "\"element\"", "\"Element\"", "1"]));
        if (random.Next(5) == 0)
            keys.Add("\"contiguous\": " + Pick(["{ \"bit\": \"CONT\", \"pte\": 16, \"pmd\": 16 }", "{ \"bit\": \"PSE\", \"pte\": 3 }", "{ \"pte\": 16 }",
                "{ \"bit\": \"TYPE\", \"pmd\": 4096 }", "{ \"bit\": 52 }", "{ \"bit\": \"NX\", \"pud\": 2 }", "[]"]));
        if (random.Next(10) > 0)
        {
            var levels = Levels.Where(_ => random.Next(12) > 0).Select(l => $"\"{l}\": {RandomWidth()}").ToList();
            if (random.Next(10) == 0)
                levels.Add("\"pmdd\": 9");
            keys.Add("\"levels\": { " + string.Join(", ", Shuffle(levels)) + " }");
        }

        if (random.Next(12) == 0)
            keys.Add("\"pageShfit\": 12");
        return (name, "\"" + name + "\": { " + string.Join(", ", Shuffle(keys)) + " }");
    }

    private string RandomWidth() => random.Next(10) switch
    {
        < 6 => random.Next(0, 12).ToString(CultureInfo.InvariantCulture),
        6 => random.Next(12, 40).ToString(CultureInfo.InvariantCulture),
        7 => Pick(["-1", "9.5", "\"9\"", "1e3", "null", "true", "[]"]),
        8 => "1",
        _ => Pick(["0", "9", "10", "13"]),
    };

    /// <summary>Inputs that break careless readers: deep nesting, huge strings, odd characters, BOMs, nothing at all.</summary>
    public static IEnumerable<string> Pathological()
    {
        yield return "";
        yield return " ";
        yield return "\uFEFF" + "{}";
        yield return new string('[', 100_000) + new string(']', 100_000);
        yield return new string('{', 50_000);
        yield return "{\"a\":" + new string('"', 1) + new string('x', 1_000_000) + "\"}";
        yield return "{\"defaultArch\": \"\\u0000\", \"arches\": {\"\\u0000\": {}}}";
        yield return "{\"defaultArch\": \"\\uD800\", \"arches\": {}}";
        yield return "{\"namespace\": \"\\ud835\\udc00\", \"defaultArch\": \"x\", \"arches\": {\"x\": {\"pageShift\": 12, \"entryBits\": 64, \"levels\": {\"pgd\": 9, \"p4d\": 0, \"pud\": 0, \"pmd\": 0, \"pte\": 9}}}}";
        yield return "\0\0\0";
        yield return "null";
        yield return "1e999999";
        yield return "-";
        yield return "\"unterminated";
        yield return "{\"a\" 1}";
        yield return "{\"\\x\": 1}";
        yield return "{\"\\u12\": 1}";
        yield return string.Concat(Enumerable.Repeat("{\"defaultArch\":\"x\",", 1)) + "\"arches\":{" + string.Join(",", Enumerable.Range(0, 2000).Select(i => $"\"a{i}\":{{\"pageShift\":12,\"entryBits\":64,\"levels\":{{\"pgd\":9,\"p4d\":0,\"pud\":9,\"pmd\":9,\"pte\":9}}}}")) + "}}";
    }

    private string Pick(string[] options) => options[random.Next(options.Length)];

    private List<string> Shuffle(List<string> items) => items.OrderBy(_ => random.Next()).ToList();
}
