using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Release;

/// <summary>A use of a released object, found on a stable state.</summary>
public readonly struct ReleasedUse
{
    public ReleasedUse(SyntaxNode node, string name, string use, ReleaseSite site, bool definitely)
    {
        Node = node;
        Name = name;
        Use = use;
        Site = site;
        Definitely = definitely;
    }

    public SyntaxNode Node { get; }

    public string Name { get; }

    public string Use { get; }

    public ReleaseSite Site { get; }

    public bool Definitely { get; }
}

/// <summary>
/// The release-state analysis of one graph. In the root mode it reports uses (dereference, member access, call,
/// passing on) of objects released earlier on some path, directly or through callees' summaries; in the summary mode
/// (<c>summarized</c> set) it records which parameter and field paths the method releases on every path and which
/// it uses.
/// </summary>
public sealed class ReleaseFlowAnalysis : ForwardFlowAnalysis<ReleaseValue>
{
    private readonly ReleaseContext context;
    private readonly int level;
    private readonly IMethodSymbol? summarized;
    private readonly Action<ReleasedUse>? report;
    private readonly Dictionary<IOperation, ObjectIdentity> identities = new();
    private readonly Dictionary<ISymbol, ObjectIdentity> parameterIdentities = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IOperation, ReleaseSite> sites = new();
    private readonly HashSet<SyntaxNode> reported = new();
    private readonly List<ReleasePath> used = new();
    private readonly HashSet<FlowKey> usedKeys = new();
    private readonly HashSet<FlowKey> assignedKeys = new();
    private (BlockSyntax Body, int Index)? firstExit;

    public ReleaseFlowAnalysis(
        ControlFlowGraph graph,
        ReleaseContext context,
        int level,
        IMethodSymbol? summarized,
        Action<ReleasedUse>? report,
        CancellationToken cancellationToken)
        : base(graph, cancellationToken)
    {
        this.context = context;
        this.level = level;
        this.summarized = summarized;
        this.report = report;
    }

    protected override ReleaseValue DefaultValue => ReleaseValue.Untracked;

    protected override ReleaseValue Join(ReleaseValue left, ReleaseValue right) => ReleaseValue.Join(left, right);

    protected override void InitializeEntry(FlowState<ReleaseValue> state)
    {
        if (summarized is null)
        {
            return;
        }

        foreach (var parameter in summarized.Parameters)
        {
            if (parameter.RefKind == RefKind.None && ReleaseNames.IsTrackable(parameter.Type))
            {
                var key = FlowKey.ForSymbol(parameter);
                var identity = new ObjectIdentity(key, null);
                parameterIdentities[parameter] = identity;
                SetValue(state, key, ReleaseValue.Live(identity));
                SetValue(state, Shadow(parameter)!, ReleaseValue.Live(identity));
            }
        }
    }

    /// <summary>The method's summary, after <see cref="ForwardFlowAnalysis{TValue}.Run"/> in the summary mode.</summary>
    public ReleaseSummary ToSummary()
    {
        var released = ImmutableArray.CreateBuilder<ReleasePath>();
        if (ExitState is { IsUnreachable: false } exit)
        {
            foreach (var entry in exit.Entries)
            {
                if (!entry.Value.IsReleased || !entry.Value.Definitely)
                {
                    continue;
                }

                if (entry.Key.Symbol is IParameterSymbol shadowed && entry.Key.Instance is null && IsShadow(entry.Key))
                {
                    released.Add(new ReleasePath(shadowed.Ordinal, ImmutableArray<ISymbol>.Empty));
                }
                else if (PathOf(entry.Key) is { } path && (path.Parameter < 0 || !path.Members.IsEmpty))
                {
                    released.Add(path);
                }
            }
        }

        var assigned = ImmutableArray.CreateBuilder<ReleasePath>();
        foreach (var key in assignedKeys)
        {
            if ((ExitState is null || !GetValue(ExitState, key).IsReleased) && PathOf(key) is { } path)
            {
                assigned.Add(path);
            }
        }

        return new ReleaseSummary(released.ToImmutable(), used.ToImmutableArray(), assigned.ToImmutable());
    }

