using System.Collections.Generic;
using HandleGen.Common;
using Microsoft.CodeAnalysis;

namespace HandleGen.Analyzers;

/// <summary>
/// Every diagnostic of the HandleGen analyzers, all warnings. HG1001-HG1007: alias-form code the strong form
/// rejects (flip readiness). HG1101-HG1103: strong-form code the alias form rejects. HG1201-HG1203: races and
/// level mix-ups on live entries, in either form. Each ID has its section in docs/diagnostics.md.
/// </summary>
public static class Descriptors
{
    private const string FlipCategory = "HandleGen.FlipReadiness";
    private const string ReverseCategory = "HandleGen.FormPortability";
    private const string RaceCategory = "HandleGen.LiveEntries";

    /// <summary>The property that names the level of the handle a diagnostic is about.</summary>
    public const string Level = "Level";

    /// <summary>The property that says which way a value crosses between handle and pointer (HG1004): "In" or "Out".</summary>
    public const string Direction = "Direction";

    /// <summary>Set to "true" when an index or offset is not an int and needs a cast for <c>hw_L_add</c>.</summary>
    public const string NeedsIntCast = "NeedsIntCast";

    public static readonly DiagnosticDescriptor Dereference = Warning("HG1001", FlipCategory,
        "Handle dereferenced",
        "'{0}' dereferences the {1} handle, which the strong form rejects: read with " + N(GeneratedApiNames.Get) + ", write with " + N(GeneratedApiNames.Set));

    public static readonly DiagnosticDescriptor Arithmetic = Warning("HG1002", FlipCategory,
        "Pointer arithmetic on a handle",
        "'{0}' is pointer arithmetic on the {1} handle, which the strong form rejects: step with " + N(GeneratedApiNames.Next) + " or " + N(GeneratedApiNames.Add));

    public static readonly DiagnosticDescriptor Indexing = Warning("HG1003", FlipCategory,
        "Handle indexed",
        "'{0}' indexes the {1} handle, which the strong form rejects: use " + N(GeneratedApiNames.Get) + "(" + N(GeneratedApiNames.Add) + "(…)) or " + N(GeneratedApiNames.Set) + "(" + N(GeneratedApiNames.Add) + "(…), …)");

    public static readonly DiagnosticDescriptor Conversion = Warning("HG1004", FlipCategory,
        "Handle converted to or from a pointer",
        "'{0}' converts between the {1} handle and a pointer or number, which the strong form rejects: go in with " + N(GeneratedApiNames.FromPointer) + ", out with " + N(GeneratedApiNames.ToPointer));

    public static readonly DiagnosticDescriptor RawPointer = Warning("HG1005", FlipCategory,
        "Pointer used as a handle",
        "'{0}' is a plain pointer used where a {1} handle is expected, which the strong form rejects; if it really points into a live {1} table, say so with " + N(GeneratedApiNames.FromPointer));

    public static readonly DiagnosticDescriptor NullHandle = Warning("HG1006", FlipCategory,
        "Handle compared with or set to null",
        "'{0}' uses null as a {1} handle, which the strong form rejects: test with " + N(GeneratedApiNames.IsNull) + ", make the null handle with default");

    public static readonly DiagnosticDescriptor Ordering = Warning("HG1007", FlipCategory,
        "Handles ordered or subtracted",
        "'{0}' orders or subtracts {1} handles, which the strong form rejects; compare indexes (" + N(GeneratedApiNames.Index) + ") or count steps instead");

    public static readonly DiagnosticDescriptor GenericArgument = Warning("HG1101", ReverseCategory,
        "Handle as a type argument",
        "'{0}' uses the {1} handle as a type argument, which the alias form rejects (a pointer cannot be one); keep handles in arrays or pass them as arguments");

    public static readonly DiagnosticDescriptor AsObject = Warning("HG1102", ReverseCategory,
        "Handle used as an object",
        "'{0}' boxes the {1} handle or calls a member of it, which the alias form rejects (a pointer is not an object); print or compare it with " + N(GeneratedApiNames.ToPointer));

    public static readonly DiagnosticDescriptor Interpolated = Warning("HG1103", ReverseCategory,
        "Handle interpolated into a string",
        "'{0}' interpolates the {1} handle, which the alias form rejects (a pointer cannot be formatted); interpolate (nuint)" + N(GeneratedApiNames.ToPointer) + "(…) instead");

    public static readonly DiagnosticDescriptor DoubleRead = Warning("HG1201", RaceCategory,
        "Live entry read twice",
        "The {1} entry '{0}' is read again with no store to it in between (first read on line {2}); the MMU or another CPU can change it between the reads, so the two values may differ: read it once with " + N(GeneratedApiNames.GetOnce) + " and pass the value on");

    public static readonly DiagnosticDescriptor NonAtomicUpdate = Warning("HG1202", RaceCategory,
        "Non-atomic read-modify-write of a live entry",
        "'{0}' reads the {1} entry and writes back a value computed from it in two steps; a bit the MMU or another CPU sets in between (accessed, dirty) is lost: {2}");

    public static readonly DiagnosticDescriptor WrongLevelIndex = Warning("HG1203", RaceCategory,
        "Index of another level",
        "'{0}' indexes a {1} table with the index of the {2} level; use " + N(GeneratedApiNames.Index) + " so the entry that maps the address is reached");

    /// <summary>Every descriptor, in ID order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> Every { get; } =
    [
        Dereference, Arithmetic, Indexing, Conversion, RawPointer, NullHandle, Ordering,
        GenericArgument, AsObject, Interpolated,
        DoubleRead, NonAtomicUpdate, WrongLevelIndex,
    ];

    /// <summary>A generated function's name in a message format, where {1} is the level: the table's spelling, so a rename reaches the message.</summary>
    private static string N(ApiName api) => api.Spell("{1}");

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message) =>
        new(id, title, message + " (see diagnostics.md#" + id.ToLowerInvariant() + ")", category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
}
