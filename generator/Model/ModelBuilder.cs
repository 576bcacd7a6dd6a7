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
    public static ArchModel? Build(LevelsSpec spec, SpecFile file, BuildSwitches switches, CompilationFacts facts, List<DiagnosticInfo> diagnostics)
    {
        var text = SourceText.From(file.Content ?? string.Empty);
        var archesAt = spec.ArchesMember;
        DiagnosticInfo AtArches(Microsoft.CodeAnalysis.DiagnosticDescriptor d, params string[] args) =>
            DiagnosticInfo.At(d, file.Path, text, archesAt.NameStart, archesAt.NameEnd - archesAt.NameStart, args);

        var errors = diagnostics.Count(d => d.IsError);
        var archName = switches.Arch.Length > 0 ? switches.Arch : spec.DefaultArch;
        var arch = spec.Arches.FirstOrDefault(a => a.Name == archName);
        if (arch is null)
            diagnostics.Add(AtArches(DiagnosticDescriptors.UnknownArchSwitch, archName, string.Join(", ", spec.Arches.Select(a => a.Name))));

        var form = switches.Form.Length > 0 ? switches.Form.ToLowerInvariant() : arch?.Form ?? "alias";
        if (form is not ("alias" or "strong"))
            diagnostics.Add(AtArches(DiagnosticDescriptors.BadFormSwitch, switches.Form));

        var strongLevels = new HashSet<string>(LevelNames.All, StringComparer.Ordinal);
        if (switches.StrongLevels.Length > 0)
        {
            strongLevels.Clear();
            foreach (var part in switches.StrongLevels.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var level = part.Trim().ToLowerInvariant();
                if (LevelNames.IndexOf(level) < 0)
                    diagnostics.Add(AtArches(DiagnosticDescriptors.BadStrongLevelsSwitch, part.Trim()));
                strongLevels.Add(level);
            }

            if (strongLevels.Count == 0)
                diagnostics.Add(AtArches(DiagnosticDescriptors.BadStrongLevelsSwitch, switches.StrongLevels));
        }

        var directMap = arch?.DirectMap ?? DirectMapChoice.Default;
        if (switches.DirectMap.Length > 0)
        {
            if (DirectMapChoice.Parse(switches.DirectMap) is { } chosen)
                directMap = chosen;
            else
                diagnostics.Add(AtArches(DiagnosticDescriptors.BadDirectMapSwitch, switches.DirectMap));
        }

        if (diagnostics.Count(d => d.IsError) != errors || arch is null)
            return null;

        // A staged level list with the alias form changes nothing: say so rather than ignore it.
        if (switches.StrongLevels.Length > 0 && form == "alias")
            diagnostics.Add(AtArches(DiagnosticDescriptors.StrongLevelsWithAliasForm, switches.StrongLevels));

        var anyAlias = form == "alias" || strongLevels.Count < 5;
        if (!facts.AllowUnsafe)
            diagnostics.Add(DiagnosticInfo.Unlocated(DiagnosticDescriptors.UnsafeNotAllowed));
        // The alias form's global using of a pointer type is C# 12; the strong form needs file-scoped namespaces (C# 10).
        var needed = anyAlias ? LanguageVersion.CSharp12 : LanguageVersion.CSharp10;
        var what = form == "alias" ? "alias form" : anyAlias ? "alias form of the levels not in HandleGenStrongLevels" : "strong form";
        if (facts.LanguageVersion.MapSpecifiedToEffectiveVersion() < needed)
            diagnostics.Add(DiagnosticInfo.Unlocated(DiagnosticDescriptors.LanguageVersionTooLow,
                what, needed.ToDisplayString(), facts.LanguageVersion.MapSpecifiedToEffectiveVersion().ToDisplayString()));
        if (directMap.Kind == "runtime" && !facts.HasRuntime)
            diagnostics.Add(DiagnosticInfo.Unlocated(DiagnosticDescriptors.MissingType,
                "HandleGen.Runtime.DirectMap (assembly HandleGen.Runtime), through which HandleGenDirectMap=runtime maps tables",
                "reference the HandleGen.Runtime package, or set HandleGenDirectMap (or the arch's directMap in levels.json) to identity, offset:<hex> or custom"));
        if (diagnostics.Count(d => d.IsError) != errors)
            return null;

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
            Levels(arch, form == "strong" ? strongLevels : new HashSet<string>(), entry),
            entry.Bits(),
            entry.Protections(),
            entry.PresentMask(),
            entry.Roles(),
            directMap,
            new LibraryModel(facts.HasVolatile, facts.HasInterlocked, facts.HasEquatable, facts.HasObsoleteError, facts.HasFormatting, facts.HasMethodImpl));
    }

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static EquatableArray<LevelModel> Levels(ArchSpec arch, HashSet<string> strong, EntryNames entry)
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
