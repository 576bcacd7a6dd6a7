using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace HandleGen.Tests.Infrastructure;

/// <summary>A compiler error as dotnet build prints it: file, line, code.</summary>
internal sealed record BuildError(string File, int Line, string Code);

/// <summary>
/// A plain console project that references HandleGen from the packed feed, with only
/// AllowUnsafeBlocks, nullable and warnings-as-errors set, as a demanding user would have it.
/// </summary>
internal sealed class ConsumerProject
{
    private readonly string packagesFolder;

    private ConsumerProject(string directory, string packagesFolder)
    {
        Directory = directory;
        this.packagesFolder = packagesFolder;
    }

    public string Directory { get; }

    /// <param name="targetFramework">The project's target framework.</param>
    /// <param name="projectBody">More project-file content, placed after the package reference.</param>
    /// <param name="registry">Whether restore may also use the machine's package sources: a target framework
    /// older than the SDK's needs its targeting packs from there.</param>
    /// <param name="handleGen">Whether the project references HandleGen (and has the levels.json given); an app
    /// that only references a library using HandleGen does not.</param>
    public static ConsumerProject Create(PackageFeed feed, string name, string levelsJson, IReadOnlyDictionary<string, string> sources,
        bool allowUnsafe = true, string targetFramework = "net10.0", string projectBody = "", bool registry = false, bool handleGen = true)
    {
        var dir = Path.Combine(feed.WorkDirectory, name);
        System.IO.Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{targetFramework}</TargetFramework>
                <AllowUnsafeBlocks>{(allowUnsafe ? "true" : "false")}</AllowUnsafeBlocks>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
                <NoWarn>$(NoWarn);CS1591</NoWarn>
              </PropertyGroup>
            {(handleGen ? $"<ItemGroup><PackageReference Include=\"HandleGen\" Version=\"{feed.Version}\" /></ItemGroup>" : "")}
            {projectBody}
            </Project>
            """);
        // Only the local feed where the consumer needs nothing else: then the test does not depend on a registry.
        File.WriteAllText(Path.Combine(dir, "nuget.config"), $"""
            <configuration>
              <packageSources>
                {(registry ? "" : "<clear />")}
                <add key="handlegen-e2e" value="{feed.Folder}" />
              </packageSources>
            </configuration>
            """);
        if (handleGen)
            File.WriteAllText(Path.Combine(dir, "levels.json"), levelsJson);
        foreach (var (file, text) in sources)
            File.WriteAllText(Path.Combine(dir, file), text);
        return new ConsumerProject(dir, Path.Combine(feed.WorkDirectory, "packages"));
    }

    public Task<CommandResult> Build(params string[] properties) =>
        Run(new Dictionary<string, string>(), ["build", "-nodeReuse:false", "-p:UseSharedCompilation=false", .. properties.Select(p => "-p:" + p)]);

    /// <summary>Packs the project into the feed's folder with the feed's version, so that other consumers can restore it.</summary>
    public Task<CommandResult> Pack(PackageFeed feed) =>
        Run(new Dictionary<string, string>(), "pack", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-o", feed.Folder, "-p:Version=" + feed.Version);

    /// <summary>Runs the built program (after <see cref="Build"/>).</summary>
    public Task<CommandResult> RunBuilt() => Run(new Dictionary<string, string>(), "run", "--no-build");

    /// <summary>
    /// Runs dotnet in the project's folder. Packages restore into the test run's own folder, so the
    /// uniquely versioned test packages never reach the machine's global package cache.
    /// </summary>
    public Task<CommandResult> Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var variables = new Dictionary<string, string>(environment) { ["NUGET_PACKAGES"] = packagesFolder };
        return DotNet.Run(Directory, variables, args);
    }

    /// <summary>The errors in a build's output, once each (MSBuild repeats them in its summary).</summary>
    public static IReadOnlyList<BuildError> Errors(CommandResult build) =>
        Regex.Matches(build.Output, @"^\s*(?<file>[^\s(][^(]*)\((?<line>\d+),\d+\): error (?<code>\w+):", RegexOptions.Multiline)
            .Select(m => new BuildError(Path.GetFileName(m.Groups["file"].Value), int.Parse(m.Groups["line"].Value), m.Groups["code"].Value))
            .Distinct()
            .ToList();

    /// <summary>The HandleGen diagnostics a build printed, as "file(line,column): severity HGnnnn" (or with no location), once each.</summary>
    public static IReadOnlyList<string> HandleGenDiagnostics(CommandResult build) =>
        Regex.Matches(build.Output, @"(?<where>[^\s:]*?(\(\d+,\d+\))?) ?: (?<severity>error|warning) (?<code>HG\d{4}):", RegexOptions.Multiline)
            .Select(m => $"{Path.GetFileName(Regex.Replace(m.Groups["where"].Value, @"\(\d+,\d+\)$", ""))}{Regex.Match(m.Groups["where"].Value, @"\(\d+,\d+\)$").Value}: {m.Groups["severity"].Value} {m.Groups["code"].Value}")
            .Distinct()
            .ToList();
}
