using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.InitState;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Release;

/// <summary>A location relative to a callee: parameter <see cref="Parameter"/> (or -1: a field of <c>this</c> or a static field) and a member chain.</summary>
public sealed class ReleasePath
{
    public ReleasePath(int parameter, ImmutableArray<ISymbol> members)
    {
        Parameter = parameter;
        Members = members;
    }

    public int Parameter { get; }

    public ImmutableArray<ISymbol> Members { get; }
}

/// <summary>
/// What a method does to the objects its caller hands it: which it releases (on every path), which it uses, and which
/// locations it re-assigns on every path (a <c>Reopen</c> that stores a fresh object where a released one was).
/// </summary>
public sealed class ReleaseSummary
{
    public static readonly ReleaseSummary Empty = new(ImmutableArray<ReleasePath>.Empty, ImmutableArray<ReleasePath>.Empty, ImmutableArray<ReleasePath>.Empty);

    public ReleaseSummary(ImmutableArray<ReleasePath> released, ImmutableArray<ReleasePath> used, ImmutableArray<ReleasePath> assigned)
    {
        Released = released;
        Used = used;
        Assigned = assigned;
    }

    public ImmutableArray<ReleasePath> Released { get; }

    public ImmutableArray<ReleasePath> Used { get; }

    public ImmutableArray<ReleasePath> Assigned { get; }
}

/// <summary>
/// Per-compilation knowledge for KRN006: which calls release or reference which operand, and the lazily computed,
/// cached summaries of the compilation's own methods (bounded in call depth, as KRN001's). Lock-like types (KRN002's
/// reading, reused from <see cref="InitStateContext"/>) are never release targets: their <c>Release</c> is an unlock.
/// </summary>
public sealed class ReleaseContext
{
    public const int DefaultCallChain = 3;

    private readonly SemanticModels models;
    private readonly InitStateContext locks;
    private readonly AnalyzerOptions analyzerOptions;
    private readonly ConcurrentDictionary<SyntaxTree, (InitOptions Locks, int CallChain)> options = new();
    private readonly SharedCache<ITypeSymbol, bool> lockTypes = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<IMethodSymbol, Declaration> declarations = new(SymbolEqualityComparer.Default);
    private readonly LevelCache<ReleaseSummary> summaries = new();
    private readonly LevelCache<bool> mayRelease = new();

    public ReleaseContext(Compilation compilation, AnalyzerOptions analyzerOptions)
    {
        this.analyzerOptions = analyzerOptions;
        models = new SemanticModels(compilation);
        locks = new InitStateContext(compilation, analyzerOptions);
    }

    public int CallChainFor(SyntaxTree tree) => OptionsFor(tree).CallChain;

