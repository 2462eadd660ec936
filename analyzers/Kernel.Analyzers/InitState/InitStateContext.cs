using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.InitState;

/// <summary>The effect of passing lock-like storage to a parameter.</summary>
public readonly struct ArgumentEffect
{
    public ArgumentEffect(LockOperation operation, UseSite? site)
    {
        Operation = operation;
        Site = site;
    }

    public LockOperation Operation { get; }

    /// <summary>Where the callee uses it, when a summary says so.</summary>
    public UseSite? Site { get; }
}

/// <summary>
/// Per-compilation knowledge for KRN002: which types are lock-like, which constructors initialize, the lazily computed
/// and cached per-method summaries (a summary at level k reads callees' summaries at level k - 1, so the call chain
/// is bounded and results do not depend on the order of analysis), and the compilation-wide record of which lock
/// fields are used and initialized (for the compilation-end rule).
/// </summary>
public sealed class InitStateContext
{
    private readonly AnalyzerOptions analyzerOptions;
    private readonly SemanticModels models;
    private readonly ConcurrentDictionary<SyntaxTree, InitOptions> options = new();
    private readonly SharedCache<ITypeSymbol, TypeFacts> types = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<IMethodSymbol, bool> initializingConstructors = new(SymbolEqualityComparer.Default);
    private readonly LevelCache<InitSummary> summaries = new();
    private readonly ConcurrentDictionary<IFieldSymbol, UseSite> usedFields = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IFieldSymbol, bool> initializedFields = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<IFieldSymbol, System.Collections.Immutable.ImmutableArray<SyntaxNode>> membersInitializing = new(SymbolEqualityComparer.Default);
    private readonly ModelCache<IOperation, BodyFacts> bodyFacts = new();

    public InitStateContext(Compilation compilation, AnalyzerOptions analyzerOptions)
    {
        Compilation = compilation;
        this.analyzerOptions = analyzerOptions;
        models = new SemanticModels(compilation);
    }

    public Compilation Compilation { get; }

    public InitOptions OptionsFor(SyntaxTree tree) => options.GetOrAdd(tree, t => InitOptions.Read(analyzerOptions, t));

    /// <summary>
    /// A lock-like type: it carries <c>[RequiresInit]</c>, or (outside <c>System.Threading</c>) its name's last word is a
    /// lock word and it has an init method, or the options list it.
    /// </summary>
    public bool IsLockType(ITypeSymbol? type, InitOptions options)
    {
        if (type is not INamedTypeSymbol { TypeKind: not TypeKind.Error, SpecialType: SpecialType.None } named)
        {
            return false;
        }

        named = named.OriginalDefinition;
        var facts = types.GetOrAdd(named, t => TypeFacts.Compute((INamedTypeSymbol)t));
        return facts.Attribute ||
               (!facts.Threading && ((options.NameHeuristic && facts.NamedWithInit) || options.LockTypes.Matches(named)));
    }

    /// <summary>The lock-like type of a storage expression: the lock itself, or the pointee of a pointer to one.</summary>
    public INamedTypeSymbol? LockTypeOf(ITypeSymbol? type, InitOptions options)
    {
        if (type is IPointerTypeSymbol pointer)
        {
            type = pointer.PointedAtType;
        }

        return IsLockType(type, options) ? ((INamedTypeSymbol)type!).OriginalDefinition : null;
    }

    /// <summary>Data the lock guards, marked <c>[RequiresInit]</c> on the field (a table pointer): its init is a real assignment.</summary>
    public bool IsGuardedData(ISymbol? symbol, InitOptions options) =>
        symbol is IFieldSymbol field && Attributes.Has(field, "RequiresInit") && LockTypeOf(field.Type, options) is null;

