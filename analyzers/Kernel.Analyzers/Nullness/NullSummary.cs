using System.Collections.Immutable;

namespace Kernel.Analyzers.Nullness;

/// <summary>What a method of the compilation does with null, computed once per method and call-chain level.</summary>
public sealed class NullSummary
{
    public static readonly NullSummary Unknown = new(false, ImmutableHashSet<int>.Empty);

    public NullSummary(bool returnsNull, ImmutableHashSet<int> dereferencedParameters)
    {
        ReturnsNull = returnsNull;
        DereferencedParameters = dereferencedParameters;
    }

    /// <summary>Some path returns <c>null</c>, <c>default</c>, <c>0</c> or another may-be-null value.</summary>
    public bool ReturnsNull { get; }

    /// <summary>Ordinals of parameters that some path dereferences without checking them first.</summary>
    public ImmutableHashSet<int> DereferencedParameters { get; }
}
