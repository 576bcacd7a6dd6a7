using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HandleGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.Generator.Spec;

/// <summary>
/// Turns the text of levels.json into a <see cref="LevelsSpec"/>, or into located diagnostics that
/// name the key, the value found and what is allowed. Reports every fault it can find in one pass.
/// </summary>
internal sealed partial class SpecReader
{
    private static readonly string[] RootKeys = { "$schema", "namespace", "defaultArch", "arches" };
    private static readonly string[] ArchKeys =
        { "pageShift", "entryBits", "levels", "form", "namespace", "pfnShift", "pfnBits", "presentBit", "tableFlags", "pageFlags",
          "bits", "roles", "kernelTableFlags", "levelTableFlags", "leafLevels", "protections", "contiguous", "style", "directMap", "kernel" };

    // A user's arch may also take a shipped format as its base (SpecReader.Base.cs); the shipped ones may not.
    private static readonly string[] UserArchKeys = new[] { "base" }.Concat(ArchKeys).ToArray();

    // "kernel": the Linux release whose headers an arch's values follow, as its tags name them.
    private static readonly System.Text.RegularExpressions.Regex KernelVersion = new(@"^v[1-9][0-9]*\.[0-9]+(\.[0-9]+)?$");

    // A width above this would make PTRS_PER_xxx overflow an int, as no MMU needs.
    private const int MaxLevelWidth = 30;

    private readonly string path;
    private readonly SourceText text;
    private readonly List<DiagnosticInfo> diagnostics;
    private readonly bool requireDefaultArch;
    private readonly bool allowBase;

    // Keys already reported as misspelt ("pageShfit" → "pageShift"), per object start, so that the
    // missing key is not reported a second time.
    private readonly HashSet<(int Object, string Key)> misspelt = new();

    private SpecReader(string path, SourceText text, List<DiagnosticInfo> diagnostics, bool requireDefaultArch, bool allowBase)
    {
        this.path = path;
        this.text = text;
        this.diagnostics = diagnostics;
        this.requireDefaultArch = requireDefaultArch;
        this.allowBase = allowBase;
    }

    /// <summary>Reads and validates a spec; null when it has at least one error.</summary>
    /// <param name="requireDefaultArch">False when the build names its arches (HandleGenArch), which makes "defaultArch" optional.</param>
    /// <param name="allowBase">Whether an arch may take a shipped format as its "base": a user's file, not the shipped one.</param>
    public static LevelsSpec? Read(string path, string content, List<DiagnosticInfo> diagnostics, bool requireDefaultArch = true, bool allowBase = true)
    {
        var reader = new SpecReader(path, SourceText.From(content), diagnostics, requireDefaultArch, allowBase);
        var errorsBefore = diagnostics.Count(d => d.IsError);
        var spec = reader.ReadDocument(content);
        return diagnostics.Count(d => d.IsError) == errorsBefore ? spec : null;
    }

    private LevelsSpec? ReadDocument(string content)
    {
        var root = JsonParser.Parse(content, out var syntaxError);
        if (root is null)
        {
            Report(DiagnosticDescriptors.JsonSyntax, syntaxError!.Position, syntaxError.Length, syntaxError.Message);
            return null;
        }

        if (root.Kind != JsonKind.Object)
        {
            Report(DiagnosticDescriptors.WrongType, root, "(document)", "an object with \"defaultArch\" and \"arches\"", root.Describe());
            return null;
        }

        var keys = ReadKeys(root, "the document", RootKeys);
        var ns = "PageTables";
        if (keys.TryGetValue("namespace", out var nsMember) && ReadString(nsMember, "namespace") is { } nsValue)
            ns = CheckNamespace(nsMember, nsValue) ? nsValue : ns;
        if (keys.TryGetValue("$schema", out var schema))
            ReadString(schema, "$schema");

        var defaultArchMember = requireDefaultArch
            ? Required(keys, "defaultArch", root, "the document", "the arch built when HandleGenArch is not set")
            : keys.TryGetValue("defaultArch", out var given) ? given : null;
        var defaultArch = defaultArchMember is null ? null : ReadString(defaultArchMember, "defaultArch");
        var archesMember = Required(keys, "arches", root, "the document", "an object with one entry per architecture");
        if (archesMember is null)
            return null;
        if (archesMember.Value.Kind != JsonKind.Object)
        {
            Report(DiagnosticDescriptors.WrongType, archesMember.Value, "arches", "an object with one entry per architecture", archesMember.Value.Describe());
            return null;
        }

        if (archesMember.Value.Members.Count == 0)
            Report(DiagnosticDescriptors.NoArches, archesMember.Value.Start, archesMember.Value.End - archesMember.Value.Start);

        var arches = new List<ArchSpec>();
        foreach (var member in UniqueMembers(archesMember.Value, "\"arches\""))
        {
            if (ReadArch(member) is { } arch)
                arches.Add(arch);
        }

        var names = archesMember.Value.Members.Select(m => m.Name).Distinct().ToList();
        if (defaultArch is not null && names.Count > 0 && !names.Contains(defaultArch))
            Report(DiagnosticDescriptors.UnknownDefaultArch, keys["defaultArch"].Value, defaultArch, string.Join(", ", names));

        return defaultArch is null && (requireDefaultArch || defaultArchMember is not null) ? null : new LevelsSpec(ns, defaultArch, arches, archesMember);
    }

