using System;
using System.IO;

namespace HandleGen.Tests.Infrastructure;

/// <summary>
/// A runnable .NET of one runtime version, as a user's machine with only that runtime has it: the
/// shared framework from the NuGet runtime pack, and the dotnet muxer and host resolver of the installed
/// SDK (backward compatible with every runtime). Programs run in it with DOTNET_ROOT pointing at it.
/// </summary>
internal sealed class RuntimeLayout
{
    private RuntimeLayout(string root, string version)
    {
        Root = root;
        Version = version;
    }

    public string Root { get; }

    public string Version { get; }

    public string Muxer => Path.Combine(Root, "dotnet");

    public static RuntimeLayout Create(string directory, string runtimeVersion)
    {
        var pack = Path.Combine(BuildFacts.Get("NuGetPackageRoot"), "microsoft.netcore.app.runtime.linux-x64", runtimeVersion, "runtimes", "linux-x64");
        if (!Directory.Exists(pack))
            throw new InvalidOperationException("The runtime pack " + runtimeVersion + " was not restored to " + pack);
        var tfm = "net" + string.Join('.', runtimeVersion.Split('.')[..2]);
        var framework = Path.Combine(directory, "shared", "Microsoft.NETCore.App", runtimeVersion);
        CopyFiles(Path.Combine(pack, "lib", tfm), framework);
        CopyFiles(Path.Combine(pack, "native"), framework);

        // The running runtime's root: …/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll.
        var sdkRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        CopyTree(Path.Combine(sdkRoot, "host", "fxr"), Path.Combine(directory, "host", "fxr"));
        File.Copy(Path.Combine(sdkRoot, "dotnet"), Path.Combine(directory, "dotnet"));
        return new RuntimeLayout(directory, runtimeVersion);
    }

    private static void CopyFiles(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    private static void CopyTree(string from, string to)
    {
        CopyFiles(from, to);
        foreach (var dir in Directory.GetDirectories(from))
            CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
