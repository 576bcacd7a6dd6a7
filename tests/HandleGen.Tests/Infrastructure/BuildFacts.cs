using System.Linq;
using System.Reflection;

namespace HandleGen.Tests.Infrastructure;

/// <summary>Values the test project's build records in the test assembly (AssemblyMetadata): paths and versions.</summary>
internal static class BuildFacts
{
    public static string Get(string key) =>
        typeof(BuildFacts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