    private static readonly OperationKindSet Kinds = new(
        OperationKind.SimpleAssignment,
        OperationKind.FlowCapture,
        OperationKind.CompoundAssignment,
        OperationKind.Increment,
        OperationKind.Decrement,
        OperationKind.Invocation,
        OperationKind.FieldReference,
        OperationKind.PropertyReference,
        OperationKind.ArrayElementReference,
        OperationKind.None);

    protected override OperationKindSet TransferredKinds => Kinds;

    protected override void Transfer(IOperation operation, FlowState<ReleaseValue> state)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                Assign(assignment.Target is IFlowCaptureReferenceOperation ? TargetKey(assignment.Target) : ReleaseKeys.For(assignment.Target), assignment.Value, assignment, state);
                break;
            case IFlowCaptureOperation capture:
                Assign(FlowKey.ForCapture(capture), capture.Value, capture, state);
                break;
            case ICompoundAssignmentOperation compound:
                Assign(ReleaseKeys.For(compound.Target), null, compound, state);
                break;
            case IIncrementOrDecrementOperation increment:
                Assign(ReleaseKeys.For(increment.Target), null, increment, state);
                break;
            case IInvocationOperation invocation:
                TransferInvocation(invocation, state);
                break;
            case IFieldReferenceOperation { Instance: { } instance } when ReleaseKeys.PointerOf(instance) is null:
                Use(instance, "access to '" + ((IFieldReferenceOperation)operation).Field.Name + "'", state);
                break;
            case IPropertyReferenceOperation { Instance: { } instance } property when ReleaseKeys.PointerOf(instance) is null:
                Use(instance, "access to '" + property.Property.Name + "'", state);
                break;
            case IArrayElementReferenceOperation element:
                Use(element.ArrayReference, "element access", state);
                break;
            case { Kind: OperationKind.None } when ReleaseKeys.PointerOf(operation) is { } pointer:
                Use(pointer, "dereference", state);
                break;
        }
    }

    private void Assign(FlowKey? target, IOperation? value, IOperation at, FlowState<ReleaseValue> state)
    {
        if (target is null)
        {
            return;
        }

        var assigned = ReleaseValue.Untracked;
        if (value is not null && ReleaseNames.IsTrackable(value.Type) && ReleaseKeys.For(value) is { } source)
        {
            assigned = GetValue(state, source);
            if (assigned.Identity is null && !assigned.IsReleased)
            {
                assigned = ReleaseValue.Live(IdentityAt(at, source));
                SetValue(state, source, assigned);
            }
        }

        state.RemoveMembersOf(target);
        SetValue(state, target, assigned);
        if (summarized is not null && IsReporting && at is ISimpleAssignmentOperation && IsUnconditional(at.Syntax) &&
            PathOf(target) is { } path && (path.Parameter < 0 || !path.Members.IsEmpty))
        {
            assignedKeys.Add(target);
        }
    }

    /// <summary>
    /// A statement of the method's own body that every call runs: no branch around it and no way out before it
    /// (a syntactic reading: a re-assignment the caller may rely on).
    /// </summary>
    private bool IsUnconditional(SyntaxNode assignment)
    {
        switch (assignment.Parent)
        {
            case ArrowExpressionClauseSyntax:
                return true;
            case ExpressionStatementSyntax { Parent: BlockSyntax { Parent: BaseMethodDeclarationSyntax } body } statement:
                return body.Statements.IndexOf(statement) <= FirstExitIn(body);
            default:
                return false;
        }
    }

    /// <summary>The index of the first statement of the body that may leave it (return, throw, goto), read once.</summary>
    private int FirstExitIn(BlockSyntax body)
    {
        if (firstExit is { } known && known.Body == body)
        {
            return known.Index;
        }

        var index = 0;
        while (index < body.Statements.Count &&
               !body.Statements[index].DescendantNodesAndSelf().Any(node => node is ReturnStatementSyntax or ThrowStatementSyntax or GotoStatementSyntax or ThrowExpressionSyntax))
        {
            index++;
        }

        firstExit = (body, index);
        return index;
    }

    private void TransferInvocation(IInvocationOperation invocation, FlowState<ReleaseValue> state)
    {
        var method = invocation.TargetMethod;
        if (invocation.Instance is { } instance && !method.IsStatic && instance is not IInstanceReferenceOperation)
        {
            Use(instance, "call to '" + method.Name + "'", state);
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out)
            {
                continue;
            }

            if (argument.Parameter?.RefKind is not RefKind.Ref)
            {
                Use(argument.Value, "passed to '" + method.Name + "'", state);
            }
        }

        // Summaries only matter where something is (or may get) released; the summary mode needs callees' uses too.
        var summary = level > 0 && (summarized is not null || HasReleased(state) || context.MayRelease(method, level, CancellationToken))
            ? context.Summary(method, level, CancellationToken)
            : null;
        if (summary is not null && !summary.Used.IsEmpty)
        {
            foreach (var path in summary.Used)
            {
                if (Map(path, invocation) is { } mapped)
                {
                    UseKey(mapped.Key, mapped.Node, "used by '" + method.Name + "'", state, mapped.Key.Name);
                }
            }
        }

        if (context.DirectEffect(invocation) is { } direct && ReleaseKeys.For(direct.Target) is { } target)
        {
            if (direct.Effect == ReleaseEffect.Release)
            {
                Release(target, Site(invocation, method.Name), state);
            }
            else
            {
                AddRef(target, invocation, state);
            }
        }

        if (summary is not null)
        {
            foreach (var path in summary.Released)
            {
                if (Map(path, invocation) is { } mapped)
                {
                    Release(mapped.Key, Site(invocation, method.Name), state);
                }
            }
        }

        if (summary is not null)
        {
            foreach (var path in summary.Assigned)
            {
                if (Map(path, invocation) is { } mapped)
                {
                    // The callee stored a fresh object there: what was released is no longer reachable through it.
                    state.RemoveMembersOf(mapped.Key);
                    SetValue(state, mapped.Key, ReleaseValue.Untracked);
                }
            }
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref && ReleaseKeys.For(argument.Value) is { } written)
            {
                // The callee may have re-assigned (or nulled) it.
                state.RemoveMembersOf(written);
                SetValue(state, written, ReleaseValue.Untracked);
            }
        }
    }

    private void Use(IOperation operand, string use, FlowState<ReleaseValue> state)
    {
        if (ReleaseKeys.For(operand) is { } key)
        {
            UseKey(key, Conversions.Strip(operand).Syntax, use, state);
        }
    }

    private static bool HasReleased(FlowState<ReleaseValue> state)
    {
        foreach (var entry in state.Entries)
        {
            if (entry.Value.IsReleased)
            {
                return true;
            }
        }

        return false;
    }

    private void UseKey(FlowKey key, SyntaxNode node, string use, FlowState<ReleaseValue> state, string? name = null)
    {
        var value = GetValue(state, key);
        if (summarized is not null)
        {
            RecordUse(key, value);
            return;
        }

        if (value.Site is { } site && IsReporting && report is not null && reported.Add(node))
        {
            report(new ReleasedUse(node, name ?? Describe(node, key), use, site, value.Definitely));
        }
    }

    /// <summary>In the summary mode: a use of an object the caller handed in (a parameter's member path, a field).</summary>
    private void RecordUse(FlowKey key, ReleaseValue value)
    {
        var origin = value.Identity?.Origin ?? key;
        if (value.Identity is { At: not null } && !IsCallerVisible(origin))
        {
            return;
        }

        if (PathOf(origin) is { } path && (path.Parameter < 0 || !path.Members.IsEmpty) && usedKeys.Add(origin))
        {
            used.Add(path);
        }
    }

    private void Release(FlowKey target, ReleaseSite site, FlowState<ReleaseValue> state)
    {
        var value = GetValue(state, target);
        if (value.IsReleased)
        {
            return;
        }

        if (value.Identity is { } identity && value.Refs > 0)
        {
            SetAll(state, identity, ReleaseValue.Live(identity, value.Refs - 1));
            return;
        }

        var released = ReleaseValue.Released(value.Identity, site);
        if (value.Identity is { } aliased)
        {
            SetAll(state, aliased, released);
        }

        state.RemoveMembersOf(target);
        SetValue(state, target, released);
    }

    private void AddRef(FlowKey target, IOperation at, FlowState<ReleaseValue> state)
    {
        var value = GetValue(state, target);
        if (value.IsReleased)
        {
            return;
        }

        var identity = value.Identity ?? IdentityAt(at, target);
        SetAll(state, identity, ReleaseValue.Live(identity, value.Refs + 1));
        SetValue(state, target, ReleaseValue.Live(identity, value.Refs + 1));
    }

    private void SetAll(FlowState<ReleaseValue> state, ObjectIdentity identity, ReleaseValue value)
    {
        var aliases = new List<FlowKey>();
        foreach (var entry in state.Entries)
        {
            if (ReferenceEquals(entry.Value.Identity, identity))
            {
                aliases.Add(entry.Key);
            }
        }

        foreach (var alias in aliases)
        {
            SetValue(state, alias, value);
        }
    }

    /// <summary>A summary path as the caller's location, with the node a diagnostic starts at.</summary>
    private (FlowKey Key, SyntaxNode Node)? Map(ReleasePath path, IInvocationOperation invocation)
    {
        FlowKey? key;
        SyntaxNode node;
        var members = path.Members;
        if (path.Parameter >= 0)
        {
            IOperation? argument = null;
            foreach (var candidate in invocation.Arguments)
            {
                if (candidate.Parameter?.Ordinal == path.Parameter)
                {
                    argument = candidate.Value;
                }
            }

            if (argument is null)
            {
                return null;
            }

            key = ReleaseKeys.For(argument);
            node = Conversions.Strip(argument).Syntax;
        }
        else
        {
            if (members.IsEmpty)
            {
                return null;
            }

            var root = members[0];
            members = members.RemoveAt(0);
            var receiver = invocation.Instance;
            if (root.IsStatic || receiver is null or IInstanceReferenceOperation)
            {
                key = FlowKey.ForSymbol(root);
            }
            else
            {
                key = ReleaseKeys.For(receiver) is { } owner ? ReleaseKeys.Member(root, owner, owner.Name + "." + root.Name) : null;
            }

            node = invocation.Syntax;
        }

        foreach (var member in members)
        {
            if (key is null)
            {
                return null;
            }

            key = ReleaseKeys.Member(member, key, key.Name + (member.ContainingType?.IsValueType == true ? "->" : ".") + member.Name);
        }

        return key is null ? null : (key, node);
    }

    /// <summary>A location relative to the summarized method: a parameter's member path or a field path, else null.</summary>
    private ReleasePath? PathOf(FlowKey key)
    {
        if (summarized is null)
        {
            return null;
        }

        var members = new List<ISymbol>();
        var current = key;
        while (current.Instance is { } owner)
        {
            if (current.Symbol is null)
            {
                return null;
            }

            members.Add(current.Symbol);
            current = owner;
        }

        members.Reverse();
        switch (current.Symbol)
        {
            case IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, summarized) && !IsShadow(current):
                return new ReleasePath(parameter.Ordinal, members.ToImmutableArray());
            case IFieldSymbol or IPropertySymbol when !IsShadow(current):
                members.Insert(0, current.Symbol);
                return new ReleasePath(-1, members.ToImmutableArray());
            default:
                return null;
        }
    }

    private bool IsCallerVisible(FlowKey origin) => PathOf(origin) is not null;

    private ObjectIdentity IdentityAt(IOperation at, FlowKey origin)
    {
        if (!identities.TryGetValue(at, out var identity))
        {
            identity = new ObjectIdentity(origin, at);
            identities[at] = identity;
        }

        return identity;
    }

    private ReleaseSite Site(IOperation call, string releaser)
    {
        if (!sites.TryGetValue(call, out var site))
        {
            site = new ReleaseSite(call, releaser);
            sites[call] = site;
        }

        return site;
    }

    private static FlowKey? Shadow(IParameterSymbol parameter) => FlowKey.ForAccess(parameter, null, "#released", parameter.Name);

    private static bool IsShadow(FlowKey key) => key.Instance is null && key.Symbol is IParameterSymbol parameter && key.Equals(Shadow(parameter));

    private static string Describe(SyntaxNode node, FlowKey key)
    {
        var text = string.Join(" ", node.ToString().Split(new[] { ' ', '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries));
        if (node is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax || text.Length > 60)
        {
            text = key.Name;
        }

        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
