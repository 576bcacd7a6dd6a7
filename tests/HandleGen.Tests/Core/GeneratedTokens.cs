using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HandleGen.Tests.Core;

/// <summary>
/// The generated code of one configuration as its tokens, comments, blank lines and all other trivia left out, keyed by
/// where a declaration lives rather than by file: "Namespace.Type::member(parameter types)". Two outputs that declare
/// the same code in other files, in another order, or with other doc comments have equal keys and token strings.
/// </summary>
internal static class GeneratedTokens
{
    /// <summary>Every declaration's key and its tokens, one string per declaration (a multiset: partial type headers repeat).</summary>
    public static SortedDictionary<string, List<string>> Of(IEnumerable<string> sources)
    {
        var result = new SortedDictionary<string, List<string>>(System.StringComparer.Ordinal);
        void Add(string key, SyntaxNode node)
        {
            if (!result.TryGetValue(key, out var list))
                result[key] = list = [];
            list.Add(string.Join(" ", node.DescendantTokens().Select(t => t.Text)));
        }

        foreach (var source in sources)
        {
            var root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
            foreach (var directive in root.DescendantNodes().OfType<UsingDirectiveSyntax>())
                Add("using:" + Scope(directive), directive);
            foreach (var member in root.DescendantNodes().OfType<MemberDeclarationSyntax>())
            {
                switch (member)
                {
                    case BaseNamespaceDeclarationSyntax:
                        break;
                    case BaseTypeDeclarationSyntax type:
                        // The header only: modifiers, attributes, name, base list, constraints; the members count apart.
                        Add("type:" + Scope(type) + "." + type.Identifier.Text, Header(type));
                        break;
                    case DelegateDeclarationSyntax:
                        Add("delegate:" + Scope(member) + "." + ((DelegateDeclarationSyntax)member).Identifier.Text, member);
                        break;
                    default:
                        Add(Scope(member) + "::" + Signature(member), member);
                        break;
                }
            }
        }

        // A using directive and a partial type's header are a file's, and files regroup: compare which a namespace has,
        // not how often.
        foreach (var key in result.Keys.Where(k => k.StartsWith("using:", System.StringComparison.Ordinal)
            || k.StartsWith("type:", System.StringComparison.Ordinal)).ToList())
            result[key] = result[key].Distinct().OrderBy(s => s, System.StringComparer.Ordinal).ToList();
        foreach (var list in result.Values)
            list.Sort(System.StringComparer.Ordinal);
        return result;
    }

    /// <summary>The differences between two outputs, as readable lines; empty when they are token-identical.</summary>
    public static List<string> Compare(SortedDictionary<string, List<string>> before, SortedDictionary<string, List<string>> after)
    {
        var differences = new List<string>();
        foreach (var key in before.Keys.Union(after.Keys).OrderBy(k => k, System.StringComparer.Ordinal))
        {
            var a = before.TryGetValue(key, out var x) ? x : [];
            var b = after.TryGetValue(key, out var y) ? y : [];
            if (!a.SequenceEqual(b))
                differences.Add(key + "\n  before: " + string.Join("\n          ", a) + "\n  after:  " + string.Join("\n          ", b));
        }

        return differences;
    }

    private static SyntaxNode Header(BaseTypeDeclarationSyntax type) => type switch
    {
        TypeDeclarationSyntax t => t.WithMembers(default).WithOpenBraceToken(default).WithCloseBraceToken(default).WithSemicolonToken(default),
        EnumDeclarationSyntax e => e.WithMembers(default).WithOpenBraceToken(default).WithCloseBraceToken(default).WithSemicolonToken(default),
        _ => type,
    };

    private static string Scope(SyntaxNode node) =>
        string.Join(".", node.Ancestors().Reverse().Select(a => a switch
        {
            BaseNamespaceDeclarationSyntax n => n.Name.ToString(),
            BaseTypeDeclarationSyntax t => t.Identifier.Text,
            _ => null,
        }).Where(s => s is not null));

    private static string Signature(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text + Parameters(m.ParameterList),
        ConstructorDeclarationSyntax c => ".ctor" + Parameters(c.ParameterList),
        OperatorDeclarationSyntax o => "operator" + o.OperatorToken.Text + Parameters(o.ParameterList),
        ConversionOperatorDeclarationSyntax c => c.ImplicitOrExplicitKeyword.Text + " " + c.Type + Parameters(c.ParameterList),
        PropertyDeclarationSyntax p => p.Identifier.Text,
        IndexerDeclarationSyntax i => "this[" + string.Join(",", i.ParameterList.Parameters.Select(p => p.Type?.ToString())) + "]",
        BaseFieldDeclarationSyntax f => string.Join(",", f.Declaration.Variables.Select(v => v.Identifier.Text)),
        EnumMemberDeclarationSyntax e => e.Identifier.Text,
        EventDeclarationSyntax e => e.Identifier.Text,
        _ => member.Kind() + ":" + member.ToString().GetHashCode(),
    };

    private static string Parameters(ParameterListSyntax list) => "(" + string.Join(",", list.Parameters.Select(p => p.Type?.ToString())) + ")";

    /// <summary>Writes a corpus to a folder, one subfolder per configuration, as the baseline a later output is compared with.</summary>
    public static void Write(string folder)
    {
        foreach (var configuration in GeneratedCorpus.Configurations)
        {
            var dir = Path.Combine(folder, configuration.Name);
            Directory.CreateDirectory(dir);
            foreach (var (hint, source) in configuration.Sources)
                File.WriteAllText(Path.Combine(dir, hint), source);
        }
    }
}
