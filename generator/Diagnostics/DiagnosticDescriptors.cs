using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HandleGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic HandleGen reports. Each ID is documented in docs/diagnostics.md, with its
/// cause, an example and the fix; the help link and the message name that page.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "HandleGen";

    public static readonly DiagnosticDescriptor JsonSyntax = Error("HG0001",
        "levels.json is not valid JSON",
        "levels.json is not valid JSON: {0}");

    public static readonly DiagnosticDescriptor DuplicateKey = Error("HG0002",
        "Duplicate key in levels.json",
        "The key \"{0}\" appears twice in {1}; each key may appear once");

    public static readonly DiagnosticDescriptor UnknownKey = Error("HG0003",
        "Unknown key in levels.json",
        "Unknown key \"{0}\" in {1}{2}; allowed keys: {3}");

    public static readonly DiagnosticDescriptor MissingKey = Error("HG0004",
        "Missing key in levels.json",
        "{0} has no \"{1}\" key; it is required ({2})");

    public static readonly DiagnosticDescriptor WrongType = Error("HG0005",
        "Value of the wrong type in levels.json",
        "\"{0}\" must be {1}, found {2}");

    public static readonly DiagnosticDescriptor OutOfRange = Error("HG0006",
        "Value not allowed in levels.json",
        "\"{0}\" is {1}; allowed: {2}");

    public static readonly DiagnosticDescriptor UnknownLevel = Error("HG0007",
        "Unknown page-table level",
        "Unknown level \"{0}\" in \"levels\" of arch \"{1}\"{2}; the levels are pgd, p4d, pud, pmd, pte");

    public static readonly DiagnosticDescriptor MissingLevel = Error("HG0008",
        "Page-table level missing",
        "Arch \"{0}\" gives no width for the level \"{1}\"; all five of pgd, p4d, pud, pmd, pte are required (0 folds a level)");

    public static readonly DiagnosticDescriptor FoldedTopOrBottom = Error("HG0009",
        "pgd or pte folded",
        "Arch \"{0}\" folds \"{1}\" (width 0); Linux never folds pgd or pte: give it a width of at least 1");

    public static readonly DiagnosticDescriptor TooManyAddressBits = Error("HG0010",
        "More than 64 virtual-address bits",
        "Arch \"{0}\" translates {1} virtual-address bits (pageShift {2} + level widths {3}); at most 64 are possible");

    public static readonly DiagnosticDescriptor TableLargerThanPage = Error("HG0011",
        "Lower-level table does not fit in a page",
        "The {0} table of arch \"{1}\" has 2^{2} entries of {3} bytes = {4} bytes, larger than its page of {5} bytes; a table below the top level must fit in one page (width at most {6})");

    public static readonly DiagnosticDescriptor BadEntryBits = Error("HG0012",
        "entryBits must be 32 or 64",
        "\"entryBits\" of arch \"{0}\" is {1}; allowed: 32 or 64");

    public static readonly DiagnosticDescriptor BadPageShift = Error("HG0013",
        "pageShift outside what MMUs use",
        "\"pageShift\" of arch \"{0}\" is {1}; allowed: 10 to 24 (pages of 1 KiB to 16 MiB)");

    public static readonly DiagnosticDescriptor BadNamespace = Error("HG0014",
        "Not a valid C# namespace",
        "\"namespace\" is \"{0}\", which is not a valid C# namespace: {1}");

    public static readonly DiagnosticDescriptor UnknownDefaultArch = Error("HG0015",
        "defaultArch is not among the arches",
        "\"defaultArch\" is \"{0}\", which is not among the arches; arches: {1}");

    public static readonly DiagnosticDescriptor NoArches = Error("HG0016",
        "No arches in levels.json",
        "\"arches\" is empty; describe at least one architecture");

    public static readonly DiagnosticDescriptor UnknownArchSwitch = Error("HG0017",
        "HandleGenArch names an unknown arch",
        "HandleGenArch is \"{0}\", which is not {1}");

    public static readonly DiagnosticDescriptor BadFormSwitch = Error("HG0018",
        "HandleGenForm must be alias or strong",
        "HandleGenForm is \"{0}\"; allowed: alias, strong");

    public static readonly DiagnosticDescriptor BadStrongLevelsSwitch = Error("HG0019",
        "HandleGenStrongLevels names an unknown level",
        "HandleGenStrongLevels names \"{0}\", which is not a level; allowed: pgd, p4d, pud, pmd, pte, separated by ';' in a project file or ',' on the command line");

    public static readonly DiagnosticDescriptor NoSpec = Error("HG0020",
        "No levels.json",
        "HandleGen found no levels.json: {0}");

    public static readonly DiagnosticDescriptor TwoSpecs = Error("HG0021",
        "More than one levels.json",
        "HandleGen was given more than one spec file: \"{0}\" and \"{1}\"; keep one, or point <HandleGenSpec> at the one to use");

    public static readonly DiagnosticDescriptor UnsafeNotAllowed = Error("HG0022",
        "Unsafe code is not allowed",
        "The generated page-table API uses pointers; add <AllowUnsafeBlocks>true</AllowUnsafeBlocks> to the project file");

    public static readonly DiagnosticDescriptor LanguageVersionTooLow = Error("HG0023",
        "C# version too low",
        "The {0} needs C# {1} or later, the project uses C# {2}; set <LangVersion>{1}</LangVersion> or later in the project file (on .NET 8 and later, removing <LangVersion> does it)");

    public static readonly DiagnosticDescriptor BadEntryFormat = Error("HG0024",
        "Entry format does not fit the entry",
        "Arch \"{0}\": {1}");

    public static readonly DiagnosticDescriptor UnreadableSpec = Error("HG0025",
        "levels.json could not be read",
        "HandleGen could not read \"{0}\"");

    public static readonly DiagnosticDescriptor UnknownEntryBit = Error("HG0027",
        "Unknown entry bit",
        "Arch \"{0}\": \"{1}\" names the entry bit \"{2}\", which \"bits\" does not define{3}; defined: {4}");

    public static readonly DiagnosticDescriptor BadNamedFormat = Error("HG0028",
        "Entry bits, roles, leaves or protections do not fit together",
        "Arch \"{0}\": {1}");

    public static readonly DiagnosticDescriptor SwitchItemDoesNotFit = Error("HG0029",
        "A per-arch switch item does not fit HandleGenArch",
        "{0} has \"{1}\", but {2}");

    public static readonly DiagnosticDescriptor SharedNamespace = Error("HG0030",
        "Two arches built into one namespace",
        "Arches \"{0}\" and \"{1}\" are both built into namespace \"{2}\"; give one of them a \"namespace\" of its own in levels.json, or build only one");

    public static readonly DiagnosticDescriptor BadStyleSwitch = Error("HG0031",
        "HandleGenStyle must be handle or element",
        "HandleGenStyle is \"{0}\"; allowed: handle, element");

    public static readonly DiagnosticDescriptor BadDirectMapSwitch = Error("HG0032",
        "HandleGenDirectMap is not a direct map",
        "HandleGenDirectMap is \"{0}\"; allowed: " + Spec.DirectMapChoice.Allowed);

    public static readonly DiagnosticDescriptor RuntimeMapUnavailable = Error("HG0033",
        "The runtime direct map needs HandleGen.Runtime, which this build cannot use",
        "The runtime direct map ({0}) calls HandleGen.Runtime, which {1}; set HandleGenDirectMap to identity | offset:<hex> | custom | runtime: identity, offset:<hex> or custom for code on its own memory, runtime only in a project on .NET 8 or later with the standard library");

    public static readonly DiagnosticDescriptor BadVisibilitySwitch = Error("HG0034",
        "HandleGenVisibility must be public or internal",
        "HandleGenVisibility is \"{0}\"; allowed: public, internal");

    public static readonly DiagnosticDescriptor UnknownBase = Error("HG0036",
        "base names no shipped format",
        "\"{0}\" is \"{1}\", which is not a format shipped in HandleGen{2}; shipped formats: {3}");

    public static readonly DiagnosticDescriptor TopTableLargerThanPage = Warning("HG0101",
        "Top-level table larger than a page",
        "The pgd of arch \"{0}\" has {1} entries of {2} bytes = {3} bytes, more than one page of {4} bytes; the top-level table will span several contiguous pages (as arm64 concatenated tables do), which HandleGen.Runtime's allocator does not provide: allocate it yourself");

    public static readonly DiagnosticDescriptor StrongLevelsWithAliasForm = Warning("HG0102",
        "HandleGenStrongLevels has no effect with the alias form",
        "HandleGenStrongLevels is \"{0}\", but the form is alias, so every handle stays a pointer; set HandleGenForm to strong for a staged conversion, or remove HandleGenStrongLevels");

    public static readonly DiagnosticDescriptor TornOnceAccess = Warning("HG0039",
        "64-bit entries on a 32-bit target without atomic 64-bit accesses",
        "Arch \"{0}\" has 64-bit entries and this build's Platform is 32-bit, but the project's libraries have neither Volatile.Read/Write nor Interlocked.Exchange/CompareExchange of a ulong: pXXp_get_once reads the two 32-bit halves (low, high, and low again until it holds still) and set_pXX stores the high half, then the low half, so neither is single-copy-atomic and a store to a present entry can be seen torn; add Interlocked.Exchange(ref ulong, ulong) and CompareExchange(ref ulong, ulong, ulong) to the corlib (see the README's \"Using HandleGen in a kernel\"), or build for a 64-bit Platform");

    public static readonly DiagnosticDescriptor HostDependency = Error("HG0900",
        "A dependency of HandleGen does not load in this compiler",
        "HandleGen generated nothing: its {0} could not be loaded by this compiler, which runs on {1}. This is not caused by levels.json or the project; HandleGen supports compilers on .NET 8, 9 and 10 (the .NET 8, 9 and 10 SDKs) and on .NET Framework 4.7.2 (Visual Studio 2022 17.8 and later). Use one of those, and if it already is, report this message to HandleGen");

    public static readonly DiagnosticDescriptor InternalError = Error("HG9999",
        "HandleGen internal error",
        "HandleGen failed and generated nothing: {0}. This is a fault in HandleGen; please report it{1}");

    private static readonly Dictionary<string, DiagnosticDescriptor> All = typeof(DiagnosticDescriptors)
        .GetFields()
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToDictionary(d => d.Id);

    public static IEnumerable<DiagnosticDescriptor> Every => All.Values.OrderBy(d => d.Id, System.StringComparer.Ordinal);

    public static DiagnosticDescriptor ById(string id) => All[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        Create(id, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        Create(id, title, message, DiagnosticSeverity.Warning);

    // Errors cannot be suppressed (NoWarn, .editorconfig): a spec with errors generates nothing, and a
    // build that hid the reason would fail later with hundreds of unexplained compiler errors.
    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message + " (see diagnostics.md#" + id.ToLowerInvariant() + ")", Category, severity,
            isEnabledByDefault: true,
            customTags: severity == DiagnosticSeverity.Error ? new[] { WellKnownDiagnosticTags.NotConfigurable } : new string[0]);
}
