using System;
using System.Collections.Generic;
using System.Threading;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.Internals;
using Kernel.Analyzers.Nullness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Optional;

public enum UnwrapFindingKind
{
    /// <summary>KRN003: presence was not established on some path.</summary>
    Unguarded,

    /// <summary>KRN004: presence was checked on another read of a shared resource.</summary>
    Race,
}

/// <summary>An unwrap found on a stable state.</summary>
public sealed class UnwrapFinding
{
    public UnwrapFinding(UnwrapFindingKind kind, SyntaxNode unwrap, string optionalName, string unwrapText, SyntaxNode? checkSite, string? between, IMethodSymbol? nullSource)
    {
        Kind = kind;
        Unwrap = unwrap;
        OptionalName = optionalName;
        UnwrapText = unwrapText;
        CheckSite = checkSite;
        Between = between;
        NullSource = nullSource;
    }

    public UnwrapFindingKind Kind { get; }

    /// <summary>Where the diagnostic starts: <c>o.Value</c>, <c>o.Unwrap()</c>, <c>(T)o</c>, <c>x!</c>.</summary>
    public SyntaxNode Unwrap { get; }

    public string OptionalName { get; }

    public string UnwrapText { get; }

    /// <summary>KRN004: the presence test on the other read.</summary>
    public SyntaxNode? CheckSite { get; }

    /// <summary>KRN004: what lies between the test and the unwrap, if anything.</summary>
    public string? Between { get; }

    /// <summary>KRN003 on <c>x!</c>: the may-return-null method the value came from.</summary>
    public IMethodSymbol? NullSource { get; }
}

/// <summary>
/// The presence analysis of one graph (KRN003 and KRN004): tracks for each access path whether presence is established
/// (a presence test, a pattern, <c>TryUnwrap</c>, an assert, a construction with a value) and whether that test read a
/// shared resource; reports unwraps on stable states.
/// </summary>
public sealed class PresenceFlowAnalysis : ForwardFlowAnalysis<PresenceValue>
{
    private readonly OptionalTypes types;
    private readonly NullnessContext? nullness;
    private readonly NullnessOptions? nullnessOptions;
    private readonly ISymbol? owner;
    private readonly Action<UnwrapFinding> report;
    private readonly Dictionary<CaptureId, (FlowKey? Key, bool Shared)> captures = new();
    private readonly Dictionary<IOperation, IMethodSymbol?> nullSources = new();
    private readonly HashSet<SyntaxNode> reported = new();

    /// <param name="nullness">KRN001's knowledge of may-return-null calls, for <c>x!</c>; null when the graph has no <c>!</c>.</param>
    public PresenceFlowAnalysis(
        ControlFlowGraph graph,
        OptionalTypes types,
        NullnessContext? nullness,
        NullnessOptions? nullnessOptions,
        ISymbol? owningSymbol,
        Action<UnwrapFinding> report,
        CancellationToken cancellationToken)
        : base(graph, cancellationToken)
    {
        this.types = types;
        this.nullness = nullness;
        this.nullnessOptions = nullnessOptions;
        this.report = report;
        owner = graph.OriginalOperation switch
        {
            ILocalFunctionOperation localFunction => localFunction.Symbol,
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            IFlowAnonymousFunctionOperation flowLambda => flowLambda.Symbol,
            _ => owningSymbol,
        };
    }

    protected override PresenceValue DefaultValue => PresenceValue.Unknown;

    protected override PresenceValue Join(PresenceValue left, PresenceValue right) => PresenceValue.Join(left, right);

    private static readonly OperationKindSet Kinds = new(
        OperationKind.SimpleAssignment,
        OperationKind.FlowCapture,
        OperationKind.CompoundAssignment,
        OperationKind.Increment,
        OperationKind.Decrement,
        OperationKind.DeconstructionAssignment,
        OperationKind.Invocation,
        OperationKind.PropertyReference,
        OperationKind.FieldReference,
        OperationKind.Conversion,
        OperationKind.Await,
        OperationKind.YieldReturn);

