using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Nullness;

/// <summary>A dereference of a may-be-null value, found on a stable state.</summary>
public readonly struct NullDereference
{
    public NullDereference(SyntaxNode node, string valueName, NullSource source, IMethodSymbol? callee)
    {
        Node = node;
        ValueName = valueName;
        Source = source;
        Callee = callee;
    }

    /// <summary>Where the diagnostic starts: the receiver, the <c>*</c> of <c>*p</c>, or the argument.</summary>
    public SyntaxNode Node { get; }

    public string ValueName { get; }

    public NullSource Source { get; }

    /// <summary>The callee that dereferences the value when it is passed as an argument, else null.</summary>
    public IMethodSymbol? Callee { get; }
}

/// <summary>
/// The null-state analysis of one graph. In the root mode it reports dereferences of call results that may be null;
/// in the summary mode (<c>summarized</c> set) it seeds the method's parameters as may-be-null and records
/// which of them it dereferences unchecked, and whether some path returns null.
/// </summary>
public sealed class NullFlowAnalysis : ForwardFlowAnalysis<NullValue>
{
    private readonly NullnessContext context;
    private readonly NullnessOptions options;
    private readonly int level;
    private readonly IMethodSymbol? summarized;
    private readonly Action<NullDereference>? report;
    private readonly Dictionary<IOperation, NullSource?> sources = new();
    private readonly HashSet<(NullSource, SyntaxNode)> reported = new();
    private Dictionary<SyntaxNode, IOperation>? conditionalReceivers;

    public NullFlowAnalysis(
        ControlFlowGraph graph,
        NullnessContext context,
        NullnessOptions options,
        int level,
        IMethodSymbol? summarized,
        Action<NullDereference>? report,
        CancellationToken cancellationToken)
        : base(graph, cancellationToken)
    {
        this.context = context;
        this.options = options;
        this.level = level;
        this.summarized = summarized;
        this.report = report;
    }

    public bool ReturnsNull { get; private set; }

    public ImmutableHashSet<int>.Builder DereferencedParameters { get; } = ImmutableHashSet.CreateBuilder<int>();

    /// <summary>The bool parameter that every return passes on unchanged, or -1 (summary mode).</summary>
    public int ReturnedParameter => returnedParameter >= 0 && !returnsOther ? returnedParameter : -1;

    private int returnedParameter = -1;
    private bool returnsOther;
    private readonly ImmutableHashSet<int>?[] notNullWhen = new ImmutableHashSet<int>?[2];

    /// <summary>Parameters not null on every path that returns <paramref name="result"/> (summary mode).</summary>
    public ImmutableHashSet<int> NotNullWhen(bool result) => notNullWhen[result ? 1 : 0] ?? ImmutableHashSet<int>.Empty;

    protected override NullValue DefaultValue => NullValue.NotNull;

    protected override NullValue Join(NullValue left, NullValue right) => NullValue.Join(left, right);

    protected override void InitializeEntry(FlowState<NullValue> state)
    {
        if (summarized is null)
        {
            return;
        }

        foreach (var parameter in summarized.Parameters)
        {
            if (parameter.RefKind == RefKind.None && CanBeNull(parameter.Type))
            {
                SetValue(state, FlowKey.ForSymbol(parameter), NullValue.MaybeNull(
                    new NullSource(NullSourceKind.Parameter, summarized, null, parameter.Ordinal)));
            }
        }
    }

    private static readonly OperationKindSet Kinds = new(
        OperationKind.SimpleAssignment,
        OperationKind.FlowCapture,
        OperationKind.CompoundAssignment,
        OperationKind.Increment,
        OperationKind.Decrement,
        OperationKind.DeconstructionAssignment,
        OperationKind.Invocation,
        OperationKind.FieldReference,
        OperationKind.PropertyReference,
        OperationKind.EventReference,
        OperationKind.MethodReference,
        OperationKind.ArrayElementReference,
        OperationKind.None);

    protected override OperationKindSet TransferredKinds => Kinds;

