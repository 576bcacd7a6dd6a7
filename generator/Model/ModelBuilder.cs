using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HandleGen.Generator.Common;
using HandleGen.Generator.Diagnostics;
using HandleGen.Generator.Options;
using HandleGen.Generator.Spec;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace HandleGen.Generator.Model;

/// <summary>
/// Picks the arch the build asks for out of a valid spec, applies the form switches and computes
/// the geometry (shifts, folding) that the templates print.
/// </summary>
internal static class ModelBuilder
{
    /// <summary>The models of the arches the build asks for, in HandleGenArch's order; empty on errors.</summary>
    /// <param name="file">The user's levels.json the spec was read from; null for the shipped formats, whose
    /// faults of the build switches have no place in the project to point at.</param>
    public static List<ArchModel> Build(LevelsSpec spec, SpecFile? file, BuildSwitches switches, CompilationFacts facts, List<DiagnosticInfo> diagnostics)
    {
        var text = SourceText.From(file?.Content ?? string.Empty);
        var archesAt = spec.ArchesMember;
        DiagnosticInfo At(JsonMember member, Microsoft.CodeAnalysis.DiagnosticDescriptor d, params string[] args) => file is null
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
        foreach (var item in styles.Where(i => i.Value is not ("handle" or "element")))
            diagnostics.Add(At(archesAt, DiagnosticDescriptors.BadStyleSwitch, item.Text));
        foreach (var item in forms.Where(i => i.Value is not ("alias" or "strong")))
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

        var visibility = switches.Visibility.Length == 0 ? "public" : switches.Visibility.ToLowerInvariant();
        if (visibility is not ("public" or "internal"))
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
            return new List<ArchModel>();

        var choices = arches.Select(arch => Choose(arch, forms, strongItems, styles)).ToList();
        foreach (var (arch, form, _, staged, _) in choices)
        {
            // A staged level list with the alias form changes nothing: say so rather than ignore it.
            if (staged is { } list && form == "alias" && (list.Any(i => i.Arch is not null) || choices.All(c => c.Form == "alias")))
                diagnostics.Add(At(archesAt, DiagnosticDescriptors.StrongLevelsWithAliasForm, string.Join(";", list.Select(i => i.Text))));
        }

        var anyAliasForm = choices.Any(c => c.Form == "alias");
        // The element style declares its pointer aliases in every file, as does an arch that does not own the global ones.
        var anyAlias = anyAliasForm || choices.Any(c => c.Strong.Count < 5 || c.Style == "element");
        if (!facts.AllowUnsafe)
            diagnostics.Add(DiagnosticInfo.Unlocated(DiagnosticDescriptors.UnsafeNotAllowed));
        // The alias form's global using of a pointer type is C# 12; the strong form needs file-scoped namespaces (C# 10).
        var needed = anyAlias ? LanguageVersion.CSharp12 : LanguageVersion.CSharp10;
        var what = anyAliasForm ? "alias form" : anyAlias ? "alias form of the levels not in HandleGenStrongLevels" : "strong form";
        if (facts.LanguageVersion.MapSpecifiedToEffectiveVersion() < needed)
            diagnostics.Add(DiagnosticInfo.Unlocated(DiagnosticDescriptors.LanguageVersionTooLow,
                what, needed.ToDisplayString(), facts.LanguageVersion.MapSpecifiedToEffectiveVersion().ToDisplayString()));
        if (!facts.RuntimeUsable && choices.FirstOrDefault(c => (directMapSwitch ?? c.Arch.DirectMap ?? DirectMapChoice.Default).Kind == "runtime") is { Arch: { } runtimeArch })
            diagnostics.Add(DiagnosticInfo.Unlocated(DiagnosticDescriptors.RuntimeMapUnavailable,
                directMapSwitch is not null ? "HandleGenDirectMap=runtime"
                    : runtimeArch.DirectMap is not null ? "arch \"" + runtimeArch.Name + "\"'s \"directMap\" in levels.json"
                    : "the default: no HandleGenDirectMap, and arch \"" + runtimeArch.Name + "\" has no \"directMap\"",
                facts.RuntimeReferenced
                    ? "this build references but cannot use: it is built on .NET 8's standard library, which this compilation does not have (a kernel's own corlib, or an older framework)"
                    : "this build does not reference (HandleGen's targets reference it when HandleGenDirectMap, else levels.json's \"directMap\" keys, say runtime, in a project on net8.0 or later without NoStdLib)"));
        if (diagnostics.Count(d => d.IsError) != errors)
            return new List<ArchModel>();

        var onces = choices.Select(c => Once(c.Arch.EntryBits, facts)).ToList();
        for (var i = 0; i < choices.Count; i++)
        {
            // An AnyCPU build is not warned: it is 64-bit where it runs on a 64-bit machine, as kernels built from
            // AnyCPU assemblies are; its doc comments say what a 32-bit process does.
            if (onces[i] is { Direct: false, Torn: true })
                diagnostics.Add(At(choices[i].Arch.Member, DiagnosticDescriptors.TornOnceAccess, choices[i].Arch.Name));
        }

        return choices.Select((c, i) => Model(spec, c.Arch, c.Form, c.Strong, c.Style, ownsGlobalAliases: i == 0,
            directMapSwitch ?? c.Arch.DirectMap ?? DirectMapChoice.Default, Library(facts, c.Arch.EntryBits, onces[i]), visibility)).ToList();
    }

