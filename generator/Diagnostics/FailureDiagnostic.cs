using System;
using System.IO;
using System.Runtime.InteropServices;

namespace HandleGen.Generator.Diagnostics;

/// <summary>
/// Turns an exception that escaped HandleGen into the diagnostic that tells the user what to do. A
/// dependency of the generator that the compiler cannot load is a fault of the compiler host and the
/// package (HG0900), never of levels.json; anything else is a fault in HandleGen itself (HG9999).
/// </summary>
internal static class FailureDiagnostic
{
    /// <param name="e">The exception.</param>
    /// <param name="whileReadingInput">True when it escaped while checking levels.json and the build, so
    /// the input is the likely trigger and worth attaching to a report.</param>
    public static DiagnosticInfo From(Exception e, bool whileReadingInput)
    {
        if (LoadFault(e) is { } what)
            return DiagnosticInfo.Unlocated(DiagnosticDescriptors.HostDependency, what, RuntimeInformation.FrameworkDescription);
        return DiagnosticInfo.Unlocated(DiagnosticDescriptors.InternalError, OneLine(e), whileReadingInput ? " with your levels.json" : "");
    }

    /// <summary>What failed to load, when the exception (or one it wraps) is a load failure: an assembly, a type or a member.</summary>
    private static string? LoadFault(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case FileNotFoundException { FileName: { Length: > 0 } name }:
                    return "assembly '" + name + "'";
                case FileLoadException { FileName: { Length: > 0 } name }:
                    return "assembly '" + name + "'";
                case BadImageFormatException { FileName: { Length: > 0 } name }:
                    return "assembly '" + name + "'";
                case TypeLoadException or MissingMemberException:
                    return OneLine(e);
            }
        }

        return null;
    }

    /// <summary>An exception as one line: a message ending in a line break would cut the diagnostic short.</summary>
    private static string OneLine(Exception e) =>
        (e.GetType().Name + ": " + e.Message).Replace("\r", " ").Replace("\n", " ").Trim();
}
