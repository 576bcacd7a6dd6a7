using HandleGen.Generator.Diagnostics;
using HandleGen.Generator.Input;

namespace HandleGen.Generator.Spec;

/// <summary>HG0020 for a build with no spec file, telling the user what to do in their case.</summary>
internal static class NoSpecAdvice
{
    public static DiagnosticInfo For(BuildSwitches switches)
    {
        var path = switches.SpecPath.Length > 0 ? switches.SpecPath : "levels.json";
        // A spec the project names is never replaced by the shipped formats: the path is wrong, say so.
        if (switches.SpecGiven)
            return DiagnosticInfo.Unlocated(DiagnosticDescriptors.NoSpec,
                "<HandleGenSpec> is \"" + path + "\", which does not exist (a relative path is taken from the project directory); "
                + "correct the path, or remove <HandleGenSpec> to use levels.json beside the project file");

        return DiagnosticInfo.Unlocated(DiagnosticDescriptors.NoSpec,
            "looked for \"" + path + "\"; put a levels.json beside the project file, point <HandleGenSpec> at one, "
            + "or set <HandleGenArch> to a format shipped in HandleGen: " + string.Join(", ", ShippedFormats.Names));
    }
}
