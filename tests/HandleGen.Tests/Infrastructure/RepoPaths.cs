using System;
using System.IO;

namespace HandleGen.Tests.Infrastructure;

/// <summary>Where things are in the repository the tests run from.</summary>
internal static class RepoPaths
{
    public static readonly string Root = FindRoot();

    public static string LevelsJson => Path.Combine(Root, "levels.json");

    public static string Snapshots => Path.Combine(Root, "tests", "HandleGen.Tests", "Snapshots");

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
