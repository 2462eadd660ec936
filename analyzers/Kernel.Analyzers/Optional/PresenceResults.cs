using System.Collections.Concurrent;
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

    private readonly ConcurrentDictionary<ControlFlowGraph, GraphResult> results = new();
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
        if (results.TryGetValue(graph, out var cached))
        {
            return cached.Forgiving == forgiving ? cached : Compute(graph, forgiving, owningSymbol, cancellationToken);
        }

        var result = Compute(graph, forgiving, owningSymbol, cancellationToken);

        // Both rules may get here at once on the same graph; the first result stored is the one both report from.
        var stored = results.GetOrAdd(graph, result);
        return stored.Forgiving == forgiving ? stored : result;
    }

    private GraphResult Compute(ControlFlowGraph graph, bool forgiving, ISymbol owningSymbol, CancellationToken cancellationToken)
    {
        var nullness = forgiving ? NullnessContext.For(compilation, options) : null;
        var findings = new List<UnwrapFinding>();
        var analysis = new PresenceFlowAnalysis(
            graph, Types, nullness, nullness?.OptionsFor(graph.OriginalOperation.Syntax.SyntaxTree), owningSymbol, findings.Add, cancellationToken);
        analysis.Run();
        return new GraphResult(forgiving, findings.ToImmutableArray(), analysis.BailedOut, analysis.Budget);
    }

    internal sealed class GraphResult
    {
        public GraphResult(bool forgiving, ImmutableArray<UnwrapFinding> findings, bool bailedOut, int budget)
        {
            Forgiving = forgiving;
            Findings = findings;
            BailedOut = bailedOut;
            Budget = budget;
        }

        public bool Forgiving { get; }

        public ImmutableArray<UnwrapFinding> Findings { get; }

        public bool BailedOut { get; }

        public int Budget { get; }
    }
}
