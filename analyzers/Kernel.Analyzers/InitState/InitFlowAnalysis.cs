using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.InitState;

/// <summary>
/// The init-state analysis of one graph. Locals of a lock-like type start uninitialized; fields and parameters start
/// in their entry state (assumed initialized, unless this method initializes them itself: then a use in the entry
/// state comes before the init). In the root mode it reports rule 1 (use before init), rule 2 (a call that uses a
/// lock before the initializer initializes it) and rule 4 (re-init while held); in the summary mode
/// (<c>summarized</c> set) it records what the method does to fields and parameters, for its callers.
/// </summary>
public sealed class InitFlowAnalysis : ForwardFlowAnalysis<InitBits>
{
    private const InitBits NotReady = InitBits.Uninitialized | InitBits.Entry;

    private readonly InitStateContext context;
    private readonly InitOptions options;
    private readonly int level;
    private readonly IMethodSymbol? summarized;
    private readonly Action<InitFinding>? report;
    private readonly Dictionary<CaptureId, IOperation> captures = new();
    private readonly Dictionary<FlowKey, SyntaxNode> initSites = new();
    private readonly Dictionary<FlowKey, SyntaxNode> acquireSites = new();
    private readonly Dictionary<IMethodSymbol, InitSummary?> calleeSummaries = new(SymbolEqualityComparer.Default);
    private readonly HashSet<SyntaxNode> reported = new();
    private readonly Dictionary<FlowKey, InitFinding> firstUses = new();
    private readonly List<InitFinding> heldInits = new();
    private readonly HashSet<FlowKey> heldKeys = new();
    private readonly Dictionary<IFieldSymbol, Location> initializedFields = new(SymbolEqualityComparer.Default);
    private readonly HashSet<int> initializedParameters = new();
    private readonly Dictionary<IFieldSymbol, UseSite> usedFields = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<int, UseSite> usedParameters = new();
    private bool scanning;

    public InitFlowAnalysis(
        ControlFlowGraph graph,
        InitStateContext context,
        InitOptions options,
        int level,
        IMethodSymbol? summarized,
        Action<InitFinding>? report,
        CancellationToken cancellationToken)
        : base(graph, cancellationToken)
    {
        this.context = context;
        this.options = options;
        this.level = level;
        this.summarized = summarized;
        this.report = report;
    }

    protected override InitBits DefaultValue => InitBits.Entry;

    protected override InitBits Join(InitBits left, InitBits right) => left | right;

    /// <summary>
    /// Finds every init of the graph first (so whether a method initializes a location is known before any state is
    /// computed, which keeps the transfer monotone), then runs the fixpoint and the reporting pass.
    /// </summary>
    public void Analyze()
    {
        scanning = true;
        var scratch = new FlowState<InitBits>();
        foreach (var block in Graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                Walk(operation, scratch);
            }

            if (block.BranchValue is { } branch)
            {
                Walk(branch, scratch);
            }
        }

        scanning = false;
        acquireSites.Clear();
        Run();
        if (BailedOut || report is null)
        {
            return;
        }

        var findings = new List<InitFinding>();
        foreach (var entry in firstUses)
        {
            if (!heldKeys.Contains(entry.Key))
            {
                findings.Add(entry.Value);
            }
        }

