using System.Collections.Generic;
using System.Linq;
using HandleGen.Generator.Common;

namespace HandleGen.Generator.Model;

/// <summary>
/// The role helpers of the levels whose entries map pages (<c>pXX_write</c>, <c>pXX_mkdirty</c>, …, <c>pXX_modify</c>):
/// which exist, which variant each takes and what its doc comment says are decided here, once, so the template prints one
/// loop for every format. The variant: a format whose levels.json names a <c>readonly</c> bit keeps arm64's
/// hardware-managed dirty state (DBM), where a writable entry with the read-only bit clear is dirty.
/// </summary>
internal sealed partial record ArchModel
{
    /// <summary>The levels that get role helpers, each with its helpers in the order they are printed.</summary>
    public EquatableArray<PageLevelModel> PageLevels => Levels
        .Where(l => l.MapsPages)
        .Select(l => new PageLevelModel(l.Name, RoleHelpers.For(l, this).ToEquatableArray()))
        .ToEquatableArray();
}

/// <summary>A level whose entries map pages and its role helpers.</summary>
internal sealed record PageLevelModel(string Name, EquatableArray<HelperModel> Helpers);

/// <summary>A parameter's doc comment.</summary>
internal sealed record ParamModel(string Name, string Text);

/// <summary>
/// One generated helper: its doc comment, its signature (return type, name, parameters) and its body, either an
/// expression (<see cref="Expression"/>) or the lines of a block (<see cref="Block"/>).
/// </summary>
internal sealed record HelperModel(
    EquatableArray<string> Summary,
    EquatableArray<ParamModel> Params,
    string Signature,
    string? Expression,
    EquatableArray<string> Block)
{
    /// <summary>The summary on one line with its tags, when it fits the generated code's 120 columns; else null.</summary>
    public string? OneLine => Summary.Count == 1 && Summary[0].Length + "    /// <summary></summary>".Length <= 120 ? Summary[0] : null;

    /// <summary>True when the expression goes on the line after the signature, to keep lines within 120 columns.</summary>
    public bool Wrap => Expression is not null && ("    public static " + Signature + " => " + Expression + ";").Length > 120;
}