    private ArchSpec? ReadArch(JsonMember member)
    {
        var name = member.Name;
        var where = "arches." + name;
        if (name.Length == 0 || !name.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.') || name.Any(c => c > '~'))
        {
            Report(DiagnosticDescriptors.OutOfRange, member.NameStart, member.NameEnd - member.NameStart,
                "arches", "an arch named \"" + name + "\"", "names of ASCII letters, digits, '_', '-' and '.', so that -p:HandleGenArch can name it");
            return null;
        }

        if (member.Value.Kind != JsonKind.Object)
        {
            Report(DiagnosticDescriptors.WrongType, member.Value, where, "an object with pageShift, entryBits and levels", member.Value.Describe());
            return null;
        }

        if (allowBase)
        {
            if (WithBase(member) is not { } based)
                return null;
            member = based;
        }

        var errorsBefore = ErrorCount;
        var keys = ReadKeys(member.Value, "arch \"" + name + "\"", allowBase ? UserArchKeys : ArchKeys);
        var arch = new ArchSpec(name, member);
        var archAnchor = member;

        if (Required(keys, "pageShift", archAnchor, "arch \"" + name + "\"", "the page size's log2, e.g. 12") is { } ps
            && ReadInt(ps, where + ".pageShift", int.MinValue, int.MaxValue) is { } pageShift)
        {
            arch.PageShift = pageShift;
            if (pageShift < 10 || pageShift > 24)
                Report(DiagnosticDescriptors.BadPageShift, ps.Value, name, pageShift.ToString(CultureInfo.InvariantCulture));
        }

        if (Required(keys, "entryBits", archAnchor, "arch \"" + name + "\"", "32 or 64") is { } eb
            && ReadInt(eb, where + ".entryBits", int.MinValue, int.MaxValue) is { } entryBits)
        {
            arch.EntryBits = entryBits;
            if (entryBits != 32 && entryBits != 64)
                Report(DiagnosticDescriptors.BadEntryBits, eb.Value, name, entryBits.ToString(CultureInfo.InvariantCulture));
        }

        if (keys.TryGetValue("form", out var form) && ReadString(form, where + ".form") is { } formValue)
        {
            arch.Form = Choices.Form(formValue);
            if (arch.Form is null)
                Report(DiagnosticDescriptors.OutOfRange, form.Value, where + ".form", form.Value.Describe(), "\"alias\" or \"strong\"");
        }

        if (keys.TryGetValue("style", out var style) && ReadString(style, where + ".style") is { } styleValue)
        {
            arch.Style = Choices.Style(styleValue);
            if (arch.Style is null)
                Report(DiagnosticDescriptors.OutOfRange, style.Value, where + ".style", style.Value.Describe(), "\"handle\" or \"element\"");
        }

        if (keys.TryGetValue("directMap", out var directMap) && ReadString(directMap, where + ".directMap") is { } directMapValue)
        {
            arch.DirectMap = DirectMapChoice.Parse(directMapValue);
            if (arch.DirectMap is null)
                Report(DiagnosticDescriptors.OutOfRange, directMap.Value, where + ".directMap", directMap.Value.Describe(), DirectMapChoice.Allowed);
        }

        if (keys.TryGetValue("namespace", out var ns) && ReadString(ns, where + ".namespace") is { } nsValue && CheckNamespace(ns, nsValue))
            arch.Namespace = nsValue;

        if (keys.TryGetValue("kernel", out var kernel) && ReadString(kernel, where + ".kernel") is { } kernelValue)
        {
            if (KernelVersion.IsMatch(kernelValue))
                arch.Kernel = kernelValue;
            else
                Report(DiagnosticDescriptors.OutOfRange, kernel.Value, where + ".kernel", kernel.Value.Describe(), "a Linux version such as \"v6.12\"");
        }

        var levels = Required(keys, "levels", archAnchor, "arch \"" + name + "\"", "the index width of pgd, p4d, pud, pmd and pte");
        if (levels is not null)
            ReadLevels(levels, arch);

        if (ErrorCount != errorsBefore)
            return null;

        ReadEntryFormat(keys, arch, where);
        if (ErrorCount != errorsBefore)
            return null;

        CheckGeometry(arch, levels!);
        return ErrorCount == errorsBefore ? arch : null;
    }

    private void ReadLevels(JsonMember levels, ArchSpec arch)
    {
        var where = "arches." + arch.Name + ".levels";
        if (levels.Value.Kind != JsonKind.Object)
        {
            Report(DiagnosticDescriptors.WrongType, levels.Value, where, "an object such as { \"pgd\": 9, \"p4d\": 0, \"pud\": 9, \"pmd\": 9, \"pte\": 9 }", levels.Value.Describe());
            return;
        }

        foreach (var member in UniqueMembers(levels.Value, "\"" + where + "\""))
        {
            var index = LevelNames.IndexOf(member.Name);
            if (index < 0)
            {
                if (Closest(member.Name, LevelNames.All) is { } meant)
                    misspelt.Add((levels.Value.Start, meant));
                Report(DiagnosticDescriptors.UnknownLevel, member.NameStart, member.NameEnd - member.NameStart,
                    member.Name, arch.Name, DidYouMean(member.Name, LevelNames.All));
                continue;
            }

            if (ReadInt(member, where + "." + member.Name, 0, MaxLevelWidth) is { } width)
                arch.Widths[index] = width;
        }

        foreach (var level in LevelNames.All.Where(l => levels.Value.Members.All(m => m.Name != l) && !misspelt.Contains((levels.Value.Start, l))))
            Report(DiagnosticDescriptors.MissingLevel, levels.NameStart, levels.NameEnd - levels.NameStart, arch.Name, level);
    }

    private void ReadEntryFormat(Dictionary<string, JsonMember> keys, ArchSpec arch, string where)
    {
        var errorsBefore = ErrorCount;
        var bits = arch.EntryBits;
        if (keys.TryGetValue("pfnShift", out var pfnShift))
            arch.PfnShift = ReadInt(pfnShift, where + ".pfnShift", 0, bits - 1);
        if (keys.TryGetValue("pfnBits", out var pfnBits))
            arch.PfnBits = ReadInt(pfnBits, where + ".pfnBits", 1, bits);
        if (keys.TryGetValue("presentBit", out var presentBit))
            arch.PresentBit = ReadInt(presentBit, where + ".presentBit", 0, bits - 1);
        if (keys.TryGetValue("tableFlags", out var tableFlags))
            arch.TableFlags = ReadFlags(tableFlags, where + ".tableFlags", bits);
        if (keys.TryGetValue("pageFlags", out var pageFlags))
            arch.PageFlags = ReadFlags(pageFlags, where + ".pageFlags", bits);
        if (keys.TryGetValue("kernelTableFlags", out var kernelTableFlags))
            arch.KernelTableFlags = ReadFlags(kernelTableFlags, where + ".kernelTableFlags", bits);
        if (ErrorCount != errorsBefore)
            return;

        var shift = arch.PfnShift ?? arch.PageShift;
        var width = arch.PfnBits ?? bits - shift;
        var present = arch.PresentBit ?? 0;
        var anchor = pfnBits ?? pfnShift;
        if (shift + width > bits)
        {
            Report(DiagnosticDescriptors.BadEntryFormat, anchor!.Value, arch.Name,
                Invariant($"the PFN field (bits {shift} to {shift + width - 1}) runs past the {bits}-bit entry; pfnShift + pfnBits must be at most {bits}"));
            return;
        }

        if (present >= shift && present < shift + width)
        {
            Report(DiagnosticDescriptors.BadEntryFormat, (presentBit ?? anchor)!.Value, arch.Name,
                Invariant($"presentBit {present} lies inside the PFN field (bits {shift} to {shift + width - 1}); it must be a flag bit outside it"));
            return;
        }

        var pfnMask = (width == 64 ? ulong.MaxValue : ((1UL << width) - 1)) << shift;
        var format = new EntryFormatReader(this, arch, where, pfnMask, Invariant($"bits {shift} to {shift + width - 1}"));
        format.Read(keys);
        if (ErrorCount != errorsBefore)
            return;

        var presentMask = format.PresentMask;
        var presentName = arch.Roles is null ? Invariant($"the present bit {present}") : "a bit of roles.present";
        CheckFlags("tableFlags", arch.TableFlags, tableFlags, "a table entry must be present to be walked");
        CheckFlags("kernelTableFlags", arch.KernelTableFlags, kernelTableFlags, "a table entry must be present to be walked");
        CheckFlags("pageFlags", arch.PageFlags, pageFlags, "a page must be present to be mapped");
        if (ErrorCount == errorsBefore)
            format.CheckTableFlags(tableFlags, kernelTableFlags);

        void CheckFlags(string key, ulong? value, JsonMember? member, string why)
        {
            if (value is not { } flags)
                return;
            if ((flags & pfnMask) != 0)
                Report(DiagnosticDescriptors.BadEntryFormat, member!.Value, arch.Name,
                    Invariant($"{key} 0x{flags:x} sets bits of the PFN field (bits {shift} to {shift + width - 1})"));
            else if ((flags & presentMask) == 0)
                Report(DiagnosticDescriptors.BadEntryFormat, member!.Value, arch.Name,
                    Invariant($"{key} 0x{flags:x} lacks {presentName}; {why}"));
        }
    }

    private void CheckGeometry(ArchSpec arch, JsonMember levels)
    {
        var w = arch.Widths;
        var levelNodes = levels.Value.Members.ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal);
        if (w[0] == 0)
            Report(DiagnosticDescriptors.FoldedTopOrBottom, levelNodes["pgd"], arch.Name, "pgd");
        if (w[4] == 0)
            Report(DiagnosticDescriptors.FoldedTopOrBottom, levelNodes["pte"], arch.Name, "pte");

        var vaBits = arch.PageShift + w.Sum();
        if (vaBits > 64)
            Report(DiagnosticDescriptors.TooManyAddressBits, levels.NameStart, levels.NameEnd - levels.NameStart,
                arch.Name, Invariant($"{vaBits}"), Invariant($"{arch.PageShift}"), string.Join(" + ", w.Select(x => x.ToString(CultureInfo.InvariantCulture))));

        var entryBytes = arch.EntryBits / 8;
        var pageBytes = 1L << arch.PageShift;
        var maxWidth = arch.PageShift - (arch.EntryBits == 64 ? 3 : 2);
        for (var i = 0; i < 5; i++)
        {
            var tableBytes = (1L << w[i]) * entryBytes;
            if (tableBytes <= pageBytes)
                continue;
            var level = LevelNames.All[i];
            var args = new[]
            {
                level, arch.Name, Invariant($"{w[i]}"), Invariant($"{entryBytes}"), Invariant($"{tableBytes}"), Invariant($"{pageBytes}"), Invariant($"{maxWidth}"),
            };
            if (i == 0)
                Report(DiagnosticDescriptors.TopTableLargerThanPage, levelNodes[level], arch.Name, Invariant($"{1L << w[0]}"), args[3], args[4], args[5]);
            else
                Report(DiagnosticDescriptors.TableLargerThanPage, levelNodes[level], args);
        }
    }

