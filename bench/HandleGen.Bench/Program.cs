using BenchmarkDotNet.Running;

namespace HandleGen.Bench;

/// <summary>Entry point: BenchmarkDotNet's switcher, so --filter, --job and the other options work.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks the arguments select (see docs/benchmarks.md).</summary>
    /// <param name="args">BenchmarkDotNet's command-line options, e.g. --filter '*'.</param>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
