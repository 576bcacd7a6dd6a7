using System;
using System.IO;
using System.Text;

namespace HandleGen.Tests.Infrastructure;

/// <summary>
/// Compares text with a snapshot file committed in the repository. On a mismatch (or a missing
/// snapshot) it writes the new text beside the old as NAME.received.EXT and fails with a diff.
/// Accept a reviewed change by renaming the received file over the snapshot.
/// </summary>
internal static class Snapshot
{
    /// <summary>Checks every (path, text) pair, writing all received files before failing once.</summary>
    public static void MatchAll(System.Collections.Generic.IEnumerable<(string Path, string Text)> files)
    {
        var failures = new System.Collections.Generic.List<string>();
        foreach (var (path, text) in files)
        {
            if (Check(path, text) is { } failure)
                failures.Add(failure);
        }

        if (failures.Count > 0)
            Assert.Fail(string.Join("\n\n", failures));
    }

    private static string? Check(string path, string actual)
    {
        var received = ReceivedPath(path);
        var expected = File.Exists(path) ? File.ReadAllText(path) : null;
        if (expected is not null && Normalize(expected) == Normalize(actual))
        {
            File.Delete(received);
            return null;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(received)!);
        File.WriteAllText(received, actual);
        return expected is null
            ? $"No snapshot {path}; the output was written to {received}. Review it, then rename it to accept."
            : $"Snapshot {path} differs; the new output is in {received}.\n{Diff(Normalize(expected), Normalize(actual))}";
    }

    public static string ReceivedPath(string path)
    {
        var ext = Path.GetExtension(path);
        return Path.ChangeExtension(path, null) + ".received" + ext;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

    /// <summary>A readable line diff: the lines that differ with three lines of context around each run.</summary>
    internal static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var lines = new System.Collections.Generic.List<(char Kind, int Line, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', y + 1, a[x]));
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
                lines.Add(('+', y + 1, b[y++]));
            else
                lines.Add(('-', x + 1, a[x++]));
        }

        var sb = new StringBuilder();
        var shown = -1;
        for (var k = 0; k < lines.Count; k++)
        {
            if (lines[k].Kind == ' ')
                continue;
            for (var c = Math.Max(shown + 1, k - 3); c <= Math.Min(lines.Count - 1, k + 3); c++)
            {
                if (c > shown + 1 && shown >= 0)
                    sb.AppendLine("...");
                sb.Append(lines[c].Kind).Append(' ').Append(lines[c].Line.ToString().PadLeft(5)).Append(" | ").AppendLine(lines[c].Text);
                shown = c;
            }
        }

        return sb.ToString();
    }
}
