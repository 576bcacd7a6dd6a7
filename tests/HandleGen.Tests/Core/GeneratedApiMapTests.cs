using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HandleGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HandleGen.Tests.Core;

/// <summary>
/// docs/generated-api.md maps each generated function to its template, so a newcomer finds where it comes from in one
/// step. Every public member of Pgtable and every public type of every shipped configuration must be in the row of the
/// template whose file declares it. Every generated line fits 120 columns.
/// </summary>
public sealed class GeneratedApiMapTests
{
    private static readonly string[] Levels = ["pgd", "p4d", "pud", "pmd", "pte"];

    /// <summary>The map's rows: template name → the patterns of its row, as regular expressions.</summary>
    private static Dictionary<string, List<Regex>> Map()
    {
        var rows = new Dictionary<string, List<Regex>>();
        foreach (var line in File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "generated-api.md")))
        {
            var cells = line.Split('|');
            if (cells.Length < 4 || !cells[1].Contains('`'))
                continue;
            var template = cells[2].Trim().Trim('`');
            rows[template] = Regex.Matches(cells[1], "`([^`]+)`").Select(m => ToRegex(m.Groups[1].Value)).ToList();
        }

        return rows;
    }

    /// <summary><c>pXX</c> is a level name, a separate upper-case <c>L</c> its upper-case name (PGDIR for pgd), <c>*</c> anything.</summary>
    private static Regex ToRegex(string pattern)
    {
        var upper = "(PGDIR|PGD|P4D|PUD|PMD|PTE)";
        var text = Regex.Escape(pattern).Replace("pXX", "(" + string.Join("|", Levels) + ")").Replace(@"\*", @"\w*");
        text = Regex.Replace(text, @"(?<=^|_)L(?=_|S$|$)", upper);
        text = Regex.Replace(text, @"(?<=^Hw)L(?=Range$)", "(Pgd|P4d|Pud|Pmd|Pte)");
        return new Regex("^" + text + "$");
    }

    [Fact]
    public void Every_public_member_is_in_the_row_of_its_template()
    {
        var map = Map();
        Assert.True(map.Count >= RepoPaths.FileTemplates, "the map has " + map.Count + " rows, one a file template expected");
        var missing = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (var configuration in GeneratedCorpus.Configurations)
            foreach (var (hint, source) in configuration.Sources)
            {
                var template = hint.Split('.')[^3];
                Assert.True(map.ContainsKey(template), "docs/generated-api.md has no row for template " + template);
                foreach (var name in PublicNames(source))
                    if (!map[template].Any(r => r.IsMatch(name)))
                        missing.Add(template + ": " + name);
            }

        Assert.True(missing.Count == 0, "not in docs/generated-api.md's row of their template:\n" + string.Join("\n", missing));
    }

    /// <summary>The map can fail: a name it does not list, or lists under another template, is not matched.</summary>
    [Fact]
    public void The_map_tells_templates_apart()
    {
        var map = Map();
        Assert.Contains(map["Atomics"], r => r.IsMatch("ptep_get_and_clear"));
        Assert.DoesNotContain(map["EntryFields"], r => r.IsMatch("ptep_get_and_clear"));
        Assert.Contains(map["Geometry"], r => r.IsMatch("PGDIR_SHIFT"));
        Assert.Contains(map["Contiguous"], r => r.IsMatch("CONT_PTES"));
        Assert.DoesNotContain(map.Values.SelectMany(r => r), r => r.IsMatch("ptep_get_lockless"));
    }

    [Fact]
    public void Every_generated_line_fits_120_columns()
    {
        var long_ = GeneratedCorpus.Configurations
            .SelectMany(c => c.Sources.SelectMany(s => s.Source.Split('\n')
                .Select((line, i) => (Where: c.Name + " " + s.HintName + ":" + (i + 1), line.Length))))
            .Where(l => l.Length > 120)
            .Select(l => l.Where + " (" + l.Length + ")")
            .ToList();
        Assert.True(long_.Count == 0, long_.Count + " lines over 120 columns:\n" + string.Join("\n", long_.Take(60)));
    }

    /// <summary>The public types a file declares and the public members of Pgtable, the API class.</summary>
    private static IEnumerable<string> PublicNames(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
        foreach (var alias in root.Usings.Where(u => u.GlobalKeyword != default && u.Alias is not null))
            yield return alias.Alias!.Name.Identifier.Text;
        foreach (var type in root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Where(t => t.Parent is BaseNamespaceDeclarationSyntax))
        {
            if (type.Identifier.Text != "Pgtable")
            {
                if (!type.Modifiers.Any(SyntaxKind.PrivateKeyword))
                    yield return type.Identifier.Text;
                continue;
            }

            foreach (var member in ((TypeDeclarationSyntax)type).Members.Where(m => m.Modifiers.Any(SyntaxKind.PublicKeyword)))
            {
                switch (member)
                {
                    case MethodDeclarationSyntax m: yield return m.Identifier.Text; break;
                    case PropertyDeclarationSyntax p: yield return p.Identifier.Text; break;
                    case BaseFieldDeclarationSyntax f:
                        foreach (var v in f.Declaration.Variables)
                            yield return v.Identifier.Text;
                        break;
                    case BaseTypeDeclarationSyntax t: yield return t.Identifier.Text; break;
                }
            }
        }
    }
}
