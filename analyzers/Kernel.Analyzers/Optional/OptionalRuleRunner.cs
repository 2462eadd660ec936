using System;
using System.Collections.Immutable;
using Kernel.Analyzers.Dataflow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Optional;

/// <summary>
/// The registration KRN003 and KRN004 share: per method, a cheap scan for unwraps first, then (only in methods that
/// unwrap an optional other than in the <c>x.HasValue ? x.Value : d</c> idiom, or force a call result with <c>!</c>)
/// the presence analysis, run once for both rules.
/// </summary>
internal static class OptionalRuleRunner
{
    private static readonly ImmutableArray<OperationKind> UnwrapScanKinds = ImmutableArray.Create(
        OperationKind.PropertyReference, OperationKind.FieldReference, OperationKind.Conversion, OperationKind.Invocation);

    public static void Register(AnalysisContext context, UnwrapFindingKind kind, Func<UnwrapFinding, Diagnostic> create)
    {
        context.RegisterCompilationStartAction(start =>
        {
            var presence = PresenceResults.For(start.Compilation, start.Options);
            start.RegisterOperationBlockStartAction(block => AnalyzeBlock(block, presence, kind, create));
        });
    }

    private static void AnalyzeBlock(
        OperationBlockStartAnalysisContext block,
        PresenceResults presence,
        UnwrapFindingKind kind,
        Func<UnwrapFinding, Diagnostic> create)
    {
        if (block.OwningSymbol is not IMethodSymbol)
        {
            return;
        }

        var types = presence.Types;
        var seen = new Seen();
        block.RegisterOperationAction(
            operation =>
            {
                if (seen.Unwrap && seen.ReferenceCall)
                {
                    return;
                }

                switch (operation.Operation)
                {
                    case IPropertyReferenceOperation { Instance: { } instance } property
                        when OptionalTypes.IsUnwrapMember(property.Property) && types.ShapeOf(instance.Type) is not null:
                    case IFieldReferenceOperation { Instance: { } fieldInstance } field
                        when OptionalTypes.IsUnwrapMember(field.Field) && types.ShapeOf(fieldInstance.Type) is not null:
                        // x.HasValue ? x.Value : d on a local needs no analysis; every other unwrap does.
                        if (!GuardedInPlace.Is(operation.Operation, types))
                        {
                            seen.Unwrap = true;
                        }

                        break;
                    case IConversionOperation { IsImplicit: false } conversion when types.ShapeOf(conversion.Operand.Type) is not null:
                        seen.Unwrap = true;
                        break;
                    case IInvocationOperation invocation:
                        if (OptionalTypes.IsUnwrapMember(invocation.TargetMethod))
                        {
                            seen.Unwrap = true;
                        }
                        else if (invocation.Type is { IsReferenceType: true } or IPointerTypeSymbol or { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr })
                        {
                            seen.ReferenceCall = true;
                        }

                        break;
                }
            },
            UnwrapScanKinds);

        block.RegisterOperationBlockEndAction(end =>
        {
            var forgiving = seen.ReferenceCall && HasForgiving(end);
            if (!seen.Unwrap && !forgiving)
            {
                return;
            }

            var ruleId = kind == UnwrapFindingKind.Unguarded ? RuleIds.UnguardedUnwrap : RuleIds.CheckThenUnwrapRace;
            foreach (var root in ControlFlowGraphs.OfBlocks(end))
            {
                foreach (var graph in ControlFlowGraphs.WithNested(root, end.CancellationToken))
                {
                    var result = presence.Analyze(graph, forgiving, end.OwningSymbol, end.CancellationToken);
                    foreach (var finding in result.Findings)
                    {
                        if (finding.Kind == kind)
                        {
                            end.ReportDiagnostic(create(finding));
                        }
                    }

                    BailOut.Report(end, ruleId, result.BailedOut, result.Budget);
                }
            }
        });
    }
    /// <summary>
    /// True when the method's code contains a null-forgiving <c>x!</c>. Most methods have no <c>!</c> at all that is
    /// not part of <c>!=</c>: a scan of the text finds the few candidates, and only those are looked up in the tree.
    /// </summary>
    private static bool HasForgiving(OperationBlockAnalysisContext end)
    {
        foreach (var block in end.OperationBlocks)
        {
            var syntax = block.Syntax;
            var text = syntax.SyntaxTree.GetText(end.CancellationToken);
            var span = syntax.Span;
            for (var position = span.Start; position < span.End; position++)
            {
                if (text[position] == '!' && (position + 1 >= text.Length || text[position + 1] != '=') &&
                    syntax.FindToken(position).Parent.IsKind(SyntaxKind.SuppressNullableWarningExpression))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private sealed class Seen
    {
        /// <summary>An unwrap that only the presence analysis can judge.</summary>
        public volatile bool Unwrap;

        /// <summary>A call returning a reference or a pointer, which an <c>x!</c> may force.</summary>
        public volatile bool ReferenceCall;
    }
}
