using System.Collections.Immutable;

namespace Kernel.Analyzers.Nullness;

/// <summary>What a method of the compilation does with null, computed once per method and call-chain level.</summary>
public sealed class NullSummary
{
    public static readonly NullSummary Unknown = new(false, ImmutableHashSet<int>.Empty, ImmutableHashSet<int>.Empty, ImmutableHashSet<int>.Empty, -1);

    public NullSummary(
        bool returnsNull,
        ImmutableHashSet<int> dereferencedParameters,
        ImmutableHashSet<int> notNullWhenTrue,
        ImmutableHashSet<int> notNullWhenFalse,
        int returnedParameter)
    {
        ReturnsNull = returnsNull;
        DereferencedParameters = dereferencedParameters;
        NotNullWhenTrue = notNullWhenTrue;
        NotNullWhenFalse = notNullWhenFalse;
        ReturnedParameter = returnedParameter;
    }

    /// <summary>Some path returns <c>null</c>, <c>default</c>, <c>0</c> or another may-be-null value.</summary>
    public bool ReturnsNull { get; }

    /// <summary>Ordinals of parameters that some path dereferences without checking them first.</summary>
    public ImmutableHashSet<int> DereferencedParameters { get; }

    /// <summary>A bool method's parameters that are not null whenever it returns true (an inferred <c>[NotNullWhen(true)]</c>).</summary>
    public ImmutableHashSet<int> NotNullWhenTrue { get; }

    /// <summary>Likewise for a false result (<c>IsMissing(p)</c>).</summary>
    public ImmutableHashSet<int> NotNullWhenFalse { get; }

    /// <summary>The bool parameter every path returns unchanged (<c>Check(bool ok, string why)</c>), or -1.</summary>
    public int ReturnedParameter { get; }
}
