using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Dataflow;

/// <summary>
/// A forward, path-sensitive dataflow analysis over one <see cref="ControlFlowGraph"/>: states flow along branches,
/// conditional branches refine them (<see cref="Refine"/>), merges join them, loops iterate to a fixpoint within a
/// bounded number of block visits. A second pass replays every reachable block once with its final state, with
/// <see cref="IsReporting"/> set, so rules report from stable states only, once per site.
/// </summary>
public abstract class ForwardFlowAnalysis<TValue>
{
    /// <summary>Visits per block before the analysis gives up on a graph (documented bail-out).</summary>
    public const int MaxVisitsPerBlock = 24;

    private readonly FlowState<TValue>?[] entryStates;
    private readonly int[]?[] handlers;
    private readonly List<(int Successor, FlowState<TValue> State)> successors = new();
    private readonly Dictionary<CaptureId, FlowKey> capturedLocations = new();
    private readonly Stack<(IOperation Operation, bool ChildrenDone)> walkStack = new();
    private readonly IEqualityComparer<TValue> comparer = EqualityComparer<TValue>.Default;

    protected ForwardFlowAnalysis(ControlFlowGraph graph, CancellationToken cancellationToken)
    {
        Graph = graph;
        CancellationToken = cancellationToken;
        entryStates = new FlowState<TValue>?[graph.Blocks.Length];
        handlers = new int[]?[graph.Blocks.Length];
    }

    public ControlFlowGraph Graph { get; }

    /// <summary>True when the fixpoint was not reached within the budget; nothing was reported then.</summary>
    public bool BailedOut { get; private set; }

    /// <summary>The block visits the fixpoint may take: <see cref="MaxVisitsPerBlock"/> per block, plus a little.</summary>
    public int Budget => (Graph.Blocks.Length * MaxVisitsPerBlock) + 64;

    protected CancellationToken CancellationToken { get; }

    /// <summary>The joined state of every path that leaves the graph normally (after <see cref="Run"/>), or null when none does.</summary>
    protected FlowState<TValue>? ExitState => entryStates[entryStates.Length - 1];

    /// <summary>True during the final pass over stable states, when rules report.</summary>
    protected bool IsReporting { get; private set; }

    /// <summary>The value of a location that the state does not mention.</summary>
    protected abstract TValue DefaultValue { get; }

    protected abstract TValue Join(TValue left, TValue right);

    /// <summary>Seeds the state at the graph's entry (parameters, locals that start uninitialized, ...).</summary>
    protected virtual void InitializeEntry(FlowState<TValue> state)
    {
    }

    /// <summary>
    /// The effect of one operation; called, in evaluation order (children first), for every operation of a statement
    /// whose kind is in <see cref="TransferredKinds"/>.
    /// </summary>
    protected abstract void Transfer(IOperation operation, FlowState<TValue> state);

    /// <summary>The kinds <see cref="Transfer"/> acts on; the others are walked through, not transferred.</summary>
    protected virtual OperationKindSet TransferredKinds => OperationKindSet.All;

    /// <summary>Refines <paramref name="state"/> knowing that <paramref name="condition"/> evaluated to <paramref name="value"/>.</summary>
    protected virtual void Refine(IOperation condition, bool value, FlowState<TValue> state)
    {
    }

    /// <summary>Called when a path leaves the graph through <c>return</c> with <paramref name="returnedValue"/>.</summary>
    protected virtual void OnReturn(IOperation returnedValue, FlowState<TValue> state)
    {
    }

    public TValue GetValue(FlowState<TValue> state, FlowKey key) => state.TryGet(key, out var value) ? value : DefaultValue;

    public void SetValue(FlowState<TValue> state, FlowKey key, TValue value)
    {
        if (comparer.Equals(value, DefaultValue))
        {
            state.Remove(key);
        }
        else
        {
            state.Set(key, value);
        }
    }

    /// <summary>An assignment: the location takes <paramref name="value"/> and facts about its members go stale.</summary>
    public void Assign(FlowKey? key, TValue value, FlowState<TValue> state)
    {
        if (key is null)
        {
            return;
        }

        state.RemoveMembersOf(key);
        SetValue(state, key, value);
    }

    /// <summary>
    /// The location an assignment writes: the target's own key, or for a flow capture of a location (the CFG lowers
    /// <c>x ??= v</c> and compound forms into an assignment to a capture of <c>x</c>) the captured location.
    /// </summary>
    public FlowKey? TargetKey(IOperation target) =>
        target is IFlowCaptureReferenceOperation reference && capturedLocations.TryGetValue(reference.Id, out var location)
            ? location
            : FlowKey.For(target);

    public void Run()
    {
        var blocks = Graph.Blocks;
        var entry = new FlowState<TValue>();
        InitializeEntry(entry);
        entryStates[0] = entry;

        var pending = new SortedSet<int> { 0 };
        var budget = Budget;
        while (pending.Count > 0)
        {
            CancellationToken.ThrowIfCancellationRequested();
            if (--budget < 0)
            {
                BailedOut = true;
                return;
            }

            var ordinal = pending.Min;
            pending.Remove(ordinal);
            Flow(blocks[ordinal]);
            foreach (var (successor, state) in successors)
            {
                if (Merge(successor, state))
                {
                    pending.Add(successor);
                }
            }
        }

        IsReporting = true;
        foreach (var block in blocks)
        {
            CancellationToken.ThrowIfCancellationRequested();
            if (entryStates[block.Ordinal] is not null)
            {
                Flow(block);
            }
        }
    }