    /// <summary>The members of an object, each name once: a later repeat is reported (HG0002 at its name) and skipped.</summary>
    /// <param name="obj">The object.</param>
    /// <param name="where">How the message names the object, quoted as the reader wants it.</param>
    private IEnumerable<JsonMember> UniqueMembers(JsonNode obj, string where)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in obj.Members)
        {
            if (seen.Add(member.Name))
                yield return member;
            else
                Report(DiagnosticDescriptors.DuplicateKey, member.NameStart, member.NameEnd - member.NameStart, member.Name, where);
        }
    }

    private Dictionary<string, JsonMember> ReadKeys(JsonNode obj, string where, string[] allowed)
    {
        var keys = new Dictionary<string, JsonMember>(StringComparer.Ordinal);
        foreach (var member in UniqueMembers(obj, where))
        {
            if (Array.IndexOf(allowed, member.Name) < 0)
            {
                var suggestion = Closest(member.Name, allowed);
                if (suggestion is not null)
                    misspelt.Add((obj.Start, suggestion));
                Report(DiagnosticDescriptors.UnknownKey, member.NameStart, member.NameEnd - member.NameStart,
                    member.Name, where, DidYouMean(member.Name, allowed), string.Join(", ", allowed));
                continue;
            }

            keys.Add(member.Name, member);
        }

        return keys;
    }

    // A missing key of the document is reported at its opening brace, one of an arch at the arch's name.
    private JsonMember? Required(Dictionary<string, JsonMember> keys, string key, JsonNode owner, string where, string meaning) =>
        Required(keys, key, owner, owner.Start, 1, where, meaning);

    private JsonMember? Required(Dictionary<string, JsonMember> keys, string key, JsonMember owner, string where, string meaning) =>
        Required(keys, key, owner.Value, owner.NameStart, owner.NameEnd - owner.NameStart, where, meaning);

    private JsonMember? Required(Dictionary<string, JsonMember> keys, string key, JsonNode obj, int start, int length, string where, string meaning)
    {
        if (keys.TryGetValue(key, out var member))
            return member;
        if (!misspelt.Contains((obj.Start, key)))
            Report(DiagnosticDescriptors.MissingKey, start, length, Capitalize(where), key, meaning);
        return null;
    }

    private string? ReadString(JsonMember member, string key)
    {
        if (member.Value.Kind == JsonKind.String)
            return member.Value.Text;
        Report(DiagnosticDescriptors.WrongType, member.Value, key, "a string", member.Value.Describe());
        return null;
    }

    private int? ReadInt(JsonMember member, string key, int min, int max)
    {
        var node = member.Value;
        var range = min == int.MinValue ? "a whole number" : Invariant($"a whole number from {min} to {max}");
        if (node.Kind != JsonKind.Number)
        {
            Report(DiagnosticDescriptors.WrongType, node, key, "a whole number (write 9, not \"9\")", node.Describe());
            return null;
        }

        if (node.Text.IndexOfAny(new[] { '.', 'e', 'E' }) >= 0)
        {
            Report(DiagnosticDescriptors.WrongType, node, key, "a whole number", node.Describe());
            return null;
        }

        if (!long.TryParse(node.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Report(DiagnosticDescriptors.OutOfRange, node, key, node.Describe() + ", a number too large for any integer type", range);
            return null;
        }

        if (value < min || value > max)
        {
            Report(DiagnosticDescriptors.OutOfRange, node, key, node.Describe(), range);
            return null;
        }

        return (int)value;
    }

    private ulong? ReadFlags(JsonMember member, string key, int entryBits)
    {
        var node = member.Value;
        var limit = entryBits == 64 ? ulong.MaxValue : uint.MaxValue;
        var allowed = Invariant($"a whole number or a \"0x…\" hex string that fits in {entryBits} bits");
        ulong value;
        if (node.Kind == JsonKind.Number && node.Text.IndexOfAny(new[] { '.', 'e', 'E', '-' }) < 0
            && ulong.TryParse(node.Text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
        }
        else if (node.Kind == JsonKind.String && node.Text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && node.Text.Length > 2
            && ulong.TryParse(node.Text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
        {
        }
        else
        {
            if (node.Kind is JsonKind.Number or JsonKind.String)
                Report(DiagnosticDescriptors.OutOfRange, node, key, node.Describe(), allowed);
            else
                Report(DiagnosticDescriptors.WrongType, node, key, allowed, node.Describe());
            return null;
        }

        if (value > limit)
        {
            Report(DiagnosticDescriptors.OutOfRange, node, key, node.Describe(), allowed);
            return null;
        }

        return value;
    }

    private bool CheckNamespace(JsonMember member, string value)
    {
        var problem = NamespaceProblem(value);
        if (problem is null)
            return true;
        Report(DiagnosticDescriptors.BadNamespace, member.Value, value, problem);
        return false;
    }

    /// <summary>Why a string cannot be a C# namespace name, or null when it can.</summary>
    internal static string? NamespaceProblem(string value)
    {
        if (value.Length == 0)
            return "it is empty";
        foreach (var part in value.Split('.'))
        {
            if (part.Length == 0)
                return "it has an empty part between dots";
            if (SyntaxFacts.GetKeywordKind(part) != SyntaxKind.None || part == "global")
                return "\"" + part + "\" is a C# keyword";
            if (!SyntaxFacts.IsValidIdentifier(part))
                return "\"" + part + "\" is not an identifier (letters, digits and '_', not starting with a digit)";
        }

        return null;
    }

    internal static string DidYouMean(string name, IEnumerable<string> candidates) =>
        Closest(name, candidates) is { } best ? " (did you mean \"" + best + "\"?)" : string.Empty;

    /// <summary>The candidate a typo most likely meant: equal but for case, or at most two edits away.</summary>
    private static string? Closest(string name, IEnumerable<string> candidates) =>
        candidates
            .Select(c => (c, d: string.Equals(c, name, StringComparison.OrdinalIgnoreCase) ? 0 : EditDistance(c.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(x => x.d <= 2)
            .OrderBy(x => x.d)
            .Select(x => x.c)
            .FirstOrDefault();

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private int ErrorCount => diagnostics.Count(d => d.IsError);

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, JsonNode at, params string[] args) =>
        Report(descriptor, at.Start, at.End - at.Start, args);

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, int start, int length, params string[] args) =>
        diagnostics.Add(DiagnosticInfo.At(descriptor, path, text, start, length, args));
}
