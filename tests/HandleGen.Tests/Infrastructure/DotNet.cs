using System;
using System.Collections;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace HandleGen.Tests.Infrastructure;

/// <summary>The result of one dotnet CLI call.</summary>
internal sealed record CommandResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit code {ExitCode}\n{Output}";
}

/// <summary>Runs the dotnet CLI as a user would, isolated from the MSBuild of the test run itself.</summary>
internal static class DotNet
{
    public static Task<CommandResult> Run(string workingDirectory, params string[] args) =>
        Run(workingDirectory, new System.Collections.Generic.Dictionary<string, string>(), args);

    /// <summary>Runs dotnet with extra environment variables (the JIT's, for example).</summary>
    public static Task<CommandResult> Run(string workingDirectory, System.Collections.Generic.IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunProgram("dotnet", workingDirectory, environment, args);

    /// <summary>Runs a program (a dotnet muxer of another runtime, for example) the same way.</summary>
    public static async Task<CommandResult> RunProgram(string program, string workingDirectory, System.Collections.Generic.IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        // The test host runs under MSBuild's environment; a child build must not inherit it.
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>()
                     .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                         || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                         || k.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)))
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.Append(await stdout).Append(await stderr);
        return new CommandResult(process.ExitCode, output.ToString());
    }
}
