using System.Collections.Concurrent;
using System.Threading;
using Kernel.Analyzers.Dataflow;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.Nullness;

/// <summary>
/// Per-compilation knowledge for the null-state analysis: which calls may return null, and the lazily computed,
/// cached summaries of the compilation's own methods. A summary at level k reads callees' summaries at level k - 1,
/// so the call chain is bounded and there are no cycles; results do not depend on the order of analysis.
/// </summary>
public sealed class NullnessContext
{
    private static readonly PerCompilation<NullnessContext> Shared = new((compilation, options) => new NullnessContext(compilation, options));

    private readonly AnalyzerOptions analyzerOptions;
    private readonly SemanticModels models;
    private readonly ConcurrentDictionary<SyntaxTree, NullnessOptions> options = new();
    private readonly SharedCache<IMethodSymbol, Declared> declarations = new(SymbolEqualityComparer.Default);
    private readonly LevelCache<NullSummary> summaries = new();
    private readonly LevelCache<bool> neverNull = new();

    private NullnessContext(Compilation compilation, AnalyzerOptions analyzerOptions)
    {
        Compilation = compilation;
        this.analyzerOptions = analyzerOptions;
        models = new SemanticModels(compilation);
    }

    public Compilation Compilation { get; }

    /// <summary>The context KRN001 and KRN003 (for <c>x!</c>) share, so each summary is computed once per compilation.</summary>
    public static NullnessContext For(Compilation compilation, AnalyzerOptions analyzerOptions) => Shared.For(compilation, analyzerOptions);

    public NullnessOptions OptionsFor(SyntaxTree tree) =>
        options.GetOrAdd(tree, t => NullnessOptions.Read(analyzerOptions, t));

    /// <summary>
    /// The kind of null the method is known to return, or null when it is not a source. <paramref name="level"/> is the
    /// call-chain budget left for inferring it from the method's body.
    /// </summary>
    public NullSourceKind? SourceKind(IMethodSymbol method, NullnessOptions callerOptions, int level, CancellationToken cancellationToken)
    {
        method = MethodKeys.Canonical(method);
        if (method.ReturnsVoid || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return null;
        }

        var declared = declarations.GetOrAdd(method, Declare);
        switch (declared)
        {
            case Declared.MayReturnNull:
                return NullSourceKind.Annotated;
            case Declared.NeverNull:
                return null;
        }

        if (callerOptions.NullReturningMethods.Matches(method))
        {
            return NullSourceKind.Configured;
        }

        if (declared == Declared.ListenFamily && callerOptions.ListenFamily)
        {
            return NullSourceKind.ListenFamily;
        }

        if (level <= 0 || CannotReturnNull(method, level, cancellationToken))
        {
            return null;
        }

        return Summary(method, level, cancellationToken) is { ReturnsNull: true } ? NullSourceKind.Inferred : null;
    }

    /// <summary>The summary of a method of this compilation, or null when its body cannot be read or the budget is spent.</summary>
    public NullSummary? Summary(IMethodSymbol method, int level, CancellationToken cancellationToken)
    {
        method = MethodKeys.Canonical(method);
        if (level <= 0 || method.IsAbstract || method.IsExtern || method.MethodKind != MethodKind.Ordinary)
        {
            return null;
        }

        if (summaries.TryGetValue(method, level, out var cached))
        {
            return cached;
        }

        var computed = Compute(method, level, cancellationToken);
        if (computed is null)
        {
            return null;
        }

        return summaries.GetOrAdd(method, level, computed);
    }

    /// <summary>True when what the method returns is never null by construction (see <see cref="ReturnedValues"/>): no summary needed.</summary>
    private bool CannotReturnNull(IMethodSymbol method, int level, CancellationToken cancellationToken)
    {
        if (neverNull.TryGetValue(method, level, out var known))
        {
            return known;
        }

        var neverReturnsNull = models.BodyOf(method, cancellationToken) is { } body &&
            ReturnedValues.NeverNull(
                body,
                invocation => SourceKind(invocation.TargetMethod, OptionsFor(body.Syntax.SyntaxTree), level - 1, cancellationToken) is not null,
                cancellationToken);
        return neverNull.GetOrAdd(method, level, neverReturnsNull);
    }

    /// <summary>
    /// Return types that can carry the listen family's and inference's null: pointers, native integers and references
    /// without a nullable annotation (annotated ones are the compiler's). Never an unconstrained type parameter.
    /// </summary>
    public static bool CanHoldNull(IMethodSymbol method)
    {
        var type = method.ReturnType;
        return type switch
        {
            IPointerTypeSymbol or IFunctionPointerTypeSymbol => true,
            { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } => true,
            ITypeParameterSymbol parameter => parameter.HasReferenceTypeConstraint && method.ReturnNullableAnnotation == NullableAnnotation.None,
            { IsReferenceType: true } => method.ReturnNullableAnnotation == NullableAnnotation.None,
            _ => false,
        };
    }

    /// <summary>What a method's declaration says, independent of options: read once per method.</summary>
    private static Declared Declare(IMethodSymbol method)
    {
        if (Attributes.Has(method, "MayReturnNull") || Attributes.ReturnHas(method, "MayReturnNull") ||
            Attributes.ReturnHas(method, "MaybeNull"))
        {
            return Declared.MayReturnNull;
        }

        if (!CanHoldNull(method) || Attributes.ReturnHas(method, "NotNull") || Attributes.Has(method, "NeverNull") ||
            Attributes.ReturnHas(method, "NeverNull"))
        {
            return Declared.NeverNull;
        }

        return NameWords.ContainsWord(method.Name, "listen") || NameWords.ContainsWord(method.Name, "accept")
            ? Declared.ListenFamily
            : Declared.Unannotated;
    }

    private NullSummary? Compute(IMethodSymbol method, int level, CancellationToken cancellationToken)
    {
        if (models.BodyOf(method, cancellationToken) is not { } body || ControlFlowGraphs.Of(body, cancellationToken) is not { } graph)
        {
            return null;
        }

        var analysis = new NullFlowAnalysis(graph, this, OptionsFor(body.Syntax.SyntaxTree), level - 1, method, report: null, cancellationToken);
        analysis.Run();
        if (analysis.BailedOut)
        {
            return NullSummary.Unknown;
        }

        return new NullSummary(
            analysis.ReturnsNull,
            analysis.DereferencedParameters.ToImmutable(),
            analysis.NotNullWhen(true),
            analysis.NotNullWhen(false),
            analysis.ReturnedParameter);
    }

    private enum Declared
    {
        Unannotated,
        MayReturnNull,
        NeverNull,
        ListenFamily,
    }
}
