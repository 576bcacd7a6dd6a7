using System;
using System.Collections.Generic;
using System.Linq;
using HandleGen.Generator.Common;
using HandleGen.Generator.Diagnostics;
using HandleGen.Generator.Input;
using HandleGen.Generator.Model;
using HandleGen.Generator.Settings;
using HandleGen.Generator.Spec;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.Generator;

/// <summary>What one run decides: the model of each arch to render (none when there are errors) and the diagnostics.</summary>
internal sealed record GenerationResult(EquatableArray<ArchModel> Models, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static GenerationResult From(EquatableArray<SpecFile> files, BuildSwitches switches, CompilationFacts facts)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var models = new List<ArchModel>();
        try
        {
            models = Decide(files, switches, facts, diagnostics);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Last line of defence: a fault in HandleGen itself must still leave the user a message, never CS8785.
            diagnostics.Add(FailureDiagnostic.From(e, whileReadingInput: true));
            models.Clear();
        }

        return new GenerationResult((diagnostics.Any(d => d.IsError) ? new List<ArchModel>() : models).ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    /// <summary>Which spec the build reads (the project's levels.json, else the shipped formats when it names its arches), read and checked.</summary>
    private static List<ArchModel> Decide(EquatableArray<SpecFile> files, BuildSwitches switches, CompilationFacts facts, List<DiagnosticInfo> diagnostics)
    {
        if (!switches.Consumer)
            return new List<ArchModel>();

        var archNamed = switches.ArchNames().Count > 0;
        if (files.Count == 0)
        {
            // No levels.json: a build that names its arches gets the shipped formats, unless it named a spec file too.
            if (archNamed && !switches.SpecGiven)
                return Build(ShippedFormats.Spec, file: null, switches, facts, diagnostics);
            diagnostics.Add(NoSpecAdvice.For(switches));
            return new List<ArchModel>();
        }

        if (files.Count > 1)
        {
            var second = files[1];
            diagnostics.Add(DiagnosticInfo.At(DiagnosticDescriptors.TwoSpecs, second.Path, SourceText.From(second.Content ?? string.Empty), 0, 0, files[0].Path, second.Path));
            return new List<ArchModel>();
        }

        var file = files[0];
        if (file.Content is null)
        {
            diagnostics.Add(DiagnosticInfo.Unlocated(DiagnosticDescriptors.UnreadableSpec, file.Path));
            return new List<ArchModel>();
        }

        var spec = SpecReader.Read(file.Path, file.Content, diagnostics, requireDefaultArch: !archNamed);
        return spec is null ? new List<ArchModel>() : Build(spec, file, switches, facts, diagnostics);
    }

    /// <summary>The models of a valid spec: the settings read and checked, then the models built; none when the settings are not valid.</summary>
    private static List<ArchModel> Build(LevelsSpec spec, SpecFile? file, BuildSwitches switches, CompilationFacts facts, List<DiagnosticInfo> diagnostics) =>
        SettingsReader.Read(spec, file, switches, facts, diagnostics) is { } settings ? ModelBuilder.Build(spec, settings) : new List<ArchModel>();
}
