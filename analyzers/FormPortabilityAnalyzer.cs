using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HandleGen.Analyzers;

/// <summary>
/// The reverse of flip readiness: in the strong form, a warning where code builds only because the handle is
/// a struct, and would break once the alias form makes it a pointer again (a pointer cannot be a type
/// argument, be boxed, have members or be formatted). The same source then keeps building in both forms.
/// None of these has a mechanical fix: a <c>List&lt;hw_ptep&gt;</c> must become an array or a different design.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FormPortabilityAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.GenericArgument, Descriptors.AsObject, Descriptors.Interpolated);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(TypeArguments, SyntaxKind.GenericName);
        context.RegisterOperationAction(InferredTypeArguments, OperationKind.Invocation);
        context.RegisterOperationAction(TupleElements, OperationKind.Tuple);
        context.RegisterOperationAction(Boxed, OperationKind.Conversion);
        context.RegisterOperationAction(Member, OperationKind.Invocation);
        context.RegisterOperationAction(Interpolated, OperationKind.Interpolation);
    }

    private static void TypeArguments(SyntaxNodeAnalysisContext context)
    {
        var name = (GenericNameSyntax)context.Node;
        foreach (var argument in name.TypeArgumentList.Arguments)
        {
            if (GeneratedApi.StrongHandleLevel(context.SemanticModel.GetTypeInfo(argument, context.CancellationToken).Type) is { } level)
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.GenericArgument, argument.GetLocation(), name.ToString(), level));
        }
    }

    /// <summary>A generic method whose type arguments the compiler infers from a handle: <c>Enumerable.Repeat(p, 2)</c>.</summary>
    private static void InferredTypeArguments(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!invocation.TargetMethod.IsGenericMethod || invocation.Syntax is InvocationExpressionSyntax { Expression: GenericNameSyntax or MemberAccessExpressionSyntax { Name: GenericNameSyntax } })
            return;
        foreach (var argument in invocation.TargetMethod.TypeArguments)
        {
            if (GeneratedApi.StrongHandleLevel(argument) is { } level)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.GenericArgument, invocation.Syntax.GetLocation(), invocation.Syntax.ToString(), level));
                return;
            }
        }
    }

    /// <summary>A tuple holding a handle: its type is a ValueTuple with the handle as a type argument.</summary>
    private static void TupleElements(OperationAnalysisContext context)
    {
        var tuple = (ITupleOperation)context.Operation;
        foreach (var element in tuple.Elements)
        {
            if (GeneratedApi.StrongHandleLevel(element.Type) is { } level)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.GenericArgument, tuple.Syntax.GetLocation(), tuple.Syntax.ToString(), level));
                return;
            }
        }
    }

    private static void Boxed(OperationAnalysisContext context)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (conversion.Parent is IInterpolationOperation)
            return;
        if (GeneratedApi.StrongHandleLevel(conversion.Operand.Type) is { } level && conversion.Type is { IsReferenceType: true })
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.AsObject, conversion.Syntax.GetLocation(), conversion.Syntax.ToString(), level));
    }

    private static void Member(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.Instance is { } instance && GeneratedApi.StrongHandleLevel(instance.Type) is { } level)
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.AsObject, invocation.Syntax.GetLocation(), invocation.Syntax.ToString(), level));
    }

    private static void Interpolated(OperationAnalysisContext context)
    {
        var interpolation = (IInterpolationOperation)context.Operation;
        var value = interpolation.Expression is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : interpolation.Expression;
        if (GeneratedApi.StrongHandleLevel(value.Type) is { } level)
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.Interpolated, interpolation.Syntax.GetLocation(), interpolation.Syntax.ToString(), level));
    }
}