/// <summary>Builds a level's role helpers from levels.json's roles.</summary>
internal static class RoleHelpers
{
    public static IEnumerable<HelperModel> For(LevelModel level, ArchModel arch)
    {
        var roles = arch.Roles;
        var l = level.Name;
        var v = l + "." + l;
        var entry = l + "_t " + l;
        var ro = roles.Readonly;
        var dbm = ro is not null && roles.Write is not null && roles.Dirty is not null;

        if (roles.Write is { } w)
        {
            yield return dbm
                ? Expr([$"True when the {l} entry may be written (Linux's <c>{l}_write</c>): <c>{w.Holds}</c>, the software write bit;",
                        $"the MMU writes only once <c>{ro}</c> is clear too, which <see cref=\"{l}_mkdirty\"/> does."],
                    $"bool {l}_write({entry})", Test(v, w))
                : Expr([$"True when the {l} entry allows writes (Linux's <c>{l}_write</c>): <c>{w.Holds}</c>."],
                    $"bool {l}_write({entry})", Test(v, w));
            yield return dbm
                ? Block([$"Allows writes (Linux's <c>{l}_mkwrite</c>): sets {w.Mask}, and clears {ro} when the entry is",
                         "already dirty, as arm64's <c>pte_mkwrite_novma</c> does."],
                    $"{l}_t {l}_mkwrite({entry})", SetClearingReadonly(v, w.Mask, roles.Dirty!.Mask, ro!))
                : Expr([$"Allows writes (Linux's <c>{l}_mkwrite</c>): <c>{w.Holds}</c>."], $"{l}_t {l}_mkwrite({entry})", $"new({v} {Set(w)})");
            yield return dbm
                ? Block([$"Forbids writes (Linux's <c>{l}_wrprotect</c>): keeps a hardware-dirty state as {roles.Dirty!.Mask}, clears",
                         $"{w.Mask} and sets {ro}, as arm64's <c>pte_wrprotect</c> does."],
                    $"{l}_t {l}_wrprotect({entry})",
                    $"var value = {l}_dirty({l}) ? {v} | {roles.Dirty!.Mask} : {v};", $"return new((value & ~{w.Mask}) | {ro});")
                : Expr([$"Forbids writes (Linux's <c>{l}_wrprotect</c>)."], $"{l}_t {l}_wrprotect({entry})", $"new({v} {Clear(w)})");
        }

        if (roles.Dirty is { } d)
        {
            yield return dbm
                ? Expr([$"True when the page was written (Linux's <c>{l}_dirty</c>): {d.Mask} set (software dirty), or writable with",
                        $"{ro} clear (hardware dirty), as arm64's <c>pte_dirty</c> reads it."],
                    $"bool {l}_dirty({entry})", $"({v} & {d.Mask}) != 0 || (({v} & {roles.Write!.Mask}) != 0 && ({v} & {ro}) == 0)")
                : Expr([$"True when the page was written (Linux's <c>{l}_dirty</c>): <c>{d.Holds}</c>."], $"bool {l}_dirty({entry})", Test(v, d));
            yield return dbm
                ? Block([$"Marks the page written (Linux's <c>{l}_mkdirty</c>): sets {d.Mask}, and clears {ro} when the",
                         "entry is writable."],
                    $"{l}_t {l}_mkdirty({entry})", SetClearingReadonly(v, d.Mask, roles.Write!.Mask, ro!))
                : Expr([$"Marks the page written (Linux's <c>{l}_mkdirty</c>)."], $"{l}_t {l}_mkdirty({entry})", $"new({v} {Set(d)})");
            yield return dbm
                ? Expr([$"Marks the page clean (Linux's <c>{l}_mkclean</c>): clears {d.Mask} and sets {ro}, so the next",
                        "write makes it hardware-dirty again."],
                    $"{l}_t {l}_mkclean({entry})", $"new(({v} & ~{d.Mask}) | {ro})")
                : Expr([$"Marks the page clean (Linux's <c>{l}_mkclean</c>)."], $"{l}_t {l}_mkclean({entry})", $"new({v} {Clear(d)})");
        }

        if (roles.Young is { } y)
        {
            yield return Expr([$"True when the page was accessed (Linux's <c>{l}_young</c>): <c>{y.Holds}</c>."], $"bool {l}_young({entry})", Test(v, y));
            yield return Expr([$"Marks the page accessed (Linux's <c>{l}_mkyoung</c>)."], $"{l}_t {l}_mkyoung({entry})", $"new({v} {Set(y)})");
            yield return Expr([$"Marks the page not accessed (Linux's <c>{l}_mkold</c>)."], $"{l}_t {l}_mkold({entry})", $"new({v} {Clear(y)})");
        }

        if (roles.Exec is { } x)
        {
            yield return Expr([$"True when instructions may be fetched from the page (Linux's <c>{l}_exec</c>): <c>{x.Holds}</c>."],
                $"bool {l}_exec({entry})", Test(v, x));
            yield return Expr([$"Allows instruction fetches from the page (Linux's <c>{l}_mkexec</c>)."], $"{l}_t {l}_mkexec({entry})", $"new({v} {Set(x)})");
        }

        if (roles.User is { } u)
            yield return Expr([$"True when user mode may access the page (Linux's <c>{l}_user</c>): <c>{u.Holds}</c>."], $"bool {l}_user({entry})", Test(v, u));

        if (roles.Global is { } g)
        {
            yield return Expr([$"True when the translation is global, kept in the TLB across address spaces (Linux's <c>{l}_global</c>):",
                               $"<c>{g.Holds}</c>."],
                $"bool {l}_global({entry})", Test(v, g));
        }

        yield return Expr([$"The protection of the {l} entry: its flags as a <see cref=\"pgprot_t\"/> (Linux's <c>{l}_pgprot</c>)."],
            $"pgprot_t {l}_pgprot({entry})", $"new(unchecked(({arch.EntryType}){l}_flags({l})))");

        yield return Modify(level, arch, dbm);
    }