    /// <summary>True when the constructor (in source) calls an init method on <c>this</c>, so <c>new T()</c> is ready.</summary>
    public bool ConstructorInitializes(IMethodSymbol? constructor, CancellationToken cancellationToken)
    {
        if (constructor is null || constructor.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        return initializingConstructors.GetOrAdd(constructor.OriginalDefinition, c => ComputeConstructorInitializes(c, cancellationToken));
    }

    /// <summary>A value that is a lock nobody initialized: <c>default</c>, <c>null</c>, <c>new T()</c> whose constructor does not init.</summary>
    public bool IsFreshLock(IOperation value, CancellationToken cancellationToken)
    {
        value = Conversions.Strip(value);
        return value switch
        {
            IDefaultValueOperation => true,
            ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } => true,
            IObjectCreationOperation creation => !ConstructorInitializes(creation.Constructor, cancellationToken),
            _ => false,
        };
    }

    /// <summary>The summary of a method of this compilation, or null when its body cannot be read or the budget is spent.</summary>
    public InitSummary? Summary(IMethodSymbol method, int level, CancellationToken cancellationToken)
    {
        method = MethodKeys.Canonical(method);
        if (level <= 0 || method.IsAbstract || method.IsExtern || method.MethodKind != MethodKind.Ordinary ||
            method.DeclaringSyntaxReferences.IsEmpty)
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

    /// <summary>
    /// True when the code under <paramref name="root"/> touches lock-like storage or guarded data, or calls a method whose
    /// summary is not empty: only then is a summary worth a graph. Each body is walked once, whatever the level it is
    /// asked at: what it touches and which methods of this compilation it calls are kept.
    /// </summary>
    private bool IsRelevant(IOperation root, InitOptions options, int level, CancellationToken cancellationToken)
    {
        var facts = CalleeFactsOf(root, options, cancellationToken);
        if (facts.TouchesLock)
        {
            return true;
        }

        if (level <= 0)
        {
            return false;
        }

        foreach (var callee in facts.Callees)
        {
            if (Summary(callee, level, cancellationToken) is { IsEmpty: false })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when analysing the code whose <paramref name="facts"/> these are may report: it has a lock that may be
    /// uninitialized, or it both initializes and uses lock-like storage, itself or through the callees it calls (read
    /// at <paramref name="level"/>). Anything else has nothing to report, and needs no graph.
    /// </summary>
    internal bool MayReport(BodyFacts facts, int level, CancellationToken cancellationToken)
    {
        if (facts.MayBeUninitialized || (facts.InitsLock && facts.UsesLock))
        {
            return true;
        }

        var inits = facts.InitsLock;
        var uses = facts.UsesLock;
        foreach (var callee in facts.Callees)
        {
            if (Summary(callee, level, cancellationToken) is not { IsEmpty: false } summary)
            {
                continue;
            }

            inits |= !summary.InitializedFields.IsEmpty || !summary.InitializedParameters.IsEmpty;
            uses |= !summary.UsedFields.IsEmpty || !summary.UsedParameters.IsEmpty;
            if (inits && uses)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What a block of the compilation does to lock-like storage, walked afresh: a block is analysed once, and few are
    /// callees whose facts a summary has stored.
    /// </summary>
    internal BodyFacts FactsOf(IOperation root, InitOptions options, CancellationToken cancellationToken) =>
        BodyFacts.Of(root, this, options, cancellationToken);

    /// <summary>A callee's facts, stored for the summaries at its other levels.</summary>
    private BodyFacts CalleeFactsOf(IOperation root, InitOptions options, CancellationToken cancellationToken)
    {
        if (root.SemanticModel is not { } model)
        {
            return BodyFacts.Of(root, this, options, cancellationToken);
        }

        return bodyFacts.TryGetValue(model, root, out var cached)
            ? cached
            : bodyFacts.GetOrAdd(model, root, BodyFacts.Of(root, this, options, cancellationToken));
    }

    /// <summary>What passing lock-like storage of <paramref name="lockType"/> to <paramref name="parameter"/> does.</summary>
    public ArgumentEffect EffectOfArgument(IMethodSymbol callee, IParameterSymbol parameter, INamedTypeSymbol lockType, InitSummary? summary)
    {
        var byName = LockNames.Classify(callee);
        if (SymbolEqualityComparer.Default.Equals(callee.ContainingType?.OriginalDefinition, lockType))
        {
            // The lock type's own static API (SpinLock.Init(ref l), SpinLock.Acquire(&l)): its name says what it does.
            return new ArgumentEffect(byName, null);
        }

        if (summary is null)
        {
            // A body we cannot read (extern, another assembly): trust verbs in its name, else it may initialize it.
            return new ArgumentEffect(byName is LockOperation.Use or LockOperation.Query ? LockOperation.Escape : byName, null);
        }

        if (summary.InitializedParameters.Contains(parameter.Ordinal))
        {
            return new ArgumentEffect(LockOperation.Init, null);
        }

        if (summary.UsedParameters.TryGetValue(parameter.Ordinal, out var site))
        {
            var operation = byName is LockOperation.Acquire or LockOperation.TryAcquire or LockOperation.Release ? byName : LockOperation.Use;
            return new ArgumentEffect(operation, site);
        }

        return new ArgumentEffect(LockOperation.Query, null);
    }

    /// <summary>
    /// True when a member of the field's type other than the one at <paramref name="current"/> calls an init method
    /// on it (a syntactic look at the declaring type, cached per field): then an init in <paramref name="current"/> is
    /// a second one.
    /// </summary>
    public bool InitializedOutside(IFieldSymbol field, SyntaxNode current, CancellationToken cancellationToken)
    {
        var members = membersInitializing.GetOrAdd(field.OriginalDefinition, f => MembersInitializing(f, cancellationToken));
        foreach (var member in members)
        {
            if (member.SyntaxTree != current.SyntaxTree || !member.Span.Contains(current.Span))
            {
                return true;
            }
        }

        return false;
    }

    private static System.Collections.Immutable.ImmutableArray<SyntaxNode> MembersInitializing(IFieldSymbol field, CancellationToken cancellationToken)
    {
        var builder = System.Collections.Immutable.ImmutableArray.CreateBuilder<SyntaxNode>();
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax type)
            {
                continue;
            }

            foreach (var member in type.Members)
            {
                foreach (var invocation in member.DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    var name = invocation.Expression switch
                    {
                        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                        _ => null,
                    };
                    if (name is not null && LockNames.IsInitName(name) &&
                        invocation.DescendantNodes().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == field.Name))
                    {
                        builder.Add(member);
                        break;
                    }
                }
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// Records, for the compilation-end rule, what a block does to lock fields: a field initializer's value, and (in a
    /// block that touches lock-like storage at all) each call's receiver and arguments and each assignment.
    /// </summary>
    internal void Record(IOperation root, BodyFacts facts, InitOptions options, CancellationToken cancellationToken)
    {
        if (root is IFieldInitializerOperation initializer)
        {
            foreach (var field in initializer.InitializedFields)
            {
                RecordFieldValue(field.OriginalDefinition, initializer.Value, options, cancellationToken);
            }
        }

        if (facts.TouchesLock)
        {
            OperationWalk.Run(root, new FieldRecords(this, options, cancellationToken), cancellationToken);
        }
    }

    /// <summary>Records, for the compilation-end rule, what an invocation does to lock fields.</summary>
    public void RecordInvocation(IInvocationOperation invocation, InitOptions options, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (invocation.Instance is { } instance && !method.IsStatic && LockFieldOf(instance, options) is { } receiverField)
        {
            Record(receiverField, LockNames.Classify(method), invocation.Syntax.GetLocation(), LockNames.Describe(method));
        }

        InitSummary? summary = null;
        var summaryRead = false;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || LockFieldOf(argument.Value, options) is not { } field ||
                LockTypeOf(field.Type, options) is not { } lockType)
            {
                continue;
            }

            if (!summaryRead)
            {
                summary = Summary(method, OptionsFor(invocation.Syntax.SyntaxTree).MaxCallChain, cancellationToken);
                summaryRead = true;
            }

            var effect = EffectOfArgument(method, parameter, lockType, summary);
            Record(field, effect.Operation, argument.Syntax.GetLocation(), effect.Site is { } site ? $"passing it to '{method.Name}', which uses it ({site.Use})" : LockNames.Describe(method));
        }
    }

    /// <summary>Records a field initializer or an assignment to a lock field: anything but a fresh lock initializes it.</summary>
    public void RecordFieldValue(IFieldSymbol field, IOperation value, InitOptions options, CancellationToken cancellationToken)
    {
        if (LockTypeOf(field.Type, options) is not null && field.Type is not IPointerTypeSymbol && !IsFreshLock(value, cancellationToken))
        {
            MarkInitialized(field.OriginalDefinition);
        }
    }

    /// <summary>Lock fields used somewhere and initialized nowhere, with their first use.</summary>
    public IEnumerable<(IFieldSymbol Field, UseSite FirstUse)> NeverInitializedFields()
    {
        foreach (var entry in usedFields)
        {
            if (!initializedFields.ContainsKey(entry.Key) && !entry.Key.DeclaringSyntaxReferences.IsEmpty)
            {
                yield return (entry.Key, entry.Value);
            }
        }
    }

    /// <summary>
    /// The lock field (not a pointer to one) that an expression is, through <c>&amp;</c>, conversions, paths and a
    /// pointer local declared with its address (<c>fixed (SpinLock* l = &amp;s_lock)</c>, the way to pass a static lock by
    /// pointer).
    /// </summary>
    public IFieldSymbol? LockFieldOf(IOperation operation, InitOptions options)
    {
        operation = Conversions.Strip(operation);
        if (operation is ILocalReferenceOperation { Local.Type: IPointerTypeSymbol } pointer && LockTypeOf(pointer.Type, options) is not null &&
            AddressItWasDeclaredWith(pointer) is { } declared)
        {
            operation = declared;
        }

        if (operation is IAddressOfOperation addressOf)
        {
            operation = Conversions.Strip(addressOf.Reference);
        }

        return operation is IFieldReferenceOperation reference && reference.Field.Type is not IPointerTypeSymbol &&
               LockTypeOf(reference.Field.Type, options) is not null
            ? reference.Field.OriginalDefinition
            : null;
    }

    private static IAddressOfOperation? AddressItWasDeclaredWith(ILocalReferenceOperation pointer)
    {
        var references = pointer.Local.DeclaringSyntaxReferences;
        return references.Length == 1 && references[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } value } &&
               value.SyntaxTree == pointer.Syntax.SyntaxTree && pointer.SemanticModel?.GetOperation(value) is { } initializer
            ? Conversions.Strip(initializer) as IAddressOfOperation
            : null;
    }

    /// <remarks>
    /// A lock field is used and initialized in many places; each record reads first, without a lock, and writes only
    /// what it changes: the first init, an earlier first use.
    /// </remarks>
    private void Record(IFieldSymbol field, LockOperation operation, Location location, string use)
    {
        switch (operation)
        {
            case LockOperation.Init or LockOperation.Escape:
                MarkInitialized(field);
                break;
            case LockOperation.Use or LockOperation.Acquire or LockOperation.TryAcquire or LockOperation.Release:
                if (usedFields.TryGetValue(field, out var recorded) && !IsBefore(location, recorded.Location))
                {
                    break;
                }

                var site = new UseSite(location, use, null);
                usedFields.AddOrUpdate(field, site, (_, existing) => IsBefore(location, existing.Location) ? site : existing);
                break;
        }
    }

    private void MarkInitialized(IFieldSymbol field)
    {
        if (!initializedFields.ContainsKey(field))
        {
            initializedFields.TryAdd(field, true);
        }
    }

    private static bool IsBefore(Location candidate, Location existing)
    {
        var byPath = string.CompareOrdinal(candidate.SourceTree?.FilePath, existing.SourceTree?.FilePath);
        return byPath < 0 || (byPath == 0 && candidate.SourceSpan.Start < existing.SourceSpan.Start);
    }

    private bool ComputeConstructorInitializes(IMethodSymbol constructor, CancellationToken cancellationToken)
    {
        foreach (var reference in constructor.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (syntax is not ConstructorDeclarationSyntax)
            {
                continue;
            }

            if (models.For(syntax.SyntaxTree).GetOperation(syntax, cancellationToken) is not { } body)
            {
                continue;
            }

            foreach (var operation in body.DescendantsAndSelf())
            {
                if (operation is not IInvocationOperation invocation || !LockNames.IsInitName(invocation.TargetMethod.Name))
                {
                    continue;
                }

                if (invocation.Instance is IInstanceReferenceOperation)
                {
                    return true;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (Conversions.Strip(argument.Value) is IInstanceReferenceOperation)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private InitSummary? Compute(IMethodSymbol method, int level, CancellationToken cancellationToken)
    {
        if (models.BodyOf(method, cancellationToken) is not { } body)
        {
            return null;
        }

        var calleeOptions = OptionsFor(body.Syntax.SyntaxTree);
        if (!IsRelevant(body, calleeOptions, level - 1, cancellationToken))
        {
            return InitSummary.Empty;
        }

        if (ControlFlowGraphs.Of(body, cancellationToken) is not { } graph)
        {
            return null;
        }

        var analysis = new InitFlowAnalysis(graph, this, calleeOptions, level - 1, method, report: null, cancellationToken);
        analysis.Run();
        return analysis.BailedOut ? InitSummary.Empty : analysis.ToSummary();
    }

    /// <summary>The walk that records a block's calls and assignments for the compilation-end rule.</summary>
    private sealed class FieldRecords : IOperationScan
    {
        private readonly InitStateContext context;
        private readonly InitOptions options;
        private readonly CancellationToken cancellationToken;

        public FieldRecords(InitStateContext context, InitOptions options, CancellationToken cancellationToken)
        {
            this.context = context;
            this.options = options;
            this.cancellationToken = cancellationToken;
        }

        public void Visit(IOperation operation)
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    context.RecordInvocation(invocation, options, cancellationToken);
                    break;
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation field } assignment:
                    context.RecordFieldValue(field.Field.OriginalDefinition, assignment.Value, options, cancellationToken);
                    break;
            }
        }
    }

    private sealed class TypeFacts
    {
        private TypeFacts(bool attribute, bool namedWithInit, bool threading)
        {
            Attribute = attribute;
            NamedWithInit = namedWithInit;
            Threading = threading;
        }

        public bool Attribute { get; }

        public bool NamedWithInit { get; }

        public bool Threading { get; }

        public static TypeFacts Compute(INamedTypeSymbol type)
        {
            var attribute = Attributes.Has(type, "RequiresInit");
            var threading = IsThreadingNamespace(type.ContainingNamespace);
            var namedWithInit = LockNames.HasLockName(type.Name) && HasInitMethod(type);
            return new TypeFacts(attribute, namedWithInit, threading);
        }

        private static bool IsThreadingNamespace(INamespaceSymbol? ns)
        {
            for (; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
            {
                if (ns.Name == "Threading" && ns.ContainingNamespace is { Name: "System" } system && system.ContainingNamespace is { IsGlobalNamespace: true })
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>An instance <c>Init</c>/<c>Initialize</c>, or a static one taking the lock by <c>ref</c>, pointer or reference.</summary>
        private static bool HasInitMethod(INamedTypeSymbol type)
        {
            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || !LockNames.IsInitName(method.Name))
                    {
                        continue;
                    }

                    if (!method.IsStatic)
                    {
                        return true;
                    }

                    foreach (var parameter in method.Parameters)
                    {
                        var parameterType = parameter.Type is IPointerTypeSymbol pointer ? pointer.PointedAtType : parameter.Type;
                        if (SymbolEqualityComparer.Default.Equals(parameterType.OriginalDefinition, type))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }
    }
}