    private static LibraryModel Library(CompilationFacts facts, int entryBits, OnceModel once)
    {
        var word = facts.Word(entryBits);
        // The handles' ToString prints the address as a ulong, the entries' the entry word.
        var formatting = word.Format && facts.Word64.Format;
        return new LibraryModel(once, word.Interlocked, facts.HasEquatable, facts.HasObsoleteError, facts.HasObjectOverrides, formatting,
            facts.HasEntryBitsTable, facts.HasMethodImpl);
    }

    /// <summary>
    /// How READ_ONCE and WRITE_ONCE reach an entry word: through Volatile where the library has it for the word, else
    /// through a volatile field (the core library's IsVolatile is all it needs), else through a plain access in a method
    /// the JIT does not inline. A 64-bit word in a 32-bit process takes Interlocked where there is one, else it is two
    /// 32-bit accesses (the one case that is not single-copy-atomic, HG0039).
    /// </summary>
    private static OnceModel Once(int entryBits, CompilationFacts facts)
    {
        var word = facts.Word(entryBits);
        var type = entryBits == 64 ? "ulong" : "uint";
        if (word.Volatile)
            return new OnceModel("volatile", type, true, false, null);
        var via = facts.HasIsVolatile ? "field" : "call";
        if (entryBits == 32 || facts.Target == TargetWidth.Bits64)
            return new OnceModel(via, type, true, false, null);
        var narrow = word.Interlocked ? "interlocked" : facts.HasIsVolatile ? "halves" : "plain";
        return new OnceModel(via, type, facts.Target == TargetWidth.Any, facts.Target == TargetWidth.Any, narrow);
    }

    /// <summary>
    /// One arch's form and strong levels from the switches (its own items, else the unqualified ones) and
    /// levels.json; <c>Staged</c> is the strong-level items that applied, null when none did.
    /// </summary>
    private static (ArchSpec Arch, string Form, HashSet<string> Strong, List<PerArchSwitch>? Staged, string Style) Choose(
        ArchSpec arch, List<PerArchSwitch> forms, List<PerArchSwitch> strongItems, List<PerArchSwitch> styles)
    {
        var style = PerArchSwitch.For(styles, arch.Name).FirstOrDefault()?.Value ?? arch.Style ?? "handle";
        var form = PerArchSwitch.For(forms, arch.Name).FirstOrDefault()?.Value ?? arch.Form ?? "alias";
        var staged = PerArchSwitch.For(strongItems, arch.Name);
        var strong = staged.Count > 0
            ? new HashSet<string>(staged.Select(i => i.Value), StringComparer.Ordinal)
            : new HashSet<string>(LevelNames.All, StringComparer.Ordinal);
        return (arch, form, strong, staged.Count > 0 ? staged : null, style);
    }