    /// <summary>Runs one block from its entry state; <see cref="successors"/> then holds the state each successor receives.</summary>
    private void Flow(BasicBlock block)
    {
        successors.Clear();
        var state = entryStates[block.Ordinal]!.Clone();
        var enclosingHandlers = handlers[block.Ordinal] ??= EnclosingHandlers(block);
        foreach (var handler in enclosingHandlers)
        {
            successors.Add((handler, state.Clone()));
        }

        foreach (var operation in block.Operations)
        {
            Walk(operation, state);
        }

        if (block.BranchValue is { } branchValue)
        {
            Walk(branchValue, state);
        }

        foreach (var handler in enclosingHandlers)
        {
            successors.Add((handler, state.Clone()));
        }

        if (state.IsUnreachable)
        {
            return;
        }

        if (block.ConditionKind != ControlFlowConditionKind.None && block.BranchValue is not null)
        {
            var jumpsWhen = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
            var conditional = state.Clone();
            Refine(block.BranchValue, jumpsWhen, conditional);
            Refine(block.BranchValue, !jumpsWhen, state);
            if (block.ConditionalSuccessor?.Destination is { } target && !conditional.IsUnreachable)
            {
                successors.Add((target.Ordinal, conditional));
            }
        }

        var fallThrough = block.FallThroughSuccessor;
        if (fallThrough is null || state.IsUnreachable)
        {
            return;
        }

        if (fallThrough.Semantics == ControlFlowBranchSemantics.Return && block.BranchValue is { } returned)
        {
            OnReturn(returned, state);
        }

        if (fallThrough.Destination is { } next &&
            fallThrough.Semantics is ControlFlowBranchSemantics.Regular or ControlFlowBranchSemantics.Return)
        {
            successors.Add((next.Ordinal, state));
        }
    }

    /// <summary>Entry blocks of the catch and finally handlers of this graph that protect <paramref name="block"/>.</summary>
    private int[] EnclosingHandlers(BasicBlock block)
    {
        List<int>? found = null;

        // A lambda's graph sits inside its method's regions: a try around the lambda is not the lambda's (its
        // handlers are blocks of the method's graph), so the walk stops at this graph's root.
        for (var region = block.EnclosingRegion; region is not null && region != Graph.Root; region = region.EnclosingRegion)
        {
            if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } tryAndHandlers)
            {
                continue;
            }

            foreach (var nested in tryAndHandlers.NestedRegions)
            {
                if (nested.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Finally or ControlFlowRegionKind.FilterAndHandler)
                {
                    (found ??= new List<int>()).Add(nested.FirstBlockOrdinal);
                }
            }
        }

        return found?.ToArray() ?? Array.Empty<int>();
    }

    private bool Merge(int ordinal, FlowState<TValue> incoming)
    {
        var existing = entryStates[ordinal];
        if (existing is null)
        {
            entryStates[ordinal] = incoming;
            return true;
        }

        if (incoming.IsUnreachable)
        {
            return false;
        }

        if (existing.IsUnreachable)
        {
            entryStates[ordinal] = incoming;
            return true;
        }

        // The joined state is copied only once something changes: most merges at a loop head change nothing.
        FlowState<TValue>? joined = null;
        foreach (var entry in incoming.Entries)
        {
            var before = GetValue(existing, entry.Key);
            var after = Join(before, entry.Value);
            if (!comparer.Equals(before, after))
            {
                SetValue(joined ??= existing.Clone(), entry.Key, after);
            }
        }

        foreach (var entry in existing.Entries)
        {
            if (!incoming.TryGet(entry.Key, out _))
            {
                var after = Join(entry.Value, DefaultValue);
                if (!comparer.Equals(entry.Value, after))
                {
                    SetValue(joined ??= existing.Clone(), entry.Key, after);
                }
            }
        }

        if (joined is null)
        {
            return false;
        }

        entryStates[ordinal] = joined;
        return true;
    }

    /// <summary>
    /// Transfers every operation under <paramref name="root"/> in evaluation order (a post-order walk without
    /// recursion, so deeply nested expressions cannot overflow the stack); lambdas and local functions are their own graphs.
    /// </summary>
    protected void Walk(IOperation root, FlowState<TValue> state)
    {
        var stack = walkStack;
        var kinds = TransferredKinds;
        stack.Clear();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (operation, childrenDone) = stack.Pop();
            if (childrenDone)
            {
                if (operation is IFlowCaptureOperation capture && FlowKey.For(capture.Value) is { } location)
                {
                    capturedLocations[capture.Id] = location;
                }

                if (!state.IsUnreachable && kinds.Contains(operation.Kind))
                {
                    Transfer(operation, state);
                }

                continue;
            }

            stack.Push((operation, true));
            if (operation is IFlowAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue;
            }

            foreach (var child in operation.ChildOperations.Reverse())
            {
                stack.Push((child, false));
            }
        }
    }
}
