using System.Collections.Generic;
using HandleGen.Generator.Input;
using HandleGen.Generator.Spec;

namespace HandleGen.Generator.Settings;

/// <summary>
/// What the build asks for, read from the switches and the compilation facts and checked against the spec by
/// <see cref="SettingsReader"/>: only produced when nothing in it is an error, so the model builder only builds. A
/// class, not a record: it lives within one run and is never compared (the model is what the driver compares).
/// </summary>
internal sealed class BuildSettings
{
    /// <summary>The arches to generate, in HandleGenArch's order (the first owns the global aliases).</summary>
    public required List<ArchSettings> Arches { get; init; }

    /// <summary>The accessibility of every generated top-level type (HandleGenVisibility).</summary>
    public required Visibility Visibility { get; init; }

    /// <summary>What the project's libraries offer the generated code.</summary>
    public required CompilationFacts Facts { get; init; }
}

/// <summary>One arch's choices: the switches' items for it, else levels.json's keys, else the defaults.</summary>
internal sealed class ArchSettings
{
    public required ArchSpec Arch { get; init; }

    public required HandleForm Form { get; init; }

    /// <summary>The levels whose handle is strong: every level in the strong form unless HandleGenStrongLevels stages them, none in the alias form.</summary>
    public required HashSet<string> StrongLevels { get; init; }

    public required HandleStyle Style { get; init; }

    public required DirectMapChoice DirectMap { get; init; }

    public required EntryAccess Access { get; init; }

    /// <summary>True for the first arch built: it exports the global aliases (one name for the whole compilation).</summary>
    public required bool OwnsGlobalAliases { get; init; }
}

/// <summary>The accessibility the generated top-level types get (HandleGenVisibility); the templates print its word.</summary>
internal enum Visibility
{
    Public,
    Internal,
}
