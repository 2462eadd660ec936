using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Dataflow;

/// <summary>
/// The control flow graphs the rules analyse, built once per executable root and shared by every rule and by every
/// callee summary. The driver's own cache is per analysis context and out of reach of a summary, and building graphs
/// is the largest single cost of the suite. A graph lives as long as the semantic model its operations come from,
/// which the driver drops when it is done with the syntax tree.
/// </summary>
public static class ControlFlowGraphs
{
    private static readonly ModelCache<IOperation, ControlFlowGraph> Roots = new();
    private static readonly ModelCache<ControlFlowGraph, StrongBox<ImmutableArray<ControlFlowGraph>>> Nested = new();

    /// <summary>The graphs of a member's executable blocks (body, constructor body), each once.</summary>
    public static IEnumerable<ControlFlowGraph> OfBlocks(OperationBlockAnalysisContext context)
    {
        var seen = new HashSet<ControlFlowGraph>();
        foreach (var block in context.OperationBlocks)
        {
            if (block is IBlockOperation or IMethodBodyOperation or IConstructorBodyOperation &&
                Of(block, context.CancellationToken) is { } graph && seen.Add(graph))
            {
                yield return graph;
            }
        }
    }

    /// <summary>The graph of the executable root that contains <paramref name="operation"/>, or null when it has none.</summary>
    public static ControlFlowGraph? Of(IOperation operation, CancellationToken cancellationToken)
    {
        var root = operation;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        if (root.SemanticModel is not { } model)
        {
            return null;
        }

        if (Roots.TryGetValue(model, root, out var cached))
        {
            return cached;
        }

        ControlFlowGraph? built = root switch
        {
            IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
            IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor, cancellationToken),
            IBlockOperation block => ControlFlowGraph.Create(block, cancellationToken),
            _ => null,
        };

        // Two threads may build the same graph; the first one stored is the one everybody uses.
        return built is null ? null : Roots.GetOrAdd(model, root, built);
    }

    /// <summary>The graph and the graphs of its local functions and lambdas, found once per graph.</summary>
    public static ImmutableArray<ControlFlowGraph> WithNested(ControlFlowGraph root, CancellationToken cancellationToken)
    {
        if (root.OriginalOperation.SemanticModel is not { } model)
        {
            return FindNested(root, cancellationToken);
        }

        if (Nested.TryGetValue(model, root, out var cached))
        {
            return cached.Value;
        }

        return Nested.GetOrAdd(model, root, new StrongBox<ImmutableArray<ControlFlowGraph>>(FindNested(root, cancellationToken))).Value;
    }

    private static ImmutableArray<ControlFlowGraph> FindNested(ControlFlowGraph root, CancellationToken cancellationToken)
    {
        var found = ImmutableArray.CreateBuilder<ControlFlowGraph>();
        var pending = new Stack<ControlFlowGraph>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var graph = pending.Pop();
            found.Add(graph);
            foreach (var localFunction in graph.LocalFunctions)
            {
                pending.Push(graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken));
            }

            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    foreach (var lambda in Lambdas(operation))
                    {
                        pending.Push(graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken));
                    }
                }

                if (block.BranchValue is { } branch)
                {
                    foreach (var lambda in Lambdas(branch))
                    {
                        pending.Push(graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken));
                    }
                }
            }
        }

        return found.ToImmutable();
    }

    private static IEnumerable<IFlowAnonymousFunctionOperation> Lambdas(IOperation operation)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IFlowAnonymousFunctionOperation lambda)
            {
                yield return lambda;
            }
        }
    }
}
