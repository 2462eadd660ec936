using System;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.Internals;
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
    public static void Register(AnalysisContext context, UnwrapFindingKind kind, Func<UnwrapFinding, Diagnostic> create)
    {
        context.RegisterCompilationStartAction(start =>
        {
            var presence = PresenceResults.For(start.Compilation, start.Options);
            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, presence, kind, create));
        });
    }

    private static void AnalyzeBlock(
        OperationBlockAnalysisContext block,
        PresenceResults presence,
        UnwrapFindingKind kind,
        Func<UnwrapFinding, Diagnostic> create)
    {
        if (block.OwningSymbol is not IMethodSymbol)
        {
            return;
        }

        var seen = Seen.In(BlockScan.Of(block.OperationBlocks, block.CancellationToken), presence.Types);
        var forgiving = seen.ReferenceCall && HasForgiving(block);
        if (!seen.Unwrap && !forgiving)
        {
            return;
        }

        var ruleId = kind == UnwrapFindingKind.Unguarded ? RuleIds.UnguardedUnwrap : RuleIds.CheckThenUnwrapRace;
        foreach (var root in ControlFlowGraphs.OfBlocks(block))
        {
            foreach (var graph in ControlFlowGraphs.WithNested(root, block.CancellationToken))
            {
                var result = presence.Analyze(graph, forgiving, block.OwningSymbol, block.CancellationToken);
                foreach (var finding in result.Findings)
                {
                    if (finding.Kind == kind)
                    {
                        block.ReportDiagnostic(create(finding));
                    }
                }

                BailOut.Report(block, ruleId, result.BailedOut, result.Budget);
            }
        }
    }

    /// <summary>
    /// True when the method's code contains a null-forgiving <c>x!</c>. Most methods have no <c>!</c> at all that is
    /// not part of <c>!=</c>: a scan of the text finds the few candidates, and only those are looked up in the tree.
    /// </summary>
    private static bool HasForgiving(OperationBlockAnalysisContext context)
    {
        foreach (var block in context.OperationBlocks)
        {
            var syntax = block.Syntax;
            var text = syntax.SyntaxTree.GetText(context.CancellationToken);
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

    /// <summary>What a method's operations show: an unwrap to judge, a call whose result an <c>x!</c> may force.</summary>
    private readonly struct Seen
    {
        private Seen(bool unwrap, bool referenceCall)
        {
            Unwrap = unwrap;
            ReferenceCall = referenceCall;
        }

        /// <summary>An unwrap that only the presence analysis can judge.</summary>
        public bool Unwrap { get; }

        /// <summary>A call returning a reference or a pointer, which an <c>x!</c> may force.</summary>
        public bool ReferenceCall { get; }

        public static Seen In(BlockScan scan, OptionalTypes types)
        {
            var unwrap = false;
            foreach (var operation in scan.UnwrapCandidates)
            {
                // x.HasValue ? x.Value : d on a local needs no analysis; every other unwrap does.
                unwrap = operation switch
                {
                    IPropertyReferenceOperation property => types.ShapeOf(property.Instance!.Type) is not null && !GuardedInPlace.Is(operation, types),
                    IFieldReferenceOperation field => types.ShapeOf(field.Instance!.Type) is not null && !GuardedInPlace.Is(operation, types),
                    IConversionOperation conversion => types.ShapeOf(conversion.Operand.Type) is not null,
                    _ => false,
                };
                if (unwrap)
                {
                    break;
                }
            }

            var referenceCall = false;
            foreach (var invocation in scan.Invocations)
            {
                if (OptionalTypes.IsUnwrapMember(invocation.TargetMethod))
                {
                    unwrap = true;
                }
                else if (invocation.Type is { IsReferenceType: true } or IPointerTypeSymbol or { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr })
                {
                    referenceCall = true;
                }

                if (unwrap && referenceCall)
                {
                    break;
                }
            }

            return new Seen(unwrap, referenceCall);
        }
    }
}
