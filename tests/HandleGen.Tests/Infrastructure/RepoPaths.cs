using System;
using System.IO;
using System.Linq;

namespace HandleGen.Tests.Infrastructure;

/// <summary>Where things are in the repository the tests run from.</summary>
internal static class RepoPaths
{
    public static readonly string Root = FindRoot();

    public static string LevelsJson => Path.Combine(Root, "levels.json");

    public static string Snapshots => Path.Combine(Root, "tests", "HandleGen.Tests", "Snapshots");

    /// <summary>How many files the generator must write: one per template in templates/ that is not a partial ("_…").</summary>
    public static int FileTemplates =>
        Directory.GetFiles(Path.Combine(Root, "templates"), "*.sbntxt").Count(f => !Path.GetFileName(f).StartsWith('_'));

    /// <summary>
    /// How many files a .NET build with the default (runtime) direct map generates for one arch: every file template but
    /// DirectMap (HandleGen.Runtime's map is called by its full name, Pgtable declares no __va) and Polyfills (.NET has
    /// MethodImplAttribute), and Contiguous only for a format with contiguous runs (arm64_4k_48 among the shipped).
    /// </summary>
    public static int NetFiles(bool contiguous = false) => FileTemplates - 2 - (contiguous ? 0 : 1);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HandleGen.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("HandleGen.sln not found above " + AppContext.BaseDirectory);
    }
}
