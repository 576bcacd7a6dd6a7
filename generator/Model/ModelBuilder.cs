using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HandleGen.Generator.Common;
using HandleGen.Generator.Input;
using HandleGen.Generator.Settings;
using HandleGen.Generator.Spec;

namespace HandleGen.Generator.Model;

/// <summary>
/// Builds the model of each arch the settings name: the geometry (shifts, folding) and the entry format's names
/// that the templates print. Every check is done before (the spec reader, the settings reader); this only builds.
/// </summary>
internal static class ModelBuilder
{
    /// <summary>The models of the arches the build asks for, in HandleGenArch's order.</summary>
    public static List<ArchModel> Build(LevelsSpec spec, BuildSettings settings) =>
        settings.Arches.Select(arch => Model(spec, arch, settings)).ToList();

    private static ArchModel Model(LevelsSpec spec, ArchSettings settings, BuildSettings build)
    {
        var arch = settings.Arch;
        var entry = new EntryNames(arch);
        return new ArchModel
        {
            Namespace = arch.Namespace ?? spec.Namespace,
            ArchName = arch.Name,
            PageShift = arch.PageShift,
            EntryBits = arch.EntryBits,
            VaBits = arch.PageShift + arch.Widths.Sum(),
            PfnShift = arch.PfnShift ?? arch.PageShift,
            PfnBits = arch.PfnBits ?? arch.EntryBits - (arch.PfnShift ?? arch.PageShift),
            PresentBit = arch.PresentBit ?? 0,
            TableFlags = Hex(arch.TableFlags ?? 1UL << (arch.PresentBit ?? 0)),
            KernelTableFlags = arch.KernelTableFlags is { } kernel ? Hex(kernel) : null,
            Form = settings.Form,
            Levels = Levels(arch, settings.StrongLevels, settings.Style == HandleStyle.Element, entry),
            Bits = entry.Bits(),
            Protections = entry.Protections(),
            PresentMask = entry.PresentMask(),
            Roles = entry.Roles(),
            OwnsGlobalAliases = settings.OwnsGlobalAliases,
            Style = settings.Style,
            ContiguousBit = arch.ContiguousBit is { } cont ? "_PAGE_" + cont.Name : null,
            DirectMap = DirectMap(settings.DirectMap),
            Library = Library(build.Facts, arch.EntryBits, settings.Access),
            Visibility = build.Visibility,
            Kernel = arch.Kernel,
        };
    }

    private static DirectMapModel DirectMap(DirectMapChoice choice) => new()
    {
        Kind = choice.Kind,
        Offset = choice.Kind == DirectMapKind.Offset ? Hex(choice.Offset) + "UL" : string.Empty,
    };

    private static LibraryModel Library(CompilationFacts facts, int entryBits, EntryAccess access)
    {
        var word = facts.Word(entryBits);
        return new LibraryModel
        {
            Once = new OnceModel
            {
                Via = access.Via,
                EntryType = entryBits == 64 ? "ulong" : "uint",
                Direct = access.Direct,
                Sized = access.Sized,
                Narrow = access.Narrow,
            },
            Interlocked = word.Interlocked,
            Equatable = facts.HasEquatable,
            ObsoleteError = facts.HasObsoleteError,
            ObjectOverrides = facts.HasObjectOverrides,
            // The handles' ToString prints the address as a ulong, the entries' the entry word.
            Formatting = word.Format && facts.Word64.Format,
            EntryBitsTable = facts.HasEntryBitsTable,
            MethodImpl = facts.HasMethodImpl,
        };
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
            levels[i] = new LevelModel
            {
                Name = name,
                Width = w[i],
                ShiftName = ShiftName(i),
                ShiftExpression = ShiftExpression(i, w),
                Parent = i == 0 ? string.Empty : names[i - 1],
                Child = i == 4 ? string.Empty : names[i + 1],
                ChildFolded = i < 4 && w[i + 1] == 0,
                Strong = strong.Contains(name),
                LeafCapable = arch.LeafLevels[i],
                TableFlags = arch.LevelTableFlags[i] is { } flags ? entry.Literal(flags) : "_PAGE_TABLE",
                TableFlagsSource = arch.LevelTableFlags[i] is { } own
                    ? "<c>" + entry.Parts(own) + "</c> (levels.json's levelTableFlags." + name + ")"
                    : "<see cref=\"_PAGE_TABLE\"/>",
                ContiguousRun = arch.ContiguousBit is null ? 0 : arch.ContiguousRuns[i],
                Element = element,
                Home = names[HomeIndex(i, w)],
            };
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
