using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.InitState;

/// <summary>Where a callee uses lock-like storage: the deepest use site and the call chain that leads to it.</summary>
public sealed class UseSite
{
    public UseSite(Location location, string use, string? through)
    {
        Location = location;
        Use = use;
        Through = through;
    }

    /// <summary>The use itself, in the callee (or deeper).</summary>
    public Location Location { get; }

    /// <summary>How the use reads: <c>'Acquire'</c>, <c>a dereference</c>.</summary>
    public string Use { get; }

    /// <summary>The callees between the summarized method and the use (<c>'ResetTable' -> 'Walk'</c>), or null when direct.</summary>
    public string? Through { get; }
}

/// <summary>
/// What one method does to lock-like storage that outlives it, computed once per compilation: the fields and
/// parameters it initializes (on some path), and the ones it uses while they still hold their value from entry
/// (before it initializes them itself), directly or through its callees.
/// </summary>
public sealed class InitSummary
{
    public static readonly InitSummary Empty = new(
        ImmutableDictionary<IFieldSymbol, Location>.Empty.WithComparers(SymbolEqualityComparer.Default),
        ImmutableHashSet<int>.Empty,
        ImmutableDictionary<IFieldSymbol, UseSite>.Empty.WithComparers(SymbolEqualityComparer.Default),
        ImmutableDictionary<int, UseSite>.Empty);

    public InitSummary(
        ImmutableDictionary<IFieldSymbol, Location> initializedFields,
        ImmutableHashSet<int> initializedParameters,
        ImmutableDictionary<IFieldSymbol, UseSite> usedFields,
        ImmutableDictionary<int, UseSite> usedParameters)
    {
        InitializedFields = initializedFields;
        InitializedParameters = initializedParameters;
        UsedFields = usedFields;
        UsedParameters = usedParameters;
    }

    /// <summary>Static fields and fields of <c>this</c> that the method initializes, with the call or statement that does it.</summary>
    public ImmutableDictionary<IFieldSymbol, Location> InitializedFields { get; }

    /// <summary>Parameters whose lock (the argument, its pointee, or a lock inside it) the method initializes.</summary>
    public ImmutableHashSet<int> InitializedParameters { get; }

    /// <summary>Static fields and fields of <c>this</c> used before the method initializes them (if it does at all).</summary>
    public ImmutableDictionary<IFieldSymbol, UseSite> UsedFields { get; }

    /// <summary>Parameters whose lock the method uses before initializing it.</summary>
    public ImmutableDictionary<int, UseSite> UsedParameters { get; }

    public bool IsEmpty =>
        InitializedFields.IsEmpty && InitializedParameters.IsEmpty && UsedFields.IsEmpty && UsedParameters.IsEmpty;
}
