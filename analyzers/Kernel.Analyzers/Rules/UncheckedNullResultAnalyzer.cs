using System.Collections.Generic;
using System.Collections.Immutable;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.Internals;
using Kernel.Analyzers.Nullness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Rules;

/// <summary>KRN001: a call result that may be null is dereferenced on some path without a check (seed 000).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UncheckedNullResultAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.KRN001UncheckedNullResult, Descriptors.KRN900AnalysisBailedOut);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is not analysed, and this rule reports only inside the code it analyses: the driver need not
        // look for generated code around each diagnostic (a scan of the whole file, the first time one is reported there).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var nullness = NullnessContext.For(start.Compilation, start.Options);
            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, nullness));
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext block, NullnessContext nullness)
    {
        if (block.OwningSymbol is not IMethodSymbol || block.OperationBlocks.IsEmpty)
        {
            return;
        }

        // Bail out early: only methods that call a may-return-null API, and do not check every result where they store
        // it, need the dataflow analysis.
        var options = nullness.OptionsFor(block.OperationBlocks[0].Syntax.SyntaxTree);
        var sources = new List<IInvocationOperation>();
        foreach (var invocation in BlockScan.Of(block.OperationBlocks, block.CancellationToken).Invocations)
        {
            if (nullness.SourceKind(invocation.TargetMethod, options, options.MaxCallChain, block.CancellationToken) is not null)
            {
                sources.Add(invocation);
            }
        }

        if (sources.Count == 0 || CheckedAtOnce.All(sources, block.OperationBlocks, block.CancellationToken))
        {
            return;
        }

        foreach (var root in ControlFlowGraphs.OfBlocks(block))
        {
            foreach (var graph in ControlFlowGraphs.WithNested(root, block.CancellationToken))
            {
                var analysis = new NullFlowAnalysis(
                    graph, nullness, options, options.MaxCallChain, summarized: null,
                    dereference => block.ReportDiagnostic(Create(dereference)), block.CancellationToken);
                analysis.Run();
                BailOut.Report(block, RuleIds.UncheckedNullResult, analysis);
            }
        }
    }

    private static Diagnostic Create(NullDereference dereference)
    {
        var sink = dereference.Callee is { } callee
            ? $"passing it to '{callee.Name}', which dereferences it"
            : "use";
        var additional = dereference.Source.Call is { } call
            ? ImmutableArray.Create(call.Syntax.GetLocation())
            : ImmutableArray<Location>.Empty;
        return Diagnostic.Create(
            Descriptors.KRN001UncheckedNullResult,
            dereference.Node.GetLocation(),
            additional,
            dereference.ValueName,
            dereference.Source.Reason,
            sink);
    }

}