    protected override void Transfer(IOperation operation, FlowState<NullValue> state)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                Assign(TargetKey(assignment.Target), Evaluate(assignment.Value, state), state);
                break;
            case IFlowCaptureOperation capture:
                SetValue(state, FlowKey.ForCapture(capture), Evaluate(capture.Value, state));
                NoteConditionalReceiver(capture.Value);
                break;
            case ICompoundAssignmentOperation compound:
                Assign(TargetKey(compound.Target), NullValue.NotNull, state);
                break;
            case IIncrementOrDecrementOperation increment:
                Assign(TargetKey(increment.Target), NullValue.NotNull, state);
                break;
            case IDeconstructionAssignmentOperation deconstruction:
                foreach (var target in deconstruction.Target.DescendantsAndSelf())
                {
                    Assign(FlowKey.For(target), NullValue.NotNull, state);
                }

                break;
            case IInvocationOperation invocation:
                TransferInvocation(invocation, state);
                break;
            case IFieldReferenceOperation { Instance: { } instance }:
                DereferenceMember(instance, state);
                break;
            case IPropertyReferenceOperation { Instance: { } instance }:
                DereferenceMember(instance, state);
                break;
            case IEventReferenceOperation { Instance: { } instance }:
                DereferenceMember(instance, state);
                break;
            case IMethodReferenceOperation { Instance: { } instance, Method.IsStatic: false }:
                DereferenceMember(instance, state);
                break;
            case IArrayElementReferenceOperation element:
                Dereference(element.ArrayReference, element.ArrayReference.Syntax, null, state);
                break;
            case { Kind: OperationKind.None }:
                DereferencePointer(operation, state);
                break;
        }
    }

    protected override void Refine(IOperation condition, bool value, FlowState<NullValue> state)
    {
        condition = Conversions.Strip(condition);
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                Refine(not.Operand, !value, state);
                break;
            case IIsNullOperation isNull:
                RefineOperand(isNull.Operand, isNull: value, state);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                when (NullTested(binary.LeftOperand, binary.RightOperand) ?? NullTested(binary.RightOperand, binary.LeftOperand)) is { } operand:
                RefineOperand(operand, isNull: (binary.OperatorKind == BinaryOperatorKind.Equals) == value, state);
                break;
            case IBinaryOperation { IsLifted: true } lifted when PresenceTests.LiftedOperandsPresent(lifted, value):
                // c?.Count > 0, c?.IsOpen == true: a lifted test that holds only when its operands have values.
                RefineOperand(lifted.LeftOperand, isNull: false, state);
                RefineOperand(lifted.RightOperand, isNull: false, state);
                break;
            case IIsTypeOperation isType when value != isType.IsNegated:
                RefineOperand(isType.ValueOperand, isNull: false, state);
                break;
            case IIsPatternOperation pattern when PresenceTests.BoolConstant(pattern.Pattern) is { } tested:
                Refine(pattern.Value, value == tested, state);
                break;
            case IIsPatternOperation pattern:
                RefinePattern(pattern.Value, pattern.Pattern, value, state);
                break;
            case IInvocationOperation invocation when NullComparedArgument(invocation) is { } compared:
                RefineOperand(compared, isNull: value, state);
                break;
            case IInvocationOperation invocation:
                RefineByNotNullWhen(invocation, value, state);
                break;
        }
    }

    /// <summary>
    /// The operand of <c>x == null</c> compared with <paramref name="other"/>, also when a pointer is compared as an
    /// integer (<c>(ulong)p == 0</c>); else null.
    /// </summary>
    private static IOperation? NullTested(IOperation operand, IOperation other)
    {
        if (IsNullConstant(other))
        {
            return operand;
        }

        return other.ConstantValue is { HasValue: true, Value: { } constant } && IsZero(constant) &&
               Conversions.Strip(operand).Type is IPointerTypeSymbol or { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr }
            ? operand
            : null;
    }

    /// <summary>The argument compared with null by <c>ReferenceEquals(x, null)</c> or <c>Equals(x, null)</c>, else null.</summary>
    private static IOperation? NullComparedArgument(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!method.IsStatic || method.ContainingType?.SpecialType != SpecialType.System_Object ||
            method.Name is not ("ReferenceEquals" or "Equals") || invocation.Arguments.Length != 2)
        {
            return null;
        }

        var left = invocation.Arguments[0].Value;
        var right = invocation.Arguments[1].Value;
        return IsNullConstant(right) ? left : IsNullConstant(left) ? right : null;
    }

    protected override void OnReturn(IOperation returnedValue, FlowState<NullValue> state)
    {
        if (summarized is null)
        {
            return;
        }

        if (Evaluate(returnedValue, state) is { MayBeNull: true } value && value.Source?.Kind != NullSourceKind.Parameter)
        {
            ReturnsNull = true;
        }

        if (summarized.ReturnType.SpecialType == SpecialType.System_Boolean)
        {
            LearnBoolResult(returnedValue, state);
        }
    }

    /// <summary>
    /// For a bool method: which parameters each result proves not null (<c>IsValid(p) =&gt; p != null</c>), and whether
    /// it hands back one of its bool parameters (<c>Check(p != null, "why")</c>).
    /// </summary>
    private void LearnBoolResult(IOperation returnedValue, FlowState<NullValue> state)
    {
        var stripped = Conversions.Strip(returnedValue);
        if (stripped is IParameterReferenceOperation { Parameter: { Type.SpecialType: SpecialType.System_Boolean } parameter } &&
            (returnedParameter < 0 || returnedParameter == parameter.Ordinal))
        {
            returnedParameter = parameter.Ordinal;
        }
        else
        {
            returnsOther = true;
        }

        foreach (var result in new[] { false, true })
        {
            if (stripped.ConstantValue is { HasValue: true, Value: bool constant } && constant != result)
            {
                continue;
            }

            var outcome = state.Clone();
            Refine(returnedValue, result, outcome);
            var proven = ImmutableHashSet.CreateBuilder<int>();
            foreach (var candidate in summarized!.Parameters)
            {
                if (candidate.RefKind == RefKind.None && CanBeNull(candidate.Type) &&
                    (outcome.IsUnreachable || !GetValue(outcome, FlowKey.ForSymbol(candidate)).MayBeNull))
                {
                    proven.Add(candidate.Ordinal);
                }
            }

            var slot = result ? 1 : 0;
            notNullWhen[slot] = notNullWhen[slot] is { } earlier ? earlier.Intersect(proven) : proven.ToImmutable();
        }
    }

    /// <summary>The abstract value of an expression in <paramref name="state"/>, without side effects.</summary>
    private NullValue Evaluate(IOperation operation, FlowState<NullValue> state)
    {
        if (IsForgiven(operation.Syntax))
        {
            return NullValue.NotNull;
        }

        if (IsNullConstant(operation))
        {
            return NullValue.Null(NullSource.Constant);
        }

        switch (operation)
        {
            case IConversionOperation { Conversion.IsUserDefined: false } conversion:
                return Evaluate(conversion.Operand, state);
            case IParenthesizedOperation parenthesized:
                return Evaluate(parenthesized.Operand, state);
            case ISimpleAssignmentOperation assignment:
                return Evaluate(assignment.Value, state);
            case IInvocationOperation invocation:
                return SourceOf(invocation) is { } source ? NullValue.MaybeNull(source) : NullValue.NotNull;
        }

        return FlowKey.For(operation) is { } key ? GetValue(state, key) : NullValue.NotNull;
    }

    private NullSource? SourceOf(IInvocationOperation invocation)
    {
        if (!sources.TryGetValue(invocation, out var source))
        {
            var kind = context.SourceKind(invocation.TargetMethod, options, level, CancellationToken);
            source = kind is { } k ? new NullSource(k, invocation.TargetMethod, invocation, -1) : null;
            sources[invocation] = source;
        }

        return source;
    }

    private void TransferInvocation(IInvocationOperation invocation, FlowState<NullValue> state)
    {
        var method = invocation.TargetMethod;
        if (invocation.Instance is { } instance && !method.IsStatic && IsReferenceReceiver(instance))
        {
            Dereference(instance, instance.Syntax, null, state);
        }

        var summary = context.Summary(method, level, CancellationToken);
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            if (parameter.RefKind is RefKind.Out or RefKind.Ref)
            {
                Assign(FlowKey.For(argument.Value), NullValue.NotNull, state);
                continue;
            }

            if (summary is not null && summary.DereferencedParameters.Contains(parameter.Ordinal))
            {
                Dereference(argument.Value, argument.Value.Syntax, method, state);
            }
            else if (Attributes.Has(parameter, "NotNull"))
            {
                RefineOperand(argument.Value, isNull: false, state);
            }
            else if (Attributes.Find(parameter, "DoesNotReturnIf") is { } doesNotReturnIf &&
                     Attributes.BoolArgument(doesNotReturnIf) is { } stopsWhen)
            {
                Refine(argument.Value, !stopsWhen, state);
            }
        }

        if (Attributes.Has(method, "DoesNotReturn"))
        {
            state.MarkUnreachable();
        }
    }

    private void DereferenceMember(IOperation instance, FlowState<NullValue> state)
    {
        if (IsReferenceReceiver(instance))
        {
            Dereference(instance, instance.Syntax, null, state);
        }
    }

    /// <summary><c>*p</c>, <c>p-&gt;f</c> and <c>p[i]</c> are <see cref="OperationKind.None"/>; recognise them by syntax.</summary>
    private void DereferencePointer(IOperation operation, FlowState<NullValue> state)
    {
        IOperation? pointer = null;
        foreach (var child in operation.ChildOperations)
        {
            pointer = child;
            break;
        }

        if (pointer?.Type is not IPointerTypeSymbol)
        {
            return;
        }

        var syntax = operation.Syntax;
        if (syntax.IsKind(SyntaxKind.PointerIndirectionExpression))
        {
            Dereference(pointer, syntax, null, state);
        }
        else if (syntax is ElementAccessExpressionSyntax ||
                 (syntax.Parent is MemberAccessExpressionSyntax member && member.IsKind(SyntaxKind.PointerMemberAccessExpression) && member.Expression == syntax))
        {
            Dereference(pointer, pointer.Syntax, null, state);
        }
    }

    private void Dereference(IOperation value, SyntaxNode node, IMethodSymbol? callee, FlowState<NullValue> state)
    {
        var current = Evaluate(value, state);
        if (!current.MayBeNull || current.Source is not { } source)
        {
            return;
        }

        if (summarized is not null)
        {
            if (source.Kind == NullSourceKind.Parameter)
            {
                DereferencedParameters.Add(source.ParameterOrdinal);
            }
        }
        else if (source.IsCall && IsReporting && report is not null && reported.Add((source, node)))
        {
            report(new NullDereference(node, Describe(value.Syntax), source, callee));
        }

        // The program only goes on past a dereference when the value was not null.
        RefineOperand(value, isNull: false, state);
    }

    /// <summary>Remembers the receiver of <c>c?.F</c>, captured before the access, for tests of the access's result.</summary>
    private void NoteConditionalReceiver(IOperation captured)
    {
        // The access's null branch captures an implicit default under the receiver's syntax: not the receiver.
        if (captured.Syntax.Parent is ConditionalAccessExpressionSyntax access && access.Expression == captured.Syntax &&
            captured is not IDefaultValueOperation { IsImplicit: true })
        {
            (conditionalReceivers ??= new())[access] = captured;
        }
    }

    private void RefineOperand(IOperation operand, bool isNull, FlowState<NullValue> state)
    {
        operand = Conversions.Strip(operand);
        if (!isNull && conditionalReceivers is not null && conditionalReceivers.TryGetValue(operand.Syntax, out var receiver))
        {
            // c?.F has a value only when c is not null.
            RefineOperand(receiver, isNull: false, state);
        }

        var key = FlowKey.For(operand);
        if (operand is ISimpleAssignmentOperation assignment)
        {
            key = FlowKey.For(assignment.Target);
        }

        var value = Evaluate(operand, state);
        var source = value.Source ?? NullSource.Constant;
        var refined = isNull ? NullValue.Null(source) : NullValue.NotNull;
        if (value.Source is { IsCall: true } or { Kind: NullSourceKind.Parameter })
        {
            // Every copy of the value holds the same origin: refine them all (checks through aliases).
            var aliases = new List<FlowKey>();
            foreach (var entry in state.Entries)
            {
                if (ReferenceEquals(entry.Value.Source, value.Source))
                {
                    aliases.Add(entry.Key);
                }
            }

            foreach (var alias in aliases)
            {
                SetValue(state, alias, refined);
            }
        }

        if (key is not null)
        {
            SetValue(state, key, refined);
        }
    }

    private void RefinePattern(IOperation value, IPatternOperation pattern, bool matched, FlowState<NullValue> state)
    {
        switch (pattern)
        {
            case IConstantPatternOperation constant when IsNullConstant(constant.Value):
                RefineOperand(value, isNull: matched, state);
                break;
            case INegatedPatternOperation negated:
                RefinePattern(value, negated.Pattern, !matched, state);
                break;
            default:
                // A pattern that null never matches proves presence when it matches (is { }, is Conn c, is > 0), one
                // that null always matches proves it when it fails (is null or { Count: 0 }).
                if (PresenceTests.MatchesNull(pattern) is { } matchesNull && matched != matchesNull)
                {
                    RefineOperand(value, isNull: false, state);
                }

                break;
        }
    }

    private void RefineByNotNullWhen(IInvocationOperation invocation, bool value, FlowState<NullValue> state)
    {
        if (invocation.TargetMethod.ReturnType.SpecialType == SpecialType.System_Boolean &&
            context.Summary(invocation.TargetMethod, level, CancellationToken) is { } summary)
        {
            var proven = value ? summary.NotNullWhenTrue : summary.NotNullWhenFalse;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter && (proven.Contains(parameter.Ordinal) || parameter.Ordinal == summary.ReturnedParameter))
                {
                    if (parameter.Ordinal == summary.ReturnedParameter)
                    {
                        Refine(argument.Value, value, state);
                    }
                    else
                    {
                        RefineOperand(argument.Value, isNull: false, state);
                    }
                }
            }
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && Attributes.Find(parameter, "NotNullWhen") is { } notNullWhen &&
                Attributes.BoolArgument(notNullWhen) == value)
            {
                RefineOperand(argument.Value, isNull: false, state);
            }
        }
    }

    /// <summary><c>null</c>, <c>default</c>, <c>0</c> as a pointer or native integer, <c>(T*)0</c>, <c>IntPtr.Zero</c>.</summary>
    private static bool IsNullConstant(IOperation operation)
    {
        if (!CanBeNull(operation.Type) && operation.Type is not null)
        {
            return false;
        }

        var inner = Conversions.Strip(operation);
        switch (inner)
        {
            case IDefaultValueOperation:
                return true;
            case IFieldReferenceOperation { Field: { Name: "Zero", IsStatic: true, ContainingType.SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } }:
                return true;
        }

        if (!inner.ConstantValue.HasValue)
        {
            return false;
        }

        var constant = inner.ConstantValue.Value;
        return constant is null
            ? operation.Type is null || operation.Type.IsReferenceType || CanBeNull(operation.Type)
            : operation.Type is IPointerTypeSymbol or { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } && IsZero(constant);
    }

    private static bool IsZero(object constant) => constant switch
    {
        int i => i == 0,
        long l => l == 0,
        uint u => u == 0,
        ulong ul => ul == 0,
        _ => false,
    };

    private static bool CanBeNull(ITypeSymbol? type) => type switch
    {
        null => false,
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => true,
        { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } => true,
        ITypeParameterSymbol parameter => parameter.HasReferenceTypeConstraint,
        _ => type.IsReferenceType,
    };

    private static bool IsReferenceReceiver(IOperation instance) =>
        instance is not IInstanceReferenceOperation && instance.Type is { IsReferenceType: true } && instance is not IFlowCaptureReferenceOperation { Syntax: MemberBindingExpressionSyntax };

    /// <summary>True for the operand of the null-forgiving <c>x!</c>: the user's assertion (KRN003's concern, not KRN001's).</summary>
    private static bool IsForgiven(SyntaxNode syntax)
    {
        var parent = syntax.Parent;
        while (parent is ParenthesizedExpressionSyntax)
        {
            parent = parent.Parent;
        }

        return parent is PostfixUnaryExpressionSyntax postfix && postfix.IsKind(SyntaxKind.SuppressNullableWarningExpression);
    }

    private static string Describe(SyntaxNode syntax)
    {
        var text = string.Join(" ", syntax.ToString().Split(new[] { ' ', '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
