using HandleGen.Generator.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.Generator.Diagnostics;

/// <summary>
/// A diagnostic as plain values, so it can travel through the incremental pipeline and compare
/// equal between runs (a <see cref="Diagnostic"/> or <see cref="Location"/> must not).
/// </summary>
internal sealed record DiagnosticInfo(
    string Id,
    EquatableArray<string> Arguments,
    string? FilePath,
    int SpanStart,
    int SpanLength,
    int StartLine,
    int StartColumn,
    int EndLine,
    int EndColumn)
{
    /// <summary>A diagnostic about the build as a whole (a switch, a project setting).</summary>
    public static DiagnosticInfo Unlocated(DiagnosticDescriptor descriptor, params string[] arguments) =>
        new(descriptor.Id, arguments.ToEquatableArray(), null, 0, 0, 0, 0, 0, 0);

    /// <summary>A diagnostic at a span of a file whose text is known.</summary>
    public static DiagnosticInfo At(DiagnosticDescriptor descriptor, string path, SourceText text, int start, int length, params string[] arguments)
    {
        var span = new TextSpan(start, length);
        var lines = text.Lines.GetLinePositionSpan(span);
        return new(descriptor.Id, arguments.ToEquatableArray(), path, start, length,
            lines.Start.Line, lines.Start.Character, lines.End.Line, lines.End.Character);
    }

    public Diagnostic ToDiagnostic()
    {
        var location = FilePath is null
            ? Location.None
            : Location.Create(
                FilePath,
                new TextSpan(SpanStart, SpanLength),
                new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
        return Diagnostic.Create(DiagnosticDescriptors.ById(Id), location, Arguments.ToArrayOfObjects());
    }

    public bool IsError => DiagnosticDescriptors.ById(Id).DefaultSeverity == DiagnosticSeverity.Error;
}

internal static class EquatableStringArrayExtensions
{
    public static object[] ToArrayOfObjects(this EquatableArray<string> items)
    {
        var result = new object[items.Count];
        for (var i = 0; i < items.Count; i++)
            result[i] = items[i];
        return result;
    }
}
