using System.Collections.Immutable;
using System.Threading;
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
        // Generated code is not analysed, and this rule reports only inside the code it analyses: the driver need not
        // look for generated code around each diagnostic (a scan of the whole file, the first time one is reported there).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var releases = new ReleaseContext(start.Compilation, start.Options);
            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, releases));
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext block, ReleaseContext releases)
    {
        if (block.OwningSymbol is not IMethodSymbol || block.OperationBlocks.IsEmpty)
        {
            return;
        }

        // Bail out early: only methods that call something that may release need the dataflow analysis.
        var level = releases.CallChainFor(block.OperationBlocks[0].Syntax.SyntaxTree);
        if (!CallsReleaser(BlockScan.Of(block.OperationBlocks, block.CancellationToken), releases, level, block.CancellationToken))
        {
            return;
        }

        foreach (var root in ControlFlowGraphs.OfBlocks(block))
        {
            foreach (var graph in ControlFlowGraphs.WithNested(root, block.CancellationToken))
            {
                var analysis = new ReleaseFlowAnalysis(graph, releases, level, summarized: null, use => block.ReportDiagnostic(Create(use)), block.CancellationToken);
                analysis.Run();
                BailOut.Report(block, RuleIds.UseAfterRelease, analysis);
            }
        }
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

    private static bool CallsReleaser(BlockScan scan, ReleaseContext releases, int level, CancellationToken cancellationToken)
    {
        foreach (var invocation in scan.Invocations)
        {
            if (releases.MayReleaseAt(invocation, level, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}
