using System;
using System.Collections.Generic;
using System.Linq;
using HandleGen.Generator.Diagnostics;
using HandleGen.Generator.Input;
using HandleGen.Generator.Spec;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.Generator.Settings;

/// <summary>
/// The one place that reads and checks what the build asks for: the MSBuild switches (arches, forms, strong levels,
/// styles, direct map, visibility) against a valid spec, and the compilation facts (unsafe code, language version,
/// HandleGen.Runtime, how entries are accessed). The spec's own content is the spec reader's to check.
/// </summary>
internal static class SettingsReader
{
    /// <summary>The settings of the arches the build asks for; null when any check fails (its diagnostics say why).</summary>
    /// <param name="file">The user's levels.json the spec was read from; null for the shipped formats, whose
    /// faults of the build switches have no place in the project to point at.</param>
    public static BuildSettings? Read(LevelsSpec spec, SpecFile? file, BuildSwitches switches, CompilationFacts facts, List<DiagnosticInfo> diagnostics)
    {
        var text = SourceText.From(file?.Content ?? string.Empty);
        var archesAt = spec.ArchesMember;
        DiagnosticInfo At(JsonMember member, DiagnosticDescriptor d, params string[] args) => file is null
            ? DiagnosticInfo.Unlocated(d, args)
            : DiagnosticInfo.At(d, file.Path, text, member.NameStart, member.NameEnd - member.NameStart, args);

        var errors = diagnostics.Count(d => d.IsError);
        var names = switches.ArchNames();
        if (names.Count == 0)
            names.Add(spec.DefaultArch!);

        var arches = new List<ArchSpec>();
        foreach (var name in names)
        {
            var arch = spec.Arches.FirstOrDefault(a => a.Name == name);
            if (arch is null)
                diagnostics.Add(At(archesAt, DiagnosticDescriptors.UnknownArchSwitch, name, UnknownArch(name, spec, file is null)));
            else
                arches.Add(arch);
        }

        var forms = PerArchSwitch.Parse(switches.Form);
        var strongItems = PerArchSwitch.Parse(switches.StrongLevels);
        var styles = PerArchSwitch.Parse(switches.Style);
        foreach (var item in styles.Where(i => Choices.Style(i.Value) is null))
            diagnostics.Add(At(archesAt, DiagnosticDescriptors.BadStyleSwitch, item.Text));
        foreach (var item in forms.Where(i => Choices.Form(i.Value) is null))
            diagnostics.Add(At(archesAt, DiagnosticDescriptors.BadFormSwitch, item.Text));
        foreach (var item in strongItems.Where(i => LevelNames.IndexOf(i.Value) < 0))
            diagnostics.Add(At(archesAt, DiagnosticDescriptors.BadStrongLevelsSwitch, item.Text));
        if (switches.StrongLevels.Length > 0 && strongItems.Count == 0)
            diagnostics.Add(At(archesAt, DiagnosticDescriptors.BadStrongLevelsSwitch, switches.StrongLevels));
        foreach (var (item, property) in forms.Select(i => (i, "HandleGenForm")).Concat(strongItems.Select(i => (i, "HandleGenStrongLevels"))).Concat(styles.Select(i => (i, "HandleGenStyle"))))
        {
            if (item.Arch is { } named && !names.Contains(named))
                diagnostics.Add(At(archesAt, DiagnosticDescriptors.SwitchItemDoesNotFit, property, item.Text,
                    "arch \"" + named + "\" is not built; HandleGenArch builds " + string.Join(", ", names)));
        }

        DirectMapChoice? directMapSwitch = null;
        if (switches.DirectMap.Length > 0)
        {
            directMapSwitch = DirectMapChoice.Parse(switches.DirectMap);
            if (directMapSwitch is null)
                diagnostics.Add(At(archesAt, DiagnosticDescriptors.BadDirectMapSwitch, switches.DirectMap));
        }

        var visibility = switches.Visibility.Length == 0 ? Visibility.Public : ParseVisibility(switches.Visibility);
        if (visibility is null)
            diagnostics.Add(At(archesAt, DiagnosticDescriptors.BadVisibilitySwitch, switches.Visibility));

        foreach (var arch in arches.Where(a => PerArchSwitch.For(forms, a.Name).Count > 1))
            diagnostics.Add(At(archesAt, DiagnosticDescriptors.SwitchItemDoesNotFit, "HandleGenForm", switches.Form,
                "it gives arch \"" + arch.Name + "\" more than one form"));
        foreach (var arch in arches.Where(a => PerArchSwitch.For(styles, a.Name).Count > 1))
            diagnostics.Add(At(archesAt, DiagnosticDescriptors.SwitchItemDoesNotFit, "HandleGenStyle", switches.Style,
                "it gives arch \"" + arch.Name + "\" more than one style"));

        // Each arch's Pgtable and entry types must have a namespace of their own.
        var owners = new Dictionary<string, ArchSpec>(StringComparer.Ordinal);
        foreach (var arch in arches)
        {
            var ns = arch.Namespace ?? spec.Namespace;
            if (owners.TryGetValue(ns, out var first))
                diagnostics.Add(At(arch.Member, DiagnosticDescriptors.SharedNamespace, first.Name, arch.Name, ns));
            else
                owners.Add(ns, arch);
        }

        if (diagnostics.Count(d => d.IsError) != errors)
            return null;

        var choices = arches.Select(arch => Choose(arch, forms, strongItems, styles)).ToList();
        foreach (var (_, form, _, staged, _) in choices)
        {
            // A staged level list with the alias form changes nothing: say so rather than ignore it.
            if (staged is { } list && form == HandleForm.Alias && (list.Any(i => i.Arch is not null) || choices.All(c => c.Form == HandleForm.Alias)))
                diagnostics.Add(At(archesAt, DiagnosticDescriptors.StrongLevelsWithAliasForm, string.Join(";", list.Select(i => i.Text))));
        }

        var anyAliasForm = choices.Any(c => c.Form == HandleForm.Alias);
        // The element style declares its pointer aliases in every file, as does an arch that does not own the global ones.
        var anyAlias = anyAliasForm || choices.Any(c => c.Strong.Count < 5 || c.Style == HandleStyle.Element);
        if (!facts.AllowUnsafe)
            diagnostics.Add(DiagnosticInfo.Unlocated(DiagnosticDescriptors.UnsafeNotAllowed));
        // The alias form's global using of a pointer type is C# 12; the strong form needs file-scoped namespaces (C# 10).
        var needed = anyAlias ? LanguageVersion.CSharp12 : LanguageVersion.CSharp10;
        var what = anyAliasForm ? "alias form" : anyAlias ? "alias form of the levels not in HandleGenStrongLevels" : "strong form";
        if (facts.LanguageVersion.MapSpecifiedToEffectiveVersion() < needed)
            diagnostics.Add(DiagnosticInfo.Unlocated(DiagnosticDescriptors.LanguageVersionTooLow,
                what, needed.ToDisplayString(), facts.LanguageVersion.MapSpecifiedToEffectiveVersion().ToDisplayString()));
        if (!facts.RuntimeUsable && choices.FirstOrDefault(c => (directMapSwitch ?? c.Arch.DirectMap ?? DirectMapChoice.Default).Kind == DirectMapKind.Runtime) is { Arch: { } runtimeArch })
            diagnostics.Add(DiagnosticInfo.Unlocated(DiagnosticDescriptors.RuntimeMapUnavailable,
                directMapSwitch is not null ? "HandleGenDirectMap=runtime"
                    : runtimeArch.DirectMap is not null ? "arch \"" + runtimeArch.Name + "\"'s \"directMap\" in levels.json"
                    : "the default: no HandleGenDirectMap, and arch \"" + runtimeArch.Name + "\" has no \"directMap\"",
                facts.RuntimeReferenced
                    ? "this build references but cannot use: it is built on .NET 8's standard library, which this compilation does not have (a kernel's own corlib, or an older framework)"
                    : "this build does not reference (HandleGen's targets reference it when HandleGenDirectMap, else levels.json's \"directMap\" keys, say runtime, in a project on net8.0 or later without NoStdLib)"));
        if (diagnostics.Count(d => d.IsError) != errors)
            return null;

        var accesses = choices.Select(c => EntryAccess.Choose(c.Arch.EntryBits, facts)).ToList();
        for (var i = 0; i < choices.Count; i++)
        {
            // An AnyCPU build is not warned: it is 64-bit where it runs on a 64-bit machine, as kernels built from
            // AnyCPU assemblies are; its doc comments say what a 32-bit process does.
            if (accesses[i] is { Direct: false, Torn: true })
                diagnostics.Add(At(choices[i].Arch.Member, DiagnosticDescriptors.TornOnceAccess, choices[i].Arch.Name));
        }

        return new BuildSettings
        {
            Arches = choices.Select((c, i) => new ArchSettings
            {
                Arch = c.Arch,
                Form = c.Form,
                StrongLevels = c.Form == HandleForm.Strong ? c.Strong : new HashSet<string>(StringComparer.Ordinal),
                Style = c.Style,
                DirectMap = directMapSwitch ?? c.Arch.DirectMap ?? DirectMapChoice.Default,
                Access = accesses[i],
                OwnsGlobalAliases = i == 0,
            }).ToList(),
            Visibility = visibility!.Value,
            Facts = facts,
        };
    }

