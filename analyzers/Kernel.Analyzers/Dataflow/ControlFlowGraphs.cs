using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Dataflow;

/// <summary>Enumerates a method's graph and the graphs of its local functions and lambdas, each analysed on its own.</summary>
public static class ControlFlowGraphs
{
    /// <summary>The graphs of a member's executable blocks (body, constructor body), each once.</summary>
    public static IEnumerable<ControlFlowGraph> OfBlocks(OperationBlockAnalysisContext context)
    {
        var seen = new HashSet<ControlFlowGraph>();
        foreach (var block in context.OperationBlocks)
        {
            if (block is IBlockOperation or IMethodBodyOperation or IConstructorBodyOperation &&
                context.GetControlFlowGraph(block) is { } graph && seen.Add(graph))
            {
                yield return graph;
            }
        }
    }

    public static IEnumerable<ControlFlowGraph> WithNested(ControlFlowGraph root, CancellationToken cancellationToken)
    {
        var pending = new Stack<ControlFlowGraph>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var graph = pending.Pop();
            yield return graph;
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
    }

    private static IEnumerable<IFlowAnonymousFunctionOperation> Lambdas(Microsoft.CodeAnalysis.IOperation operation)
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
