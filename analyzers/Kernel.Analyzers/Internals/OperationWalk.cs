using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Internals;

/// <summary>What a walk does at each operation.</summary>
internal interface IOperationScan
{
    /// <summary>Looks at one operation.</summary>
    void Visit(IOperation operation);
}

/// <summary>
/// Walks operation trees in source order (pre-order, children left to right), with no allocation once a thread has
/// walked its largest method. The rules read each method in one block action (see <see cref="BlockScan"/>) rather
/// than registering operation actions: the driver pays per registered callback (a context, a dispatch, two clock
/// reads when it times analyzers) and per block start (a context and a table of actions).
/// </summary>
internal static class OperationWalk
{
    /// <summary>The work list, kept per thread: every method is walked, and a fresh one would grow again each time.</summary>
    [ThreadStatic]
    private static List<IOperation>? spareList;

    public static void Run<TScan>(ImmutableArray<IOperation> roots, TScan scan, CancellationToken cancellationToken)
        where TScan : IOperationScan
    {
        foreach (var root in roots)
        {
            Run(root, scan, cancellationToken);
        }
    }

    public static void Run<TScan>(IOperation root, TScan scan, CancellationToken cancellationToken)
        where TScan : IOperationScan
    {
        // A scan may walk another body (a callee's summary) from inside Visit: that walk takes a list of its own.
        var pending = spareList ?? new List<IOperation>();
        spareList = null;
        try
        {
            pending.Add(root);
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var last = pending.Count - 1;
                var operation = pending[last];
                pending.RemoveAt(last);
                scan.Visit(operation);

                // Children are enumerated forwards (the reversed enumerator is several times slower) and then
                // reversed in place, so that the first child is visited next.
                foreach (var child in operation.ChildOperations)
                {
                    pending.Add(child);
                }

                if (pending.Count - last > 1)
                {
                    pending.Reverse(last, pending.Count - last);
                }
            }
        }
        finally
        {
            // A cancelled walk leaves operations behind: they must not keep a tree alive.
            pending.Clear();
            spareList = pending;
        }
    }
}
