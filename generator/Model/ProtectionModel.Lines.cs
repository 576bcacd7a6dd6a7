using System.Collections.Generic;
using System.Linq;
using HandleGen.Generator.Common;

namespace HandleGen.Generator.Model;

/// <summary>How a protection's bits are laid out in its doc comment.</summary>
internal sealed partial record ProtectionModel
{
    /// <summary>
    /// <see cref="Parts"/> as <c>&lt;c&gt;…&lt;/c&gt;</c> code spans, one per doc line, broken at the <c>|</c> between bits so
    /// each line fits the generated code's 120 columns; the last ends the sentence.
    /// </summary>
    public EquatableArray<string> PartLines
    {
        get
        {
            const int width = 120 - 16; // "    /// <c></c>."
            var lines = new List<string>();
            var line = string.Empty;
            foreach (var bit in Parts.Split(new[] { " | " }, System.StringSplitOptions.None))
            {
                if (line.Length > 0 && line.Length + 3 + bit.Length > width)
                {
                    lines.Add(line + " |");
                    line = bit;
                }
                else
                    line = line.Length == 0 ? bit : line + " | " + bit;
            }

            lines.Add(line);
            return lines.Select((l, i) => "<c>" + l + "</c>" + (i == lines.Count - 1 ? "." : string.Empty)).ToEquatableArray();
        }
    }
}