    /// <summary>
    /// <c>pXX_modify</c>: Linux's <c>_PAGE_CHG_MASK</c> is the frame number plus the bits a protection change must not
    /// lose, the ones the MMU sets (accessed, dirty) and those levels.json's roles.modifyKeeps adds (x86's cache bits).
    /// </summary>
    private static HelperModel Modify(LevelModel level, ArchModel arch, bool dbm)
    {
        var roles = arch.Roles;
        var l = level.Name;
        var keepsMarker = level.LeafCapable && !roles.LeafAnyOf;
        var mmuBits = string.Join(" | ", new[] { roles.Young?.Mask, roles.Dirty?.Mask }.Where(m => m is not null));
        var kept = new List<string> { "the frame number" };
        if (mmuBits.Length > 0)
            kept.Add($"the bits the MMU sets (<c>{mmuBits}</c>)");
        if (roles.ModifyAlsoKeeps is { } also)
            kept.Add($"<c>{also}</c>, which levels.json says a protection change keeps");
        if (keepsMarker)
            kept.Add($"the leaf marker's bits outside <c>{arch.PresentMask}</c>");
        var keeps = kept.Count == 1 ? kept[0] : string.Join(", ", kept.Take(kept.Count - 1)) + " and " + kept[kept.Count - 1];

        var summary = Wrapped(
            $"The {l} entry with a new protection (Linux's <c>{l}_modify</c>): keeps {keeps}; every other bit, the "
            + $"present state included, comes from <paramref name=\"newprot\"/>."
            + (dbm ? " A hardware-dirty entry stays dirty." : string.Empty)
            + " Linux's x86 keeps <c>_PAGE_CHG_MASK</c>, software bits included, and arm64's takes only the permission bits "
            + "from <paramref name=\"newprot\"/>; here what is kept is what levels.json names.");

        var terms = new List<string> { level.LeafCapable ? l + "_pfn_mask(" + l + ")" : "(ulong)PTE_PFN_MASK" };
        if (roles.ModifyKeeps is { } k)
            terms.AddRange(k.Split(new[] { " | " }, System.StringSplitOptions.None));
        if (keepsMarker)
            terms.Add($"({roles.LeafMask} & ~{arch.PresentMask})");
        var keep = Continued("var keep = ", terms);
        var value = $"new {l}_t(unchecked(({arch.EntryType})(({l}.{l} & keep) | (pgprot_val(newprot) & ~keep))))";
        string[] body = dbm
            ? [.. keep, $"var modified = {value};", $"return {l}_dirty({l}) ? {l}_mkdirty(modified) : modified;"]
            : [.. keep, $"return {value};"];
        return new HelperModel(summary, new[] { new ParamModel(l, "The entry."), new ParamModel("newprot", "The protection to give it.") }.ToEquatableArray(),
            $"{l}_t {l}_modify({l}_t {l}, pgprot_t newprot)", null, Lines(body));
    }

    /// <summary>
    /// The DBM body of mkwrite and mkdirty: sets a bit and, once the other of write and dirty holds too, clears the
    /// read-only bit, so the MMU may write (arm64's <c>pte_mkwrite_novma</c> and <c>pte_mkdirty</c>).
    /// </summary>
    private static string[] SetClearingReadonly(string value, string set, string other, string readOnly) =>
        [$"var value = {value} | {set};", $"return new((value & {other}) != 0 ? value & ~{readOnly} : value);"];

    /// <summary>A statement <c>head a | b | …;</c> inside a method body, continued on lines that start with <c>|</c> past 120 columns.</summary>
    private static IEnumerable<string> Continued(string head, List<string> terms)
    {
        const int width = 120 - 8;
        var line = head + terms[0];
        foreach (var term in terms.Skip(1))
        {
            if (line.Length + 3 + term.Length + 1 > width)
            {
                yield return line;
                line = "    | " + term;
            }
            else
                line += " | " + term;
        }

        yield return line + ";";
    }

    private static string Test(string value, RoleModel role) => $"({value} & {role.Mask}) {(role.Inverted ? "== 0" : "!= 0")}";

    private static string Set(RoleModel role) => role.Inverted ? "& ~" + role.Mask : "| " + role.Mask;

    private static string Clear(RoleModel role) => role.Inverted ? "| " + role.Mask : "& ~" + role.Mask;

    private static HelperModel Expr(string[] summary, string signature, string expression) =>
        new(Wrapped(string.Join(" ", summary)), new EquatableArray<ParamModel>(System.Array.Empty<ParamModel>()), signature, expression, new EquatableArray<string>(System.Array.Empty<string>()));

    private static HelperModel Block(string[] summary, string signature, params string[] statements) =>
        new(Wrapped(string.Join(" ", summary)), new EquatableArray<ParamModel>(System.Array.Empty<ParamModel>()), signature, null, Lines(statements));

    private static EquatableArray<string> Lines(string[] statements) => new[] { "{" }.Concat(statements.Select(s => "    " + s)).Append("}").ToEquatableArray();

    /// <summary>Breaks a doc sentence into lines that fit 120 columns after the comment's indentation and "/// ".</summary>
    private static EquatableArray<string> Wrapped(string text)
    {
        const int width = 120 - 8;
        var lines = new List<string>();
        var line = string.Empty;
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = word;
            }
            else
                line = line.Length == 0 ? word : line + " " + word;
        }

        lines.Add(line);
        return lines.ToEquatableArray();
    }
}
