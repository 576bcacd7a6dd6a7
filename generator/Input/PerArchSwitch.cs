using System;
using System.Collections.Generic;

namespace HandleGen.Generator.Input;

/// <summary>
/// One item of a list switch (HandleGenForm, HandleGenStrongLevels): <c>value</c> applies to every
/// arch built, <c>arch=value</c> to that arch alone. An arch with items of its own ignores the
/// unqualified ones, so <c>strong;ept=alias</c> makes every arch strong but ept.
/// </summary>
internal sealed record PerArchSwitch(string? Arch, string Value, string Text)
{
    /// <summary>The items of a list, ',' (or ';') between them, blanks dropped.</summary>
    public static List<PerArchSwitch> Parse(string list)
    {
        var items = new List<PerArchSwitch>();
        foreach (var part in list.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var text = part.Trim();
            if (text.Length == 0)
                continue;
            var eq = text.IndexOf('=');
            items.Add(eq < 0
                ? new PerArchSwitch(null, text.ToLowerInvariant(), text)
                : new PerArchSwitch(text.Substring(0, eq).Trim(), text.Substring(eq + 1).Trim().ToLowerInvariant(), text));
        }

        return items;
    }

    /// <summary>The items that apply to <paramref name="arch"/>: its own if it has any, else the unqualified ones.</summary>
    public static List<PerArchSwitch> For(List<PerArchSwitch> items, string arch)
    {
        var own = items.FindAll(i => i.Arch == arch);
        return own.Count > 0 ? own : items.FindAll(i => i.Arch is null);
    }
}
