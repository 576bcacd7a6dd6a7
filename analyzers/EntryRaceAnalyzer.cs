using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HandleGen.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HandleGen.Analyzers;

/// <summary>
/// Races on live entries, in either form, one function body at a time: the same entry read twice with no store
/// to it in between (HG1201), and a read-modify-write done as a read and a separate store (HG1202). An entry is
/// named by the text of its handle expression; any assignment to a variable in that text, or a call that is
/// handed the handle, ends what is known about the entry.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EntryRaceAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.DoubleRead, Descriptors.NonAtomicUpdate);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(Body,
            SyntaxKind.MethodDeclaration, SyntaxKind.ConstructorDeclaration, SyntaxKind.GetAccessorDeclaration, SyntaxKind.SetAccessorDeclaration,
            SyntaxKind.InitAccessorDeclaration, SyntaxKind.OperatorDeclaration, SyntaxKind.ConversionOperatorDeclaration,
            SyntaxKind.LocalFunctionStatement, SyntaxKind.ParenthesizedLambdaExpression, SyntaxKind.SimpleLambdaExpression,
            SyntaxKind.AnonymousMethodExpression, SyntaxKind.PropertyDeclaration);
    }

    private static void Body(SyntaxNodeAnalysisContext context)
    {
        var root = context.Node;
        if (root is PropertyDeclarationSyntax { ExpressionBody: null })
            return;
        var model = context.SemanticModel;
        var cancel = context.CancellationToken;
        var events = new List<Event>();
        foreach (var node in root.DescendantNodes(n => n == root || n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)))
        {
            Collect(node, model, cancel, events, context.ReportDiagnostic);
        }

        // A store takes effect after its arguments are read: order events by where they complete.
        events.Sort((a, b) => a.Position.CompareTo(b.Position));
        var lastRead = new Dictionary<string, Event>();
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case EventKind.Read:
                    if (lastRead.TryGetValue(e.Key, out var first) && !Exclusive(first.Node, e.Node))
                    {
                        var line = first.Node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                        context.ReportDiagnostic(Diagnostic.Create(Descriptors.DoubleRead, e.Node.GetLocation(), e.Key, e.Level, line));
                    }

                    lastRead[e.Key] = e;
                    break;
                case EventKind.Store:
                    lastRead.Remove(e.Key);
                    break;
                case EventKind.Kill:
                    foreach (var key in lastRead.Keys.Where(k => lastRead[k].Names.Contains(e.Key)).ToList())
                        lastRead.Remove(key);
                    break;
            }
        }
    }

    private static void Collect(SyntaxNode node, SemanticModel model, System.Threading.CancellationToken cancel, List<Event> events, System.Action<Diagnostic> report)
    {
        switch (node)
        {
            case InvocationExpressionSyntax invocation:
                Call(invocation, model, cancel, events, report);
                break;
            case AssignmentExpressionSyntax assignment:
                if (EntryAccess.Of(assignment.Left, model, cancel) is { } written)
                {
                    if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && ReadsEntry(assignment.Right, written.Key, model, cancel))
                        report(Diagnostic.Create(Descriptors.NonAtomicUpdate, assignment.GetLocation(), assignment.ToString(), written.Level,
                            AtomicAdvice(model.GetTypeInfo(assignment.Left, cancel).Type?.ContainingNamespace?.GetTypeMembers(GeneratedApiNames.FunctionClass).FirstOrDefault(), written.Level)));
                    events.Add(new Event(EventKind.Store, written.Key, written.Level, assignment, assignment.Span.End));
                }
                else
                {
                    Kill(assignment.Left, assignment.Span.End, events);
                }

                break;
            case PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax when node.IsKind(SyntaxKind.PreIncrementExpression) || node.IsKind(SyntaxKind.PreDecrementExpression)
                || node.IsKind(SyntaxKind.PostIncrementExpression) || node.IsKind(SyntaxKind.PostDecrementExpression):
                var operand = node is PrefixUnaryExpressionSyntax prefix ? prefix.Operand : ((PostfixUnaryExpressionSyntax)node).Operand;
                if (EntryAccess.Of(operand, model, cancel) is { } stepped)
                    events.Add(new Event(EventKind.Store, stepped.Key, stepped.Level, node, node.Span.End));
                else
                    Kill(operand, node.Span.End, events);
                break;
            case ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None } byRef:
                Kill(byRef.Expression, byRef.Parent!.Parent!.Span.End, events);
                break;
            case ExpressionSyntax expression when EntryAccess.IsAccessNode(expression) && EntryAccess.Of(expression, model, cancel) is { } read && !IsWritten(expression):
                events.Add(new Event(EventKind.Read, read.Key, read.Level, expression, expression.SpanStart, read.Names));
                break;
        }
    }

    private static void Call(InvocationExpressionSyntax invocation, SemanticModel model, System.Threading.CancellationToken cancel, List<Event> events, System.Action<Diagnostic> report)
    {
        if (model.GetSymbolInfo(invocation, cancel).Symbol is not IMethodSymbol method)
            return;
        var arguments = invocation.ArgumentList.Arguments;
        if (GeneratedApi.IsApi(method))
        {
            if (arguments.Count == 0 || GeneratedApi.HandleLevel(model.GetTypeInfo(arguments[0].Expression, cancel).Type) is not { } level
                || !GeneratedApiNames.TryFind(method.Name, out var api, out var named) || named != level)
                return;
            var key = EntryAccess.KeyOf(arguments[0].Expression);
            if (api.Kind == ApiKind.Load)
            {
                events.Add(new Event(EventKind.Read, key, level, invocation, invocation.SpanStart, EntryAccess.NamesIn(arguments[0].Expression)));
            }
            else if (api.WritesEntry)
            {
                if (api == GeneratedApiNames.Set && arguments.Count == 2 && ReadsEntry(arguments[1].Expression, key, model, cancel))
                    report(Diagnostic.Create(Descriptors.NonAtomicUpdate, invocation.GetLocation(), invocation.ToString(), level, AtomicAdvice(method.ContainingType, level)));
                events.Add(new Event(EventKind.Store, key, level, invocation, invocation.Span.End));
            }

            return;
        }

        // A call of our own that is handed a handle may store through it.
        foreach (var argument in arguments)
        {
            if (GeneratedApi.HandleLevel(model.GetTypeInfo(argument.Expression, cancel).Type) is { } level)
                events.Add(new Event(EventKind.Store, EntryAccess.KeyOf(argument.Expression), level, invocation, invocation.Span.End));
        }
    }

    /// <summary>
    /// What HG1202 advises: the atomic helpers where this build's Pgtable has them; the generator leaves them out
    /// where the project's libraries have no Interlocked for the entry word, and advice to call them would not build.
    /// </summary>
    private static string AtomicAdvice(INamedTypeSymbol? pgtable, string level)
    {
        var tryCmpxchg = GeneratedApiNames.TryCmpxchg.For(level);
        return pgtable is not null && pgtable.GetMembers(tryCmpxchg).IsEmpty
            ? "this build has no " + tryCmpxchg + " (its libraries have no Interlocked.Exchange and CompareExchange of the entry word): hold the lock that serializes the entry's writers, or add those two methods to the corlib as the README's \"Using HandleGen in a kernel\" shows"
            : "use " + tryCmpxchg + " in a loop, " + GeneratedApiNames.Cmpxchg.For(level) + " or " + GeneratedApiNames.Xchg.For(level);
    }

    private static bool ReadsEntry(ExpressionSyntax value, string key, SemanticModel model, System.Threading.CancellationToken cancel)
    {
        foreach (var node in value.DescendantNodesAndSelf().OfType<ExpressionSyntax>())
        {
            if (node is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } call
                && GeneratedApi.TryFind(model.GetSymbolInfo(call, cancel).Symbol as IMethodSymbol, out var api, out _) && api.Kind == ApiKind.Load
                && EntryAccess.KeyOf(call.ArgumentList.Arguments[0].Expression) == key)
                return true;
            if (EntryAccess.Of(node, model, cancel) is { } read && read.Key == key)
                return true;
        }

        return false;
    }

    /// <summary>True when the access is assigned, stepped, passed by reference or has its address taken, rather than read.</summary>
    private static bool IsWritten(ExpressionSyntax access)
    {
        var outer = EntryAccess.Outermost(access);
        return outer.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == outer,
            PrefixUnaryExpressionSyntax prefix => prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression)
                || prefix.IsKind(SyntaxKind.AddressOfExpression),
            PostfixUnaryExpressionSyntax => true,
            ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
            _ => false,
        };
    }

    private static void Kill(ExpressionSyntax target, int position, List<Event> events)
    {
        if (target is IdentifierNameSyntax name)
            events.Add(new Event(EventKind.Kill, name.Identifier.ValueText, "", target, position));
        else if (target is MemberAccessExpressionSyntax access)
            events.Add(new Event(EventKind.Kill, access.Name.Identifier.ValueText, "", target, position));
    }

    /// <summary>
    /// True when the two reads cannot both run: different branches of one if, conditional or switch, or the
    /// first sits in a branch that leaves (return, throw, break, continue) before the second is reached.
    /// </summary>
    private static bool Exclusive(SyntaxNode first, SyntaxNode second)
    {
        var common = first.Ancestors().First(a => a.Span.Contains(second.Span));
        switch (common)
        {
            case IfStatementSyntax branch when branch.Else is not null:
                if (branch.Statement.Span.Contains(first.Span) && branch.Else.Span.Contains(second.Span))
                    return true;
                break;
            case ConditionalExpressionSyntax conditional:
                if (conditional.WhenTrue.Span.Contains(first.Span) && conditional.WhenFalse.Span.Contains(second.Span))
                    return true;
                break;
            case SwitchStatementSyntax or SwitchExpressionSyntax:
                return true;
        }

        foreach (var ancestor in first.Ancestors().TakeWhile(a => a != common))
        {
            if (ancestor is BlockSyntax block && block.Statements.LastOrDefault() is ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax)
                return true;
            if (ancestor is ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax)
                return true;
        }

        return false;
    }

    private enum EventKind
    {
        Read,
        Store,
        Kill,
    }

    private sealed class Event(EventKind kind, string key, string level, SyntaxNode node, int position, ImmutableHashSet<string>? names = null)
    {
        public EventKind Kind { get; } = kind;

        public string Key { get; } = key;

        public string Level { get; } = level;

        public SyntaxNode Node { get; } = node;

        public int Position { get; } = position;

        public ImmutableHashSet<string> Names { get; } = names ?? ImmutableHashSet<string>.Empty;
    }
}