    protected override OperationKindSet TransferredKinds => nullness is null ? Kinds : OperationKindSet.All;

    protected override void Transfer(IOperation operation, FlowState<PresenceValue> state)
    {
        if (nullness is not null && IsForgivenOperand(operation))
        {
            Forgiven(operation, state);
        }

        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                var assigned = Evaluate(assignment.Value, state);
                if (assignment.Target is IFlowCaptureReferenceOperation captureTarget && captures.TryGetValue(captureTarget.Id, out var targetSource))
                {
                    // o ??= v assigns through the capture of o.
                    Assign(targetSource.Key, assigned, state);
                }

                Assign(AccessPaths.KeyOf(assignment.Target), assigned, state);
                break;
            case IFlowCaptureOperation capture:
                captures[capture.Id] = capture.Value is IFlowCaptureReferenceOperation inner && captures.TryGetValue(inner.Id, out var innerSource)
                    ? innerSource
                    : (AccessPaths.KeyOf(capture.Value), AccessPaths.IsShared(capture.Value));
                SetValue(state, FlowKey.ForCapture(capture), Evaluate(capture.Value, state));
                break;
            case ICompoundAssignmentOperation compound:
                Assign(AccessPaths.KeyOf(compound.Target), PresenceValue.Unknown, state);
                break;
            case IIncrementOrDecrementOperation increment:
                Assign(AccessPaths.KeyOf(increment.Target), PresenceValue.Unknown, state);
                break;
            case IDeconstructionAssignmentOperation deconstruction:
                foreach (var target in deconstruction.Target.DescendantsAndSelf())
                {
                    Assign(AccessPaths.KeyOf(target), PresenceValue.Unknown, state);
                }

                break;
            case IInvocationOperation invocation:
                TransferInvocation(invocation, state);
                break;
            case IPropertyReferenceOperation { Instance: { } instance } property when
                OptionalTypes.IsUnwrapMember(property.Property) && !IsWriteTarget(operation) && types.ShapeOf(instance.Type) is not null:
                Unwrap(instance, operation, ".Value", state);
                break;
            case IFieldReferenceOperation { Instance: { } instance } field when
                OptionalTypes.IsUnwrapMember(field.Field) && !IsWriteTarget(operation) && types.ShapeOf(instance.Type) is { IsNullable: false }:
                Unwrap(instance, operation, ".Value", state);
                break;
            case IConversionOperation { IsImplicit: false } conversion when IsUnwrapCast(conversion):
                Unwrap(conversion.Operand, operation, "(" + CastType(conversion) + ")", state);
                break;
            case IAwaitOperation:
                NoteBetween("an 'await'", null, state);
                break;
            case IReturnOperation { Kind: OperationKind.YieldReturn }:
                NoteBetween("a 'yield return'", null, state);
                break;
        }
    }

    protected override void Refine(IOperation condition, bool value, FlowState<PresenceValue> state)
    {
        var stripped = Strip(condition);
        switch (stripped)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                Refine(not.Operand, !value, state);
                break;
            case IPropertyReferenceOperation { Instance: { } instance } property when IsPresenceTest(property.Property, instance, out var meansPresent):
                if (meansPresent == value)
                {
                    MarkPresent(instance, stripped.Syntax, state);
                }

                break;
            case IFieldReferenceOperation { Instance: { } instance } field when IsPresenceTest(field.Field, instance, out var meansPresent):
                if (meansPresent == value)
                {
                    MarkPresent(instance, stripped.Syntax, state);
                }

                break;
            case IInvocationOperation invocation:
                RefineInvocation(invocation, value, state);
                break;
            case IIsNullOperation isNull:
                if (!value)
                {
                    MarkPresent(isNull.Operand, stripped.Syntax, state);
                }

                break;
            case IBinaryOperation { IsLifted: true } lifted when PresenceTests.LiftedOperandsPresent(lifted, value):
                // p > 0, p == 5: a lifted comparison that holds only when both operands have values.
                MarkPresent(lifted.LeftOperand, stripped.Syntax, state);
                MarkPresent(lifted.RightOperand, stripped.Syntax, state);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                RefineComparison(binary, value, state);
                break;
            case IIsPatternOperation pattern when PresenceTests.BoolConstant(pattern.Pattern) is { } tested:
                // o.HasValue is false
                Refine(pattern.Value, value == tested, state);
                break;
            case IIsPatternOperation pattern:
                RefinePattern(pattern.Value, pattern.Pattern, value, stripped.Syntax, state);
                break;
        }
    }

    /// <summary><c>o.Value = x</c> stores a value; it unwraps nothing.</summary>
    private static bool IsWriteTarget(IOperation reference) =>
        reference.Parent is IAssignmentOperation assignment && assignment.Target == reference;

    private static bool IsForgivenOperand(IOperation operation)
    {
        if (operation.Parent is { } parent && parent.Syntax == operation.Syntax)
        {
            return false;
        }

        var syntax = operation.Syntax.Parent;
        while (syntax is ParenthesizedExpressionSyntax)
        {
            syntax = syntax.Parent;
        }

        return syntax is PostfixUnaryExpressionSyntax postfix && postfix.IsKind(SyntaxKind.SuppressNullableWarningExpression);
    }

    private static IOperation Strip(IOperation operation) => AccessPaths.Strip(operation) ?? operation;

    private static string CastType(IConversionOperation conversion) =>
        conversion.Syntax is CastExpressionSyntax cast ? cast.Type.ToString() : conversion.Type?.ToDisplayString() ?? "T";

    private bool IsUnwrapCast(IConversionOperation conversion)
    {
        var source = types.ShapeOf(conversion.Operand.Type);
        if (source is null || types.ShapeOf(conversion.Type) is not null)
        {
            return false;
        }

        return source.IsNullable ? conversion.Conversion.IsNullable : conversion.Conversion.IsUserDefined;
    }

    private bool IsPresenceTest(ISymbol member, IOperation instance, out bool meansPresent) =>
        OptionalTypes.IsPresenceMember(member, out meansPresent) && types.ShapeOf(instance.Type) is not null;

    /// <summary>The abstract value of an expression, without side effects.</summary>
    private PresenceValue Evaluate(IOperation operation, FlowState<PresenceValue> state)
    {
        while (operation is IParenthesizedOperation parenthesized)
        {
            operation = parenthesized.Operand;
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                if (types.ShapeOf(conversion.Type) is not null && types.ShapeOf(conversion.Operand.Type) is null)
                {
                    // A value wrapped into an optional (int to int?, T to Option<T>): present unless it is null.
                    return IsNullConstant(conversion.Operand) ? PresenceValue.Unknown : PresenceValue.Present;
                }

                return conversion.Conversion.IsUserDefined ? PresenceValue.Unknown : Evaluate(conversion.Operand, state);
            case IObjectCreationOperation creation:
                return types.ShapeOf(creation.Type) is null || !creation.Arguments.IsEmpty ? PresenceValue.Present : PresenceValue.Unknown;
            case ISimpleAssignmentOperation assignment:
                return Evaluate(assignment.Value, state);
            case IInvocationOperation invocation:
                if (IsSomeConstruction(invocation))
                {
                    return PresenceValue.Present;
                }

                var called = AccessPaths.KeyOf(invocation) is { } callKey ? GetValue(state, callKey) : PresenceValue.Unknown;
                if (!called.IsPresent && NullSourceOf(invocation) is { } source)
                {
                    return PresenceValue.MayBeNullFrom(source);
                }

                return called;
        }

        return AccessPaths.KeyOf(operation) is { } key ? GetValue(state, key) : PresenceValue.Unknown;
    }

    /// <summary><c>Option.Some(x)</c>, <c>Maybe.Just(x)</c>: a static factory of an optional type given a value.</summary>
    private bool IsSomeConstruction(IInvocationOperation invocation) =>
        invocation.TargetMethod is { IsStatic: true, Name: "Some" or "Just" } method &&
        !invocation.Arguments.IsEmpty && !method.IsExtensionMethod &&
        types.ShapeOf(method.ReturnType) is not null;

    private IMethodSymbol? NullSourceOf(IInvocationOperation invocation)
    {
        if (nullness is null || nullnessOptions is null || invocation.Type is null ||
            !(invocation.Type.IsReferenceType || invocation.Type is IPointerTypeSymbol ||
              invocation.Type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr))
        {
            return null;
        }

        if (!nullSources.TryGetValue(invocation, out var source))
        {
            source = nullness.SourceKind(invocation.TargetMethod, nullnessOptions, nullnessOptions.MaxCallChain, CancellationToken) is not null
                ? invocation.TargetMethod
                : null;
            nullSources[invocation] = source;
        }

        return source;
    }

    private void TransferInvocation(IInvocationOperation invocation, FlowState<PresenceValue> state)
    {
        var method = invocation.TargetMethod;
        var receiver = Receiver(invocation);
        if (receiver is not null && OptionalTypes.IsUnwrapMember(method) && types.ShapeOf(receiver.Type) is not null)
        {
            var text = method.Name == "Expect" ? ".Expect(...)" : "." + method.Name + "()";
            Unwrap(receiver, invocation, text, state);
        }
        else if (receiver is not null && method.Name is "Take" or "Clear" or "Reset" or "Replace" or "Insert" or "Set" &&
                 types.ShapeOf(receiver.Type) is not null)
        {
            Assign(AccessPaths.KeyOf(receiver), PresenceValue.Unknown, state);
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            if (parameter.RefKind is RefKind.Out or RefKind.Ref)
            {
                Assign(AccessPaths.KeyOf(argument.Value), PresenceValue.Unknown, state);
            }
            else if (Attributes.Find(parameter, "DoesNotReturnIf") is { } doesNotReturnIf &&
                     Attributes.BoolArgument(doesNotReturnIf) is { } stopsWhen)
            {
                Refine(argument.Value, !stopsWhen, state);
            }
        }

        NoteCall(invocation, state);
        if (Attributes.Has(method, "DoesNotReturn"))
        {
            state.MarkUnreachable();
        }
    }

    private static IOperation? Receiver(IInvocationOperation invocation)
    {
        if (invocation.Instance is { } instance)
        {
            return instance;
        }

        return invocation.TargetMethod.IsExtensionMethod && !invocation.Arguments.IsEmpty ? invocation.Arguments[0].Value : null;
    }

    private void RefineInvocation(IInvocationOperation invocation, bool value, FlowState<PresenceValue> state)
    {
        var method = invocation.TargetMethod;
        var receiver = Receiver(invocation);
        if (receiver is not null && types.ShapeOf(receiver.Type) is not null)
        {
            var member = method.MethodKind == MethodKind.PropertyGet && method.AssociatedSymbol is { } property ? property : method;
            if (OptionalTypes.IsPresenceMember(member, out var meansPresent) && meansPresent == value)
            {
                MarkPresent(receiver, invocation.Syntax, state);
            }
            else if (value && OptionalTypes.IsTryUnwrap(method))
            {
                MarkPresent(receiver, invocation.Syntax, state);
            }
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && Attributes.Find(parameter, "NotNullWhen") is { } notNullWhen &&
                Attributes.BoolArgument(notNullWhen) == value)
            {
                MarkPresent(argument.Value, invocation.Syntax, state);
            }
        }
    }

    private void RefineComparison(IBinaryOperation binary, bool value, FlowState<PresenceValue> state)
    {
        var equals = binary.OperatorKind == BinaryOperatorKind.Equals;
        var operand = IsNullConstant(binary.RightOperand) ? binary.LeftOperand
            : IsNullConstant(binary.LeftOperand) ? binary.RightOperand
            : null;
        if (operand is not null)
        {
            if (equals != value)
            {
                MarkPresent(operand, binary.Syntax, state);
            }

            return;
        }

        var (other, constant) = Strip(binary.RightOperand).ConstantValue is { HasValue: true, Value: bool right } ? (binary.LeftOperand, right)
            : Strip(binary.LeftOperand).ConstantValue is { HasValue: true, Value: bool left } ? (binary.RightOperand, left)
            : (null, false);
        if (other is not null)
        {
            // o.HasValue == true, o.IsNone != false, ...
            Refine(other, equals == value ? constant : !constant, state);
        }
    }

    private void RefinePattern(IOperation value, IPatternOperation pattern, bool matched, SyntaxNode site, FlowState<PresenceValue> state)
    {
        var shape = types.ShapeOf(value.Type);
        var nullTest = shape is { IsNullable: true } || (shape is null && value.Type is { IsReferenceType: true } or IPointerTypeSymbol);
        if (nullTest && PresenceTests.MatchesNull(pattern) is { } matchesNull && matched != matchesNull)
        {
            // is > 0, is 1 or 2, is null or 0 (failed): outcomes that a null input cannot have.
            MarkPresent(value, site, state);
            return;
        }

        switch (pattern)
        {
            case IConstantPatternOperation constant when IsNullConstant(constant.Value):
                if (!matched)
                {
                    MarkPresent(value, site, state);
                }

                break;
            case INegatedPatternOperation negated:
                RefinePattern(value, negated.Pattern, !matched, site, state);
                break;
            case IBinaryPatternOperation binaryPattern:
                if ((binaryPattern.OperatorKind == BinaryOperatorKind.And) == matched)
                {
                    RefinePattern(value, binaryPattern.LeftPattern, matched, site, state);
                    RefinePattern(value, binaryPattern.RightPattern, matched, site, state);
                }

                break;
            case IDeclarationPatternOperation { MatchesNull: false } or ITypePatternOperation:
                if (matched && nullTest)
                {
                    MarkPresent(value, site, state);
                }

                break;
            case IRecursivePatternOperation recursive:
                var presence = PresenceSubpattern(recursive);
                if (matched)
                {
                    if (nullTest || presence == true)
                    {
                        MarkPresent(value, site, state);
                        if (presence == true && recursive.DeclaredSymbol is ILocalSymbol declared)
                        {
                            SetValue(state, FlowKey.ForSymbol(declared), PresenceValue.Present);
                        }
                    }
                }
                else if (presence == false && shape is { IsValueType: true } && recursive.PropertySubpatterns.Length == 1 &&
                         recursive.DeclaredSymbol is null && recursive.DeconstructionSubpatterns.IsEmpty)
                {
                    // switch (o) { case { IsNone: true }: return; } -- past that arm, o is present.
                    MarkPresent(value, site, state);
                }

                break;
        }
    }

    /// <summary>True when a property subpattern asserts presence (<c>{ IsSome: true }</c>), false when it asserts absence, else null.</summary>
    private static bool? PresenceSubpattern(IRecursivePatternOperation recursive)
    {
        foreach (var subpattern in recursive.PropertySubpatterns)
        {
            var member = subpattern.Member switch
            {
                IPropertyReferenceOperation property => (ISymbol)property.Property,
                IFieldReferenceOperation field => field.Field,
                _ => null,
            };
            if (member is not null && OptionalTypes.IsPresenceMember(member, out var meansPresent) &&
                subpattern.Pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: bool expected } })
            {
                return expected == meansPresent;
            }
        }

        return null;
    }

    private void MarkPresent(IOperation operand, SyntaxNode site, FlowState<PresenceValue> state)
    {
        operand = Strip(operand);
        if (operand is ISimpleAssignmentOperation assignment)
        {
            operand = assignment.Target;
        }

        if (operand is IFlowCaptureReferenceOperation reference && captures.TryGetValue(reference.Id, out var captured) && captured.Key is { } source)
        {
            SetValue(state, source, captured.Shared ? PresenceValue.CheckedShared(site) : PresenceValue.Present);
        }

        if (AccessPaths.KeyOf(operand) is { } key)
        {
            SetValue(state, key, AccessPaths.IsShared(operand) ? PresenceValue.CheckedShared(site) : PresenceValue.Present);
        }
    }

    private void Unwrap(IOperation receiver, IOperation unwrap, string unwrapText, FlowState<PresenceValue> state)
    {
        var stripped = Strip(receiver);
        if (stripped is IInstanceReferenceOperation ||
            SymbolEqualityComparer.Default.Equals(owner?.ContainingType?.OriginalDefinition, stripped.Type?.OriginalDefinition))
        {
            // Inside the optional type itself (its own cast operator unwraps), or a property pattern's input: not a
            // use of a resource.
            return;
        }

        var key = AccessPaths.KeyOf(stripped);
        var value = Evaluate(stripped, state);
        if (IsReporting && reported.Add(unwrap.Syntax))
        {
            if (value.IsPresent)
            {
                if (value.CheckSite is { } site)
                {
                    report(new UnwrapFinding(UnwrapFindingKind.Race, unwrap.Syntax, AccessPaths.Describe(stripped.Syntax), unwrapText, site, value.Between, null));
                }
            }
            else if (key is null || !IsCapturedFromOuterScope(key))
            {
                report(new UnwrapFinding(UnwrapFindingKind.Unguarded, unwrap.Syntax, AccessPaths.Describe(stripped.Syntax), unwrapText, null, null, null));
            }
        }

        // Past an unwrap, the program only goes on when the value was present. A shared test stays on record, so
        // every further read that unwraps is reported too.
        if (key is not null && !value.IsPresent)
        {
            SetValue(state, key, PresenceValue.Present);
        }
    }

    /// <summary><c>x!</c> on a value from a KRN001 may-return-null source.</summary>
    private void Forgiven(IOperation operand, FlowState<PresenceValue> state)
    {
        var stripped = Strip(operand);
        if (stripped.Type is null || types.ShapeOf(stripped.Type) is not null)
        {
            return;
        }

        var key = AccessPaths.KeyOf(stripped);
        var value = Evaluate(stripped, state);
        var node = operand.Syntax.Parent!;
        while (node is ParenthesizedExpressionSyntax)
        {
            node = node.Parent!;
        }

        if (IsReporting && (value.State == Presence.MayBeNull || value.IsPresent) && reported.Add(node))
        {
            if (value.State == Presence.MayBeNull)
            {
                report(new UnwrapFinding(UnwrapFindingKind.Unguarded, node, AccessPaths.Describe(stripped.Syntax), "!", null, null, value.NullSource));
            }
            else if (value.CheckSite is { } site && stripped is IInvocationOperation invocation && NullSourceOf(invocation) is not null)
            {
                report(new UnwrapFinding(UnwrapFindingKind.Race, node, AccessPaths.Describe(stripped.Syntax), "!", site, value.Between, null));
            }
        }

        if (key is not null && value.State == Presence.MayBeNull)
        {
            SetValue(state, key, PresenceValue.Present);
        }
    }

    private bool IsCapturedFromOuterScope(FlowKey key) =>
        AccessPaths.Root(key) is ILocalSymbol or IParameterSymbol && owner is not null &&
        !SymbolEqualityComparer.Default.Equals(AccessPaths.Root(key)!.ContainingSymbol, owner);

    /// <summary>A call between a shared presence test and its unwrap: a lock release, or a call that may change the object.</summary>
    private void NoteCall(IInvocationOperation invocation, FlowState<PresenceValue> state)
    {
        var method = invocation.TargetMethod;
        if (state.Count == 0 || IsQuery(method.Name))
        {
            return;
        }

        if (IsLockRelease(method))
        {
            NoteBetween($"a lock release ('{method.Name}')", null, state);
            return;
        }

        var receiver = Receiver(invocation);
        if (receiver is not null && types.ShapeOf(receiver.Type) is not null)
        {
            return;
        }

        var touched = new List<(FlowKey? Key, bool This)>();
        if (!method.IsStatic)
        {
            var instance = invocation.Instance is null ? null : Strip(invocation.Instance);
            touched.Add(instance is null or IInstanceReferenceOperation ? (null, true) : (AccessPaths.KeyOf(instance), false));
        }

        foreach (var argument in invocation.Arguments)
        {
            var value = Strip(argument.Value);
            if (value is IInstanceReferenceOperation)
            {
                touched.Add((null, true));
            }
            else if (value.Type is { IsReferenceType: true } || argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out)
            {
                touched.Add((AccessPaths.KeyOf(value), false));
            }
        }

        foreach (var (key, isThis) in touched)
        {
            if (key is null && !isThis)
            {
                continue;
            }

            var name = isThis ? "this" : key!.Name;
            NoteBetween($"a call that may change '{name}' ('{method.Name}')", candidate =>
                isThis ? IsThisPath(candidate) : AccessPaths.StartsWith(candidate, key!) && !candidate.Equals(key), state);
        }
    }

    private static bool IsThisPath(FlowKey key) =>
        AccessPaths.Root(key) is IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false } or IMethodSymbol { IsStatic: false };

    private static bool IsQuery(string name) =>
        name.StartsWith("Get", StringComparison.Ordinal) || name.StartsWith("Is", StringComparison.Ordinal) ||
        name.StartsWith("Has", StringComparison.Ordinal) || name.StartsWith("Find", StringComparison.Ordinal) ||
        name.StartsWith("Try", StringComparison.Ordinal) || name.StartsWith("To", StringComparison.Ordinal) ||
        name is "Equals" or "GetHashCode" or "Contains" or "CompareTo" or "UnwrapOr" or "GetValueOrDefault" or "Enter" or "Lock" or "Acquire";

    private static bool IsLockRelease(IMethodSymbol method)
    {
        if (NameWords.ContainsWord(method.Name, "unlock") || NameWords.ContainsWord(method.Name, "release"))
        {
            return true;
        }

        var type = method.ContainingType?.Name ?? string.Empty;
        var lockLike = type == "Monitor" || NameWords.EndsWithWord(type, "Lock", "Spinlock", "Mutex", "Semaphore", "RwLock", "Scope");
        return lockLike && (method.Name.StartsWith("Exit", StringComparison.Ordinal) || method.Name == "Dispose");
    }

    private void NoteBetween(string description, Func<FlowKey, bool>? applies, FlowState<PresenceValue> state)
    {
        List<FlowKey>? noted = null;
        foreach (var entry in state.Entries)
        {
            if (entry.Value.CheckSite is not null && entry.Value.Between is null && (applies is null || applies(entry.Key)))
            {
                (noted ??= new List<FlowKey>()).Add(entry.Key);
            }
        }

        if (noted is null)
        {
            return;
        }

        foreach (var key in noted)
        {
            SetValue(state, key, GetValue(state, key).WithBetween(description));
        }
    }

    /// <summary><c>null</c> or <c>default</c>, also converted to the optional type.</summary>
    private static bool IsNullConstant(IOperation operation)
    {
        var inner = operation;
        while (inner is IConversionOperation { Conversion.IsUserDefined: false } conversion)
        {
            inner = conversion.Operand;
        }

        return inner is IDefaultValueOperation || (inner.ConstantValue.HasValue && inner.ConstantValue.Value is null);
    }
}