    /// <summary>HandleGenVisibility's value, in any case; null when it is neither public nor internal.</summary>
    private static Visibility? ParseVisibility(string value) => value.ToLowerInvariant() switch
    {
        "public" => Visibility.Public,
        "internal" => Visibility.Internal,
        _ => null,
    };

    /// <summary>
    /// One arch's form and strong levels from the switches (its own items, else the unqualified ones) and
    /// levels.json; <c>Staged</c> is the strong-level items that applied, null when none did. The switches'
    /// words are checked before: each names a form or a style.
    /// </summary>
    private static (ArchSpec Arch, HandleForm Form, HashSet<string> Strong, List<PerArchSwitch>? Staged, HandleStyle Style) Choose(
        ArchSpec arch, List<PerArchSwitch> forms, List<PerArchSwitch> strongItems, List<PerArchSwitch> styles)
    {
        var style = (PerArchSwitch.For(styles, arch.Name).FirstOrDefault() is { } styleItem ? Choices.Style(styleItem.Value) : null)
            ?? arch.Style ?? HandleStyle.Handle;
        var form = (PerArchSwitch.For(forms, arch.Name).FirstOrDefault() is { } formItem ? Choices.Form(formItem.Value) : null)
            ?? arch.Form ?? HandleForm.Alias;
        var staged = PerArchSwitch.For(strongItems, arch.Name);
        var strong = staged.Count > 0
            ? new HashSet<string>(staged.Select(i => i.Value), StringComparer.Ordinal)
            : new HashSet<string>(LevelNames.All, StringComparer.Ordinal);
        return (arch, form, strong, staged.Count > 0 ? staged : null, style);
    }

    /// <summary>What HG0017 says after the name: where the arches come from, which there are and, for a shipped one, how to add it.</summary>
    private static string UnknownArch(string name, LevelsSpec spec, bool shipped)
    {
        var there = spec.Arches.Select(a => a.Name).ToList();
        if (shipped)
            return "a format shipped in HandleGen" + SpecReader.DidYouMean(name, there) + " (the project has no levels.json); shipped formats: " + string.Join(", ", there);
        var hint = ShippedFormats.Find(name) is null
            ? string.Empty
            : "; to build the shipped format, add \"" + name + "\": { \"base\": \"" + name + "\" } to them";
        return "an arch of levels.json" + SpecReader.DidYouMean(name, there) + "; arches there: " + string.Join(", ", there) + hint;
    }
}