    /// <summary>The operand a call releases or references by its declaration or name, with the effect; null when none.</summary>
    public (ReleaseEffect Effect, IOperation Target)? DirectEffect(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var declared = declarations.GetOrAdd(method.OriginalDefinition, Declaration.Of);
        if (declared.ReleasesParameter)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter && Attributes.Has(parameter, "Releases"))
                {
                    return Target(ReleaseEffect.Release, argument.Value, invocation);
                }
            }
        }

        var effect = declared.Effect;
        if (effect == ReleaseEffect.None)
        {
            return null;
        }

        IOperation? candidate = null;
        var trackable = 0;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.None or RefKind.In or RefKind.Ref } && ReleaseNames.IsTrackable(argument.Parameter.Type))
            {
                candidate ??= argument.Value;
                trackable++;
            }
        }

        if (invocation.Instance is { } instance && !method.IsStatic && instance is not IInstanceReferenceOperation &&
            method.Parameters.Length == 0)
        {
            return Target(effect, instance, invocation);
        }

        // One object passed: pool.Free(p), Free(p), inode_put(ip). Several: only [Releases] says which.
        return trackable == 1 && method.Parameters.Length <= 2 ? Target(effect, candidate!, invocation) : null;
    }

    /// <summary>True when a call may release something: directly, or through a callee of this compilation (bounded).</summary>
    public bool MayRelease(IMethodSymbol method, int level, CancellationToken cancellationToken)
    {
        method = MethodKeys.Canonical(method);
        if (Attributes.Has(method, "Releases") || ReleaseNames.Classify(method.Name) == ReleaseEffect.Release)
        {
            return true;
        }

        foreach (var parameter in method.Parameters)
        {
            if (Attributes.Has(parameter, "Releases"))
            {
                return true;
            }
        }

        return BodyMayRelease(method, level, cancellationToken);
    }

    /// <summary>
    /// True when this call may release something its caller holds: an operand it releases by declaration or name (a
    /// lock's <c>Release</c> is not one), or, for a method of this compilation, a release somewhere in its body.
    /// </summary>
    public bool MayReleaseAt(IInvocationOperation invocation, int level, CancellationToken cancellationToken)
    {
        if (DirectEffect(invocation) is { Effect: ReleaseEffect.Release })
        {
            return true;
        }

        var method = MethodKeys.Canonical(invocation.TargetMethod);
        return BodyMayRelease(method, level, cancellationToken);
    }

    /// <summary>A look, cached per method and level, for calls in the body (of a method of this compilation) that may release.</summary>
    private bool BodyMayRelease(IMethodSymbol method, int level, CancellationToken cancellationToken)
    {
        if (level <= 0 || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        if (mayRelease.TryGetValue(method, level, out var known))
        {
            return known;
        }

        var result = false;
        if (models.BodyOf(method, cancellationToken) is { } body)
        {
            foreach (var operation in body.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation call &&
                    !SymbolEqualityComparer.Default.Equals(MethodKeys.Canonical(call.TargetMethod), method) &&
                    MayRelease(call.TargetMethod, level - 1, cancellationToken))
                {
                    result = true;
                    break;
                }
            }
        }

        return mayRelease.GetOrAdd(method, level, result);
    }

    /// <summary>The summary of a method of this compilation at a call-chain level, or null when its body cannot be read.</summary>
    public ReleaseSummary? Summary(IMethodSymbol method, int level, CancellationToken cancellationToken)
    {
        method = MethodKeys.Canonical(method);
        if (level <= 0 || method.IsAbstract || method.IsExtern || method.MethodKind != MethodKind.Ordinary || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return null;
        }

        if (summaries.TryGetValue(method, level, out var cached))
        {
            return cached;
        }

        var computed = Compute(method, level, cancellationToken);
        return computed is null ? null : summaries.GetOrAdd(method, level, computed);
    }

    private (ReleaseEffect, IOperation)? Target(ReleaseEffect effect, IOperation target, IInvocationOperation invocation)
    {
        var operand = Conversions.Strip(target);
        if (!ReleaseNames.IsTrackable(operand.Type) || IsLockLike(operand.Type, invocation.Syntax.SyntaxTree))
        {
            return null;
        }

        return (effect, operand);
    }

    private bool IsLockLike(ITypeSymbol? type, SyntaxTree tree)
    {
        if (type is IPointerTypeSymbol pointer)
        {
            type = pointer.PointedAtType;
        }

        if (type is null)
        {
            return false;
        }

        return lockTypes.GetOrAdd(type, t =>
            locks.IsLockType(t, OptionsFor(tree).Locks) || LockNames.HasLockName(t.Name) || InSystemThreading(t.ContainingNamespace));
    }

    private static bool InSystemThreading(INamespaceSymbol? ns)
    {
        for (; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            if (ns.Name == "Threading" && ns.ContainingNamespace is { Name: "System" })
            {
                return true;
            }
        }

        return false;
    }

    private (InitOptions Locks, int CallChain) OptionsFor(SyntaxTree tree) =>
        options.GetOrAdd(tree, t => (
            locks.OptionsFor(t),
            new RuleOptions(analyzerOptions, t, RuleIds.UseAfterRelease).GetInt("max_interprocedural_method_call_chain", DefaultCallChain, min: 0, max: 10)));

    private ReleaseSummary? Compute(IMethodSymbol method, int level, CancellationToken cancellationToken)
    {
        if (models.BodyOf(method, cancellationToken) is not { } body || ControlFlowGraphs.Of(body, cancellationToken) is not { } graph)
        {
            return null;
        }

        var analysis = new ReleaseFlowAnalysis(graph, this, level - 1, method, report: null, cancellationToken);
        analysis.Run();
        return analysis.BailedOut ? ReleaseSummary.Empty : analysis.ToSummary();
    }

    /// <summary>What a method's declaration says, read once per method: the calls the suite sees are mostly to a few.</summary>
    private sealed class Declaration
    {
        private Declaration(ReleaseEffect effect, bool releasesParameter)
        {
            Effect = effect;
            ReleasesParameter = releasesParameter;
        }

        /// <summary><c>[Releases]</c> on the method, else what its name says.</summary>
        public ReleaseEffect Effect { get; }

        /// <summary>One of its parameters carries <c>[Releases]</c>.</summary>
        public bool ReleasesParameter { get; }

        public static Declaration Of(IMethodSymbol method)
        {
            // An extension method reduced to its receiver's form still declares [Releases] on its `this` parameter.
            var releasesParameter = false;
            foreach (var parameter in (method.ReducedFrom ?? method).Parameters)
            {
                releasesParameter |= Attributes.Has(parameter, "Releases");
            }

            return new Declaration(Attributes.Has(method, "Releases") ? ReleaseEffect.Release : ReleaseNames.Classify(method.Name), releasesParameter);
        }
    }
}
