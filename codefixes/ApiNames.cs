using System.Linq;
using HandleGen.Common;
using Microsoft.CodeAnalysis;

namespace HandleGen.CodeFixes;

/// <summary>
/// How a fix spells a generated function at the place it rewrites: by its bare name where it is in scope
/// (the usual <c>using static PageTables.Pgtable;</c>), otherwise qualified with the class and namespace.
/// </summary>
internal sealed class ApiNames(SemanticModel model, int position)
{
    private string? qualifier;

    public string this[string name]
    {
        get
        {
            if (model.LookupSymbols(position, name: name).Any(s => s is IMethodSymbol { ContainingType.Name: GeneratedApiNames.FunctionClass }))
                return name;
            qualifier ??= FindQualifier();
            return qualifier + name;
        }
    }

    private string FindQualifier()
    {
        var pgtable = model.Compilation.GetSymbolsWithName(GeneratedApiNames.FunctionClass, SymbolFilter.Type).OfType<INamedTypeSymbol>().FirstOrDefault(t => t.IsStatic);
        return pgtable is null ? GeneratedApiNames.FunctionClass + "." : "global::" + pgtable.ToDisplayString() + ".";
    }
}
