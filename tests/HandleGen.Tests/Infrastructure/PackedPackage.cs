using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HandleGen.Tests.Infrastructure;

/// <summary>
/// The HandleGen package, packed once per test run from a copy of the repository with a unique
/// version, into a local folder that consumer projects restore from, the way users get it.
/// </summary>
internal static class PackedPackage
{
    private static readonly Lazy<Task<PackageFeed>> Feed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<PackageFeed> Get() => Feed.Value;

    // The one package: it carries HandleGen.Runtime (support/net8.0) rather than depending on a package of it.
    private static readonly string[] PackableProjects =
    [
        Path.Combine("package", "HandleGen.csproj"),
    ];

    private static async Task<PackageFeed> Pack()
    {
        var work = Directory.CreateTempSubdirectory("handlegen-e2e-").FullName;
        var source = Path.Combine(work, "repo");
        CopyRepository(RepoPaths.Root, source);
        var feed = Path.Combine(work, "feed");
        var version = "0.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Guid.NewGuid().ToString("N")[..8];

        foreach (var project in PackableProjects.Where(p => File.Exists(Path.Combine(source, p))))
        {
            var result = await DotNet.Run(source, "pack", project, "-c", "Release", "-o", feed, "-p:Version=" + version, "-nodeReuse:false");
            if (result.ExitCode != 0)
                throw new InvalidOperationException("dotnet pack " + project + " failed: " + result);
        }

        if (!File.Exists(Path.Combine(feed, $"HandleGen.{version}.nupkg")))
            throw new InvalidOperationException("dotnet pack produced no HandleGen." + version + ".nupkg in " + feed);
        return new PackageFeed(work, feed, version);
    }

    /// <summary>Copies what a clean clone has, less what packing does not need: no build output, tests, samples.</summary>
    private static void CopyRepository(string from, string to)
    {
        string[] skipped = ["bin", "obj", ".git", "tests", "samples", "bench", "TestResults", "BenchmarkDotNet.Artifacts"];
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from).Where(d => !skipped.Contains(Path.GetFileName(d))))
            CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
            CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}

/// <summary>A folder holding the packed packages, and their version.</summary>
internal sealed record PackageFeed(string WorkDirectory, string Folder, string Version);
