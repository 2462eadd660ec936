using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Kernel.Analyzers.Internals;
using Kernel.Analyzers.Nullness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Kernel.Analyzers.Optional;

/// <summary>
/// One presence analysis per graph for both KRN003 and KRN004: whichever rule reaches a method first runs it and keeps
/// every finding; the other reads them. Per compilation and options, with the optional-type cache both rules use.
/// </summary>
internal sealed class PresenceResults
{
    private static readonly PerCompilation<PresenceResults> Shared = new((compilation, options) => new PresenceResults(compilation, options));

    private readonly ModelCache<ControlFlowGraph, GraphResult> results = new();
    private readonly ModelCache<ControlFlowGraph, GraphResult> forgivingResults = new();
    private readonly Compilation compilation;
    private readonly AnalyzerOptions options;

    private PresenceResults(Compilation compilation, AnalyzerOptions options)
    {
        this.compilation = compilation;
        this.options = options;
    }

    public OptionalTypes Types { get; } = new();

    public static PresenceResults For(Compilation compilation, AnalyzerOptions options) => Shared.For(compilation, options);

    /// <param name="forgiving">True when the method has an <c>x!</c> on a call result: KRN001's knowledge is needed.</param>
    public GraphResult Analyze(ControlFlowGraph graph, bool forgiving, ISymbol owningSymbol, CancellationToken cancellationToken)
    {
        // Both rules may get here at once on the same graph; the first result stored is the one both report from.
        if (graph.OriginalOperation.SemanticModel is not { } model)
        {
            return Compute(graph, forgiving, owningSymbol, cancellationToken);
        }

        var cache = forgiving ? forgivingResults : results;
        return cache.TryGetValue(model, graph, out var cached)
            ? cached
            : cache.GetOrAdd(model, graph, Compute(graph, forgiving, owningSymbol, cancellationToken));
    }

    private GraphResult Compute(ControlFlowGraph graph, bool forgiving, ISymbol owningSymbol, CancellationToken cancellationToken)
    {
        var nullness = forgiving ? NullnessContext.For(compilation, options) : null;
        var findings = new List<UnwrapFinding>();
        var analysis = new PresenceFlowAnalysis(
            graph, Types, nullness, nullness?.OptionsFor(graph.OriginalOperation.Syntax.SyntaxTree), owningSymbol, findings.Add, cancellationToken);
        analysis.Run();
        return new GraphResult(findings.ToImmutableArray(), analysis.BailedOut, analysis.Budget);
    }

    internal sealed class GraphResult
    {
        public GraphResult(ImmutableArray<UnwrapFinding> findings, bool bailedOut, int budget)
        {
            Findings = findings;
            BailedOut = bailedOut;
            Budget = budget;
        }

        public ImmutableArray<UnwrapFinding> Findings { get; }

        public bool BailedOut { get; }

        public int Budget { get; }
    }
}
