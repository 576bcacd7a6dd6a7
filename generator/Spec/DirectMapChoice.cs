using System;
using System.Globalization;

namespace HandleGen.Generator.Spec;

/// <summary>
/// How the generated code turns a table's physical address into a pointer and back (Linux's <c>__va</c> and
/// <c>__pa</c>): levels.json's <c>directMap</c>, overridden by the MSBuild property <c>HandleGenDirectMap</c>.
/// </summary>
/// <param name="Kind">Which of the four maps.</param>
/// <param name="Offset">With <see cref="DirectMapKind.Offset"/>, the virtual address of physical address 0; else 0.</param>
internal sealed record DirectMapChoice(DirectMapKind Kind, ulong Offset)
{
    /// <summary>What a project gets without choosing: HandleGen.Runtime's simulated memory, what the samples and tests run on.</summary>
    public static readonly DirectMapChoice Default = new(DirectMapKind.Runtime, 0);

    /// <summary>The allowed values, for diagnostics.</summary>
    public const string Allowed = "\"identity\", \"offset:<hex>\" (as \"offset:0xffff800000000000\"), \"custom\" or \"runtime\"";

    /// <summary>Reads a value (case-insensitive, white space trimmed); null when it is none of <see cref="Allowed"/>.</summary>
    public static DirectMapChoice? Parse(string value)
    {
        var text = value.Trim().ToLowerInvariant();
        switch (text)
        {
            case "identity":
                return new DirectMapChoice(DirectMapKind.Identity, 0);
            case "custom":
                return new DirectMapChoice(DirectMapKind.Custom, 0);
            case "runtime":
                return Default;
        }

        const string prefix = "offset:";
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var hex = text.Substring(prefix.Length).Trim();
        if (hex.StartsWith("0x", StringComparison.Ordinal))
            hex = hex.Substring(2);
        return hex.Length is > 0 and <= 16 && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var offset)
            ? new DirectMapChoice(DirectMapKind.Offset, offset)
            : null;
    }
}

/// <summary>
/// The four direct maps. The generated code spells each as its name in lower case, the word levels.json and
/// HandleGenDirectMap use.
/// </summary>
internal enum DirectMapKind
{
    /// <summary>Physical address = virtual address: a kernel that maps its memory one to one.</summary>
    Identity,

    /// <summary>Virtual address = physical address + a constant, Linux's PAGE_OFFSET.</summary>
    Offset,

    /// <summary>The project writes <c>__va</c> and <c>__pa</c> itself, in a partial Pgtable.</summary>
    Custom,

    /// <summary>HandleGen.Runtime's simulated memory.</summary>
    Runtime,
}
