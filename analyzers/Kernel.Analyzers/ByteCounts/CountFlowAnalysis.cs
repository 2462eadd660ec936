using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Kernel.Analyzers.Dataflow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.ByteCounts;

/// <summary>One read whose count the analysis follows: the call, the buffer it filled, the local it went to.</summary>
public sealed class CountDefinition
{
    public CountDefinition(IInvocationOperation call, ByteCountApi api, FlowKey? buffer, ILocalSymbol? local, IOperation? requested)
    {
        Call = call;
        Api = api;
        Buffer = buffer;
        Local = local;
        Requested = requested;
    }

    public IInvocationOperation Call { get; }

    public ByteCountApi Api { get; }

    public FlowKey? Buffer { get; }

    public ILocalSymbol? Local { get; }

    /// <summary>The requested-length argument, when the call has one.</summary>
    public IOperation? Requested { get; }
}

/// <summary>A use of a buffer as if full after a read whose count was only compared to zero.</summary>
public readonly struct FullBufferUse
{
    public FullBufferUse(IOperation argument, CountDefinition definition)
    {
        Argument = argument;
        Definition = definition;
    }

    public IOperation Argument { get; }

    public CountDefinition Definition { get; }
}

/// <summary>
/// Reaching definitions of byte counts over one graph: which reads' counts each count local may hold. A read of the
/// local marks those reads as used, a comparison with zero marks them as only tested; a buffer passed on while the
/// count that filled it was only tested is used as if full.
/// </summary>
public sealed class CountFlowAnalysis : ForwardFlowAnalysis<ImmutableHashSet<CountDefinition>>
{
    private readonly ByteCountApis apis;
    private readonly Dictionary<IInvocationOperation, CountDefinition> definitions = new();
    private readonly HashSet<CountDefinition> used = new();
    private readonly HashSet<CountDefinition> tested = new();
    private readonly List<(IOperation Argument, CountDefinition Definition)> bufferUses = new();
    private readonly HashSet<(IOperation, CountDefinition)> seenUses = new();

    // A read's count flows to a local (reaching definitions per local) and the buffer it filled records the read
    // (a member "#filled" of the buffer's location), so re-assigning the buffer forgets it.

    public CountFlowAnalysis(ControlFlowGraph graph, ByteCountApis apis, CancellationToken cancellationToken)
        : base(graph, cancellationToken)
    {
        this.apis = apis;
    }

    protected override ImmutableHashSet<CountDefinition> DefaultValue => ImmutableHashSet<CountDefinition>.Empty;

    protected override ImmutableHashSet<CountDefinition> Join(ImmutableHashSet<CountDefinition> left, ImmutableHashSet<CountDefinition> right) =>
        left.Count == 0 ? right : right.Count == 0 ? left : left.Union(right);

    /// <summary>Reads whose count went to a local that nothing reads.</summary>
    public IEnumerable<CountDefinition> UnreadCounts()
    {
        foreach (var definition in definitions.Values)
        {
            if (definition.Local is not null && !used.Contains(definition) && !tested.Contains(definition))
            {
                yield return definition;
            }
        }
    }

    /// <summary>Buffers passed on while the count of the read that filled them was only compared to zero.</summary>
    public IEnumerable<FullBufferUse> BuffersUsedAsFull()
    {
        foreach (var (argument, definition) in bufferUses)
        {
            if (tested.Contains(definition) && !used.Contains(definition) && !IsOne(definition.Requested))
            {
                yield return new FullBufferUse(argument, definition);
            }
        }
    }

    private static readonly OperationKindSet Kinds = new(
        OperationKind.SimpleAssignment,
        OperationKind.LocalReference,
        OperationKind.Invocation);

    protected override OperationKindSet TransferredKinds => Kinds;

