using System;
using System.Globalization;

namespace HandleGen.Generator.Model;

/// <summary>
/// How the generated code turns a table's physical address into a pointer and back (Linux's <c>__va</c> and
/// <c>__pa</c>): levels.json's <c>directMap</c>, overridden by the MSBuild property <c>HandleGenDirectMap</c>.
/// </summary>
/// <param name="Kind"><c>identity</c>, <c>offset</c>, <c>custom</c> or <c>runtime</c>.</param>
/// <param name="Offset">With <c>offset</c>, the virtual address of physical address 0 as a hex literal; else empty.</param>
internal sealed record DirectMapChoice(string Kind, string Offset)
{
    /// <summary>What a project gets without choosing: HandleGen.Runtime's simulated memory, what the samples and tests run on.</summary>
    public static readonly DirectMapChoice Default = new("runtime", string.Empty);

    /// <summary>The allowed values, for diagnostics.</summary>
    public const string Allowed = "\"identity\", \"offset:<hex>\" (as \"offset:0xffff800000000000\"), \"custom\" or \"runtime\"";

    /// <summary>Reads a value (case-insensitive, white space trimmed); null when it is none of <see cref="Allowed"/>.</summary>
    public static DirectMapChoice? Parse(string value)
    {
        var text = value.Trim().ToLowerInvariant();
        if (text is "identity" or "custom" or "runtime")
            return new DirectMapChoice(text, string.Empty);
        const string prefix = "offset:";
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var hex = text.Substring(prefix.Length).Trim();
        if (hex.StartsWith("0x", StringComparison.Ordinal))
            hex = hex.Substring(2);
        return hex.Length is > 0 and <= 16 && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var offset)
            ? new DirectMapChoice("offset", "0x" + offset.ToString("x", CultureInfo.InvariantCulture) + "UL")
            : null;
    }
}