    private static ArchModel Model(LevelsSpec spec, ArchSpec arch, string form, HashSet<string> strongLevels, string style, bool ownsGlobalAliases,
        DirectMapChoice directMap, LibraryModel library, string visibility)
    {
        var entry = new EntryNames(arch);
        return new ArchModel(
            arch.Namespace ?? spec.Namespace,
            arch.Name,
            arch.PageShift,
            arch.EntryBits,
            arch.PageShift + arch.Widths.Sum(),
            arch.PfnShift ?? arch.PageShift,
            arch.PfnBits ?? arch.EntryBits - (arch.PfnShift ?? arch.PageShift),
            arch.PresentBit ?? 0,
            Hex(arch.TableFlags ?? 1UL << (arch.PresentBit ?? 0)),
            arch.KernelTableFlags is { } kernel ? Hex(kernel) : null,
            form,
            Levels(arch, form == "strong" ? strongLevels : new HashSet<string>(), style == "element", entry),
            entry.Bits(),
            entry.Protections(),
            entry.PresentMask(),
            entry.Roles(),
            ownsGlobalAliases,
            style,
            arch.ContiguousBit is { } cont ? "_PAGE_" + cont.Name : null,
            directMap,
            library,
            visibility,
            arch.Kernel);
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

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static EquatableArray<LevelModel> Levels(ArchSpec arch, HashSet<string> strong, bool element, EntryNames entry)
    {
        var names = LevelNames.All;
        var w = arch.Widths;
        var levels = new LevelModel[5];
        for (var i = 4; i >= 0; i--)
        {
            var name = names[i];
            levels[i] = new LevelModel(
                name,
                w[i],
                ShiftName(i),
                ShiftExpression(i, w),
                i == 0 ? string.Empty : names[i - 1],
                i == 4 ? string.Empty : names[i + 1],
                i < 4 && w[i + 1] == 0,
                strong.Contains(name),
                arch.LeafLevels[i],
                arch.LevelTableFlags[i] is { } flags ? entry.Literal(flags) : "_PAGE_TABLE",
                arch.LevelTableFlags[i] is { } own ? "<c>" + entry.Parts(own) + "</c> (levels.json's levelTableFlags." + name + ")" : "<see cref=\"_PAGE_TABLE\"/>",
                arch.ContiguousBit is null ? 0 : arch.ContiguousRuns[i],
                element,
                names[HomeIndex(i, w)]);
        }

        return levels.ToEquatableArray();
    }

    /// <summary>
    /// How the level's shift is written in the generated constants, as the kernel derives it: a folded
    /// level takes the shift of the level above (pgtable-nop4d.h), any other level adds the width of
    /// the nearest unfolded level below to that level's shift.
    /// </summary>
    private static string ShiftExpression(int i, int[] w)
    {
        if (i == 4)
            return string.Empty;
        if (w[i] == 0)
            return ShiftName(i - 1);
        var below = i + 1;
        while (below < 4 && w[below] == 0)
            below++;
        return ShiftName(below) + " + " + w[below].ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The level whose table holds the level's entries: itself, or for a folded level the nearest unfolded one above.</summary>
    private static int HomeIndex(int i, int[] w)
    {
        while (w[i] == 0)
            i--;
        return i;
    }

    private static string ShiftName(int i) => i switch
    {
        0 => "PGDIR_SHIFT",
        4 => "PAGE_SHIFT",
        _ => LevelNames.All[i].ToUpperInvariant() + "_SHIFT",
    };
}