    protected override void Transfer(IOperation operation, FlowState<ImmutableHashSet<CountDefinition>> state)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                Assign(assignment, state);
                break;
            case ILocalReferenceOperation local when !IsWriteTarget(local):
                Read(local, state);
                break;
            case IInvocationOperation invocation:
                Invocation(invocation, state);
                break;
        }
    }

    private void Assign(ISimpleAssignmentOperation assignment, FlowState<ImmutableHashSet<CountDefinition>> state)
    {
        if (TargetKey(assignment.Target) is { } written)
        {
            // A buffer that is re-assigned no longer holds what the read delivered.
            state.RemoveMembersOf(written);
        }

        if (assignment.Target is not ILocalReferenceOperation target)
        {
            return;
        }

        var key = FlowKey.For(target)!;
        if (Unwrap(assignment.Value) is IInvocationOperation call && definitions.TryGetValue(call, out var definition) &&
            SymbolEqualityComparer.Default.Equals(definition.Local, target.Local))
        {
            SetValue(state, key, ImmutableHashSet.Create(definition));
        }
        else
        {
            SetValue(state, key, DefaultValue);
        }
    }

    private void Read(ILocalReferenceOperation local, FlowState<ImmutableHashSet<CountDefinition>> state)
    {
        var reaching = GetValue(state, FlowKey.For(local)!);
        if (reaching.Count == 0)
        {
            return;
        }

        var into = IsZeroComparison(local) ? tested : used;
        foreach (var definition in reaching)
        {
            into.Add(definition);
        }
    }

    private void Invocation(IInvocationOperation invocation, FlowState<ImmutableHashSet<CountDefinition>> state)
    {
        var api = apis.Classify(invocation.TargetMethod);
        if (api.Kind == ByteCountKind.Read)
        {
            if (Define(invocation, api) is { Buffer: { } buffer } definition && Filled(buffer) is { } filled)
            {
                SetValue(state, filled, ImmutableHashSet.Create(definition));
            }

            return;
        }

        if (state.Count == 0 || !IsReporting)
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (FlowKey.For(argument.Value) is not { } key || Filled(key) is not { } filled)
            {
                continue;
            }

            foreach (var definition in GetValue(state, filled))
            {
                if (seenUses.Add((argument.Value, definition)))
                {
                    bufferUses.Add((argument.Value, definition));
                }
            }
        }
    }

    /// <summary>The location that records which read last filled <paramref name="buffer"/>.</summary>
    private static FlowKey? Filled(FlowKey buffer) => FlowKey.ForAccess(null, buffer, "#filled", buffer.Name);

    private CountDefinition? Define(IInvocationOperation invocation, ByteCountApi api)
    {
        if (definitions.TryGetValue(invocation, out var known))
        {
            MarkDirectUse(known);
            return known;
        }

        var parent = invocation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation or IAwaitOperation)
        {
            parent = parent.Parent;
        }

        ILocalSymbol? local = null;
        if (parent is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment &&
            Unwrap(assignment.Value) == invocation)
        {
            local = target.Local;
        }
        else if (parent is null)
        {
            // A discarded count: the analyzer reports it without the flow analysis.
            return null;
        }

        var buffer = api.Buffer >= 0 ? Argument(invocation, api.Buffer) : null;
        var requested = api.Length >= 0 ? Argument(invocation, api.Length) : null;
        var definition = new CountDefinition(invocation, api, buffer is null ? null : FlowKey.For(buffer), local, requested);
        definitions[invocation] = definition;
        MarkDirectUse(definition);
        if (local is not null && parent!.Parent is { } consumer && consumer is not IExpressionStatementOperation)
        {
            // while ((n = s.Read(buf)) > 0): the assignment's value is the count, tested or used where it stands.
            (IsZeroComparison(parent) ? tested : used).Add(definition);
        }

        return definition;
    }

    /// <summary>A count used where it is produced (<c>if (s.Read(buf) == 0)</c>, <c>total += s.Read(buf)</c>).</summary>
    private void MarkDirectUse(CountDefinition definition)
    {
        if (definition.Local is null)
        {
            (IsZeroComparison(definition.Call) ? tested : used).Add(definition);
        }
    }

    internal static IOperation? Argument(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return Unwrap(argument.Value);
            }
        }

        return null;
    }

    internal static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { Conversion.IsUserDefined: false } conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                case IAwaitOperation awaited:
                    operation = awaited.Operation;
                    continue;
                default:
                    return operation;
            }
        }
    }

    private static bool IsWriteTarget(IOperation reference) =>
        reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference;

    /// <summary><c>n == 0</c>, <c>n &lt;= 0</c>, <c>n &gt; 0</c>, <c>n != 0</c>, <c>n &lt; 0</c>, <c>n == -1</c>, <c>n is 0</c>, <c>n &lt; 1</c>.</summary>
    internal static bool IsZeroComparison(IOperation value)
    {
        var operation = value;
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation or IAwaitOperation)
        {
            operation = parent;
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IBinaryOperation binary when IsComparison(binary.OperatorKind):
                var other = binary.LeftOperand == operation ? binary.RightOperand : binary.LeftOperand;
                return IsZeroish(other, binary.OperatorKind);
            case IIsPatternOperation { Pattern: IConstantPatternOperation constant }:
                return IsZeroish(constant.Value, BinaryOperatorKind.Equals);
            case IIsPatternOperation { Pattern: IRelationalPatternOperation relational }:
                return IsZeroish(relational.Value, relational.OperatorKind);
            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation negated } }:
                return IsZeroish(negated.Value, BinaryOperatorKind.NotEquals);
            default:
                return false;
        }
    }

    private static bool IsComparison(BinaryOperatorKind kind) => kind is
        BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or
        BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

    private static bool IsZeroish(IOperation operand, BinaryOperatorKind kind)
    {
        if (!operand.ConstantValue.HasValue || operand.ConstantValue.Value is not { } value)
        {
            return false;
        }

        long number;
        try
        {
            number = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            return false;
        }

        return number is 0 or -1 || (number == 1 && kind is BinaryOperatorKind.LessThan or BinaryOperatorKind.GreaterThanOrEqual);
    }

    private static bool IsOne(IOperation? requested) =>
        requested is { ConstantValue: { HasValue: true, Value: int or long or uint or ulong } constant } &&
        Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture) == 1;
}