        findings.AddRange(heldInits);
        findings.Sort((x, y) => x.Node.SpanStart.CompareTo(y.Node.SpanStart));
        foreach (var finding in findings)
        {
            if (reported.Add(finding.Node))
            {
                report(finding);
            }
        }
    }

    public InitSummary ToSummary()
    {
        if (initializedFields.Count == 0 && initializedParameters.Count == 0 && usedFields.Count == 0 && usedParameters.Count == 0)
        {
            return InitSummary.Empty;
        }

        return new InitSummary(
            initializedFields.ToImmutableDictionary(SymbolEqualityComparer.Default),
            initializedParameters.ToImmutableHashSet(),
            usedFields.ToImmutableDictionary(SymbolEqualityComparer.Default),
            usedParameters.ToImmutableDictionary());
    }

    protected override void InitializeEntry(FlowState<InitBits> state)
    {
        var regions = new Stack<ControlFlowRegion>();
        regions.Push(Graph.Root);
        while (regions.Count > 0)
        {
            var region = regions.Pop();
            foreach (var local in region.Locals)
            {
                if (local.Type is not IPointerTypeSymbol && context.IsLockType(local.Type, options))
                {
                    SetValue(state, FlowKey.ForSymbol(local), InitBits.Uninitialized);
                }
            }

            foreach (var nested in region.NestedRegions)
            {
                regions.Push(nested);
            }
        }
    }

    private static readonly OperationKindSet Kinds = new(
        OperationKind.FlowCapture,
        OperationKind.Invocation,
        OperationKind.SimpleAssignment,
        OperationKind.ArrayElementReference,
        OperationKind.FieldReference,
        OperationKind.PropertyReference,
        OperationKind.None);

    protected override OperationKindSet TransferredKinds => Kinds;

    protected override void Transfer(IOperation operation, FlowState<InitBits> state)
    {
        switch (operation)
        {
            case IFlowCaptureOperation capture:
                captures[capture.Id] = capture.Value;
                break;
            case IInvocationOperation invocation:
                TransferInvocation(invocation, state);
                break;
            case ISimpleAssignmentOperation assignment:
                Assign(assignment, state);
                break;
            case IArrayElementReferenceOperation element:
                UseData(element.ArrayReference, state);
                break;
            case IFieldReferenceOperation { Instance: { Kind: not OperationKind.None, Type.IsReferenceType: true } instance }:
                UseData(instance, state);
                break;
            case IPropertyReferenceOperation { Instance: { Kind: not OperationKind.None, Type.IsReferenceType: true } instance }:
                UseData(instance, state);
                break;
            case { Kind: OperationKind.None }:
                foreach (var child in operation.ChildOperations)
                {
                    if (child.Type is IPointerTypeSymbol)
                    {
                        UseData(child, state);
                    }

                    break;
                }

                break;
        }
    }

    protected override void Refine(IOperation condition, bool value, FlowState<InitBits> state)
    {
        condition = Conversions.Strip(condition);
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                Refine(not.Operand, !value, state);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                var (other, constant) = binary.RightOperand.ConstantValue is { HasValue: true, Value: bool right } ? (binary.LeftOperand, right)
                    : binary.LeftOperand.ConstantValue is { HasValue: true, Value: bool left } ? (binary.RightOperand, left)
                    : (null, false);
                if (other is not null)
                {
                    var equal = binary.OperatorKind == BinaryOperatorKind.Equals;
                    Refine(other, equal == value ? constant : !constant, state);
                }

                break;
            case IPropertyReferenceOperation property:
                RefineInitCheck(property.Instance, property.Property.Name, value, state);
                break;
            case IFieldReferenceOperation field:
                RefineInitCheck(field.Instance, field.Field.Name, value, state);
                break;
            case ILocalReferenceOperation local:
                RefineInitCheck(null, local.Local.Name, value, state);
                break;
            case IInvocationOperation invocation:
                if (!value && invocation.Instance is { } instance && LockNames.Classify(invocation.TargetMethod) == LockOperation.TryAcquire &&
                    Resolve(instance) is { Key: { } key })
                {
                    SetValue(state, key, GetValue(state, key) & ~InitBits.AnyHeld);
                }
                else
                {
                    RefineInitCheck(invocation.Instance, invocation.TargetMethod.Name, value, state);
                }

                break;
        }
    }

    /// <summary>
    /// <c>l.IsInitialized</c> is true: <c>l</c> is ready. A flag of the method's own (<c>s_initialized</c>, <c>IsReady</c>)
    /// is true: initialization already happened, so the locations this method initializes are ready too.
    /// </summary>
    private void RefineInitCheck(IOperation? instance, string name, bool value, FlowState<InitBits> state)
    {
        if (!LockNames.IsInitCheckName(name))
        {
            return;
        }

        if (name.StartsWith("Not", StringComparison.OrdinalIgnoreCase) || name.IndexOf("_not", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            value = !value;
        }

        if (!value)
        {
            return;
        }

        if (instance is not null and not IInstanceReferenceOperation)
        {
            if (Resolve(instance) is { Key: { } key })
            {
                SetValue(state, key, GetValue(state, key) & InitBits.AnyHeld);
            }

            return;
        }

        foreach (var key in initSites.Keys)
        {
            if (key.Symbol is not ILocalSymbol)
            {
                SetValue(state, key, GetValue(state, key) & InitBits.AnyHeld);
            }
        }
    }

    private void TransferInvocation(IInvocationOperation invocation, FlowState<InitBits> state)
    {
        var method = invocation.TargetMethod;
        if (invocation.Instance is { } instance && !method.IsStatic && Resolve(instance) is { } receiver)
        {
            var operation = LockNames.Classify(method);
            if (receiver.IsLock)
            {
                Apply(operation, receiver, invocation.Syntax, LockNames.Describe(method), callee: null, site: null, state);
            }
            else if (operation != LockOperation.Query)
            {
                Apply(operation == LockOperation.Init ? LockOperation.Init : LockOperation.Use, receiver, invocation.Syntax, LockNames.Describe(method), null, null, state);
            }
        }

        var summary = SummaryOf(method);
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            if (Resolve(argument.Value) is { } storage)
            {
                if (storage.LockType is { } lockType)
                {
                    var effect = context.EffectOfArgument(method, parameter, lockType, summary);
                    Apply(effect.Operation, storage, effect.Site is null ? invocation.Syntax : argument.Syntax, effect.Site?.Use ?? LockNames.Describe(method),
                        effect.Site is null ? null : method, effect.Site, state);
                }
                else if (summary is not null && summary.InitializedParameters.Contains(parameter.Ordinal))
                {
                    Apply(LockOperation.Init, storage, argument.Syntax, LockNames.Describe(method), null, null, state);
                }
                else if (summary is not null && summary.UsedParameters.TryGetValue(parameter.Ordinal, out var dataSite))
                {
                    Apply(LockOperation.Use, storage, argument.Syntax, dataSite.Use, method, dataSite, state);
                }
            }
            else if (summarized is not null && summary is not null && IsReporting && RootParameter(argument.Value) is var root and >= 0)
            {
                // A containing object (a struct by ref, a pointer to one) that holds the lock: pass the facts on.
                if (summary.UsedParameters.TryGetValue(parameter.Ordinal, out var site) && !initializedParameters.Contains(root) &&
                    !usedParameters.ContainsKey(root))
                {
                    usedParameters[root] = Through(method, site);
                }

                if (summary.InitializedParameters.Contains(parameter.Ordinal))
                {
                    initializedParameters.Add(root);
                }
            }
        }

        if (summary is null || summary.IsEmpty)
        {
            return;
        }

        var onThis = method.IsStatic || invocation.Instance is null or IInstanceReferenceOperation;
        foreach (var used in summary.UsedFields)
        {
            // A callee that uses a field and then initializes it has the bug itself (reported there), not its caller.
            if ((used.Key.IsStatic || onThis) && !summary.InitializedFields.ContainsKey(used.Key))
            {
                Apply(LockOperation.Use, FieldStorage(used.Key), invocation.Syntax, used.Value.Use, method, used.Value, state);
            }
        }

        foreach (var initialized in summary.InitializedFields)
        {
            if (initialized.Key.IsStatic || onThis)
            {
                Apply(LockOperation.Init, FieldStorage(initialized.Key), invocation.Syntax, LockNames.Describe(method), null, null, state);
            }
        }
    }

    private void Assign(ISimpleAssignmentOperation assignment, FlowState<InitBits> state)
    {
        var target = Conversions.Strip(assignment.Target);
        if (Resolve(target) is not { Key: { } key } storage)
        {
            return;
        }

        var value = Conversions.Strip(assignment.Value);
        if (storage.IsLock)
        {
            if (target.Type is IPointerTypeSymbol)
            {
                SetValue(state, key, InitBits.Entry);
            }
            else if (context.IsFreshLock(value, CancellationToken))
            {
                SetValue(state, key, InitBits.Uninitialized);
            }
            else if (value is IInvocationOperation or IObjectCreationOperation)
            {
                Apply(LockOperation.Init, storage, assignment.Syntax, "an assignment", null, null, state);
            }
            else
            {
                SetValue(state, key, Resolve(value) is { Key: { } source } ? GetValue(state, source) : InitBits.Ready);
            }
        }
        else if (storage.IsData && !IsNullish(value) && target.Kind != OperationKind.None)
        {
            // s_table = Alloc() initializes the data; s_table[0] = x writes through it, a use (the walk saw it).
            Apply(LockOperation.Init, storage, assignment.Syntax, "an assignment", null, null, state);
        }
    }

    private void UseData(IOperation reference, FlowState<InitBits> state)
    {
        if (Resolve(reference) is { IsData: true } storage)
        {
            Apply(LockOperation.Use, storage, reference.Syntax, "a dereference", null, null, state);
        }
    }

    private void Apply(LockOperation operation, Storage storage, SyntaxNode node, string use, IMethodSymbol? callee, UseSite? site, FlowState<InitBits> state)
    {
        switch (operation)
        {
            case LockOperation.Init:
                Init(storage, node, use, state);
                break;
            case LockOperation.Acquire or LockOperation.TryAcquire:
                // Taken in its entry state (a field assumed initialized): held from here on. If an init follows
                // while it is still held, that init is a re-init while held (rule 4), not this acquire's fault.
                var before = Use(storage, node, use, callee, site, state);
                if (storage.Key is { } acquired && (before & InitBits.Uninitialized) == 0)
                {
                    var held = (before & InitBits.Entry) == 0 ? InitBits.Held : InitBits.HeldFromEntry;
                    SetValue(state, acquired, GetValue(state, acquired) | held);
                    if (!acquireSites.ContainsKey(acquired))
                    {
                        acquireSites[acquired] = node;
                    }
                }

                break;
            case LockOperation.Release:
                Use(storage, node, use, callee, site, state);
                if (storage.Key is { } released)
                {
                    SetValue(state, released, GetValue(state, released) & ~InitBits.AnyHeld);
                }

                break;
            case LockOperation.Use:
                Use(storage, node, use, callee, site, state);
                break;
            case LockOperation.Escape:
                if (storage.Key is { } escaped)
                {
                    SetValue(state, escaped, GetValue(state, escaped) & InitBits.AnyHeld);
                }

                break;
        }
    }

    /// <summary>
    /// A location in its entry state that was initialized before this method ran: a parameter (the caller's lock), or a
    /// field that another member initializes. Taking it and then initializing it is a re-init while held.
    /// </summary>
    private bool IsHeld(InitBits value, Storage storage) =>
        (value & InitBits.Held) != 0 || ((value & InitBits.HeldFromEntry) != 0 && InitializedBefore(storage));

    private bool InitializedBefore(Storage storage) =>
        storage.Key?.Symbol is IParameterSymbol ||
        (storage.Field is { } field && context.InitializedOutside(field, Graph.OriginalOperation.Syntax, CancellationToken));

    /// <summary>A use of <paramref name="storage"/>; returns its state before the use.</summary>
    private InitBits Use(Storage storage, SyntaxNode node, string use, IMethodSymbol? callee, UseSite? site, FlowState<InitBits> state)
    {
        var value = storage.Key is { } key ? GetValue(state, key) : InitBits.Entry;
        if ((value & NotReady) == 0 || !IsReporting || scanning)
        {
            return value;
        }

        if (summarized is not null && (value & InitBits.Entry) != 0)
        {
            RecordUse(storage, node, use, callee, site);
        }

        if (report is not null && storage.Key is { } reportedKey)
        {
            var late = initSites.TryGetValue(reportedKey, out var init) ? init : null;
            if ((value & InitBits.Uninitialized) != 0 || late is not null)
            {
                // One diagnostic per lock: the first use in the source that comes before its init.
                var finding = Finding(storage, node, use, callee, site, late);
                if (!firstUses.TryGetValue(reportedKey, out var first) || node.SpanStart < first.Node.SpanStart)
                {
                    firstUses[reportedKey] = finding;
                }
            }
        }

        return value;
    }

    private void Init(Storage storage, SyntaxNode node, string use, FlowState<InitBits> state)
    {
        if (storage.Key is { } key)
        {
            var value = GetValue(state, key);
            if (IsReporting && !scanning && report is not null && IsHeld(value, storage) && !heldInits.Exists(f => f.Node == node))
            {
                heldKeys.Add(key);
                heldInits.Add(new InitFinding(InitFindingKind.InitWhileHeld, node, storage.Name, use)
                {
                    HeldAt = acquireSites.TryGetValue(key, out var held) ? held : null,
                });
            }

            SetValue(state, key, InitBits.Ready);
            if (!initSites.TryGetValue(key, out var first) || node.SpanStart < first.SpanStart)
            {
                initSites[key] = node;
            }
        }

        if (IsReporting && !scanning && summarized is not null)
        {
            if (storage.Field is { } field && !initializedFields.ContainsKey(field))
            {
                initializedFields[field] = node.GetLocation();
            }

            if (storage.Parameter >= 0)
            {
                initializedParameters.Add(storage.Parameter);
            }
        }
    }

    private void RecordUse(Storage storage, SyntaxNode node, string use, IMethodSymbol? callee, UseSite? site)
    {
        var recorded = callee is not null && site is not null ? Through(callee, site) : new UseSite(node.GetLocation(), use, null);
        if (storage.Field is { } field && !usedFields.ContainsKey(field))
        {
            usedFields[field] = recorded;
        }

        if (storage.Parameter >= 0 && !usedParameters.ContainsKey(storage.Parameter))
        {
            usedParameters[storage.Parameter] = recorded;
        }
    }

    private static UseSite Through(IMethodSymbol callee, UseSite site) =>
        new(site.Location, site.Use, "'" + callee.Name + "'" + (site.Through is null ? string.Empty : " -> " + site.Through));

    private InitFinding Finding(Storage storage, SyntaxNode node, string use, IMethodSymbol? callee, UseSite? site, SyntaxNode? late)
    {
        var kind = callee is not null && storage.Key?.Symbol is not ILocalSymbol ? InitFindingKind.CallBeforeInit : InitFindingKind.UseBeforeInit;
        return new InitFinding(kind, node, storage.Name, use)
        {
            Callee = callee,
            CalleeUse = site,
            Init = late,
            InitIsLater = late is not null && late.SpanStart > node.SpanStart,
            InitStatement = late is null ? InitStatementFor(storage) : null,
        };
    }

    /// <summary><c>l.Init();</c> when the lock type has a parameterless instance init method, for the fix to insert.</summary>
    private static string? InitStatementFor(Storage storage)
    {
        if (storage.LockType is not { } lockType || storage.Key is null || storage.Key.Symbol is null)
        {
            return null;
        }

        for (var type = lockType; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, Parameters.IsEmpty: true } method &&
                    LockNames.IsInitName(method.Name))
                {
                    var receiver = storage.Pointer ? storage.Name + "->" : storage.Name + ".";
                    return receiver + method.Name + "();";
                }
            }
        }

        return null;
    }

    private InitSummary? SummaryOf(IMethodSymbol method)
    {
        if (!calleeSummaries.TryGetValue(method, out var summary))
        {
            summary = context.Summary(method, level, CancellationToken);
            calleeSummaries[method] = summary;
        }

        return summary;
    }

    private Storage FieldStorage(IFieldSymbol field) =>
        new(FlowKey.ForSymbol(field), field, -1, field.Name, context.LockTypeOf(field.Type, options), context.IsGuardedData(field, options), field.Type is IPointerTypeSymbol);

    /// <summary>The lock-like storage (or guarded data) an expression denotes, through <c>&amp;</c>, <c>*</c>, <c>-&gt;</c> and captures.</summary>
    private Storage? Resolve(IOperation operation)
    {
        operation = Unwrap(Conversions.Strip(operation));
        if (operation is IAddressOfOperation addressOf)
        {
            operation = Unwrap(Conversions.Strip(addressOf.Reference));
        }

        var pointer = false;
        var keyOperation = operation;
        if (operation.Kind == OperationKind.None)
        {
            // *p, p->M(), p[i]: the pointee, tracked under the pointer's key.
            IOperation? first = null;
            foreach (var child in operation.ChildOperations)
            {
                first = child;
                break;
            }

            if (first?.Type is not IPointerTypeSymbol)
            {
                return null;
            }

            keyOperation = Unwrap(Conversions.Strip(first));
            pointer = true;
        }
        else if (operation.Type is IPointerTypeSymbol)
        {
            pointer = true;
        }

        var lockType = context.LockTypeOf(operation.Type, options);
        var key = FlowKey.For(keyOperation);
        var data = key?.Symbol is IFieldSymbol dataField && context.IsGuardedData(dataField, options);
        if (lockType is null && !data)
        {
            return null;
        }

        var field = key is { Instance: null, Symbol: IFieldSymbol rootField } ? rootField : null;
        var name = key?.Name ?? operation.Syntax.ToString();
        return new Storage(key, field, RootParameter(operation), name, lockType, data, pointer);
    }

    private IOperation Unwrap(IOperation operation)
    {
        for (var depth = 0; depth < 8 && operation is IFlowCaptureReferenceOperation reference && captures.TryGetValue(reference.Id, out var origin); depth++)
        {
            operation = Conversions.Strip(origin);
        }

        return operation;
    }

    /// <summary>The parameter a storage path starts from (<c>l</c>, <c>*l</c>, <c>m-&gt;Lock</c>, <c>s.Lock</c>), or -1.</summary>
    private int RootParameter(IOperation operation)
    {
        for (var depth = 0; depth < 8; depth++)
        {
            operation = Unwrap(Conversions.Strip(operation));
            switch (operation)
            {
                case IParameterReferenceOperation parameter:
                    return summarized is not null && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, summarized)
                        ? parameter.Parameter.Ordinal
                        : -1;
                case IFieldReferenceOperation { Instance: { } instance } when instance is not IInstanceReferenceOperation:
                    operation = instance;
                    continue;
                case IAddressOfOperation addressOf:
                    operation = addressOf.Reference;
                    continue;
                case IArrayElementReferenceOperation element:
                    operation = element.ArrayReference;
                    continue;
                case { Kind: OperationKind.None }:
                    IOperation? first = null;
                    foreach (var child in operation.ChildOperations)
                    {
                        first = child;
                        break;
                    }

                    if (first is null)
                    {
                        return -1;
                    }

                    operation = first;
                    continue;
                default:
                    return -1;
            }
        }

        return -1;
    }

    /// <summary><c>null</c>, <c>default</c>, <c>0</c>, <c>(T*)0</c>: a reset of guarded data, not an init.</summary>
    private static bool IsNullish(IOperation value) =>
        value is IDefaultValueOperation ||
        (value.ConstantValue.HasValue && value.ConstantValue.Value is null or 0 or 0L or 0u or 0ul);

    private readonly struct Storage
    {
        public Storage(FlowKey? key, IFieldSymbol? field, int parameter, string name, INamedTypeSymbol? lockType, bool isData, bool pointer)
        {
            Key = key;
            Field = field;
            Parameter = parameter;
            Name = name;
            LockType = lockType;
            IsData = isData;
            Pointer = pointer;
        }

        public FlowKey? Key { get; }

        /// <summary>The static field or field of <c>this</c> the key is, for summaries.</summary>
        public IFieldSymbol? Field { get; }

        /// <summary>The parameter of the summarized method the storage is reached from, or -1.</summary>
        public int Parameter { get; }

        public string Name { get; }

        public INamedTypeSymbol? LockType { get; }

        public bool IsLock => LockType is not null;

        public bool IsData { get; }

        /// <summary>The key is a pointer and the storage its pointee.</summary>
        public bool Pointer { get; }
    }
}
