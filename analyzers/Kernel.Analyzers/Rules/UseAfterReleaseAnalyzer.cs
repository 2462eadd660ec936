using System.Collections.Immutable;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.Internals;
using Kernel.Analyzers.Release;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Rules;

/// <summary>
/// KRN006: an object is used after it was released (seed 002): dereferenced, accessed, called or passed on after a
/// <c>Free</c>/<c>Release</c>/<c>Unref</c>/<c>inode_put</c>/<c>[Releases]</c> call or a callee whose summary releases it,
/// in the same method or through a field of a long-lived object.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseAfterReleaseAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.KRN006UseAfterRelease, Descriptors.KRN900AnalysisBailedOut);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var releases = new ReleaseContext(start.Compilation, start.Options);
            start.RegisterOperationBlockStartAction(block => AnalyzeBlock(block, releases));
        });
    }

    private static void AnalyzeBlock(OperationBlockStartAnalysisContext block, ReleaseContext releases)
    {
        if (block.OwningSymbol is not IMethodSymbol)
        {
            return;
        }

        // Bail out early: only methods that call something that may release need the dataflow analysis.
        var level = releases.CallChainFor(block.OperationBlocks[0].Syntax.SyntaxTree);
        var sawRelease = new Flag();
        block.RegisterOperationAction(
            operation =>
            {
                if (!sawRelease.Value && releases.MayReleaseAt((IInvocationOperation)operation.Operation, level, operation.CancellationToken))
                {
                    sawRelease.Value = true;
                }
            },
            RegisteredKinds.Invocation);

        block.RegisterOperationBlockEndAction(end =>
        {
            if (!sawRelease.Value)
            {
                return;
            }

            foreach (var root in ControlFlowGraphs.OfBlocks(end))
            {
                foreach (var graph in ControlFlowGraphs.WithNested(root, end.CancellationToken))
                {
                    var analysis = new ReleaseFlowAnalysis(graph, releases, level, summarized: null, use => end.ReportDiagnostic(Create(use)), end.CancellationToken);
                    analysis.Run();
                    BailOut.Report(end, RuleIds.UseAfterRelease, analysis);
                }
            }
        });
    }

    private static Diagnostic Create(ReleasedUse use) =>
        Diagnostic.Create(
            Descriptors.KRN006UseAfterRelease,
            use.Node.GetLocation(),
            ImmutableArray.Create(use.Site.Call.Syntax.GetLocation()),
            use.Name,
            use.Use,
            use.Site.Releaser,
            use.Definitely ? string.Empty : " on some path");

    private sealed class Flag
    {
        public volatile bool Value;
    }
}
