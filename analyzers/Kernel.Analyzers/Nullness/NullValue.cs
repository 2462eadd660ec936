using System;

namespace Kernel.Analyzers.Nullness;

public enum Nullness : byte
{
    NotNull,
    MaybeNull,
    Null,
}

/// <summary>The abstract value of a location for the null-state analysis: its nullness and where a null came from.</summary>
public readonly struct NullValue : IEquatable<NullValue>
{
    public static readonly NullValue NotNull = default;

    public NullValue(Nullness nullness, NullSource? source)
    {
        Nullness = nullness;
        Source = nullness == Nullness.NotNull ? null : source;
    }

    public Nullness Nullness { get; }

    public NullSource? Source { get; }

    public bool MayBeNull => Nullness != Nullness.NotNull;

    public static NullValue MaybeNull(NullSource source) => new(Nullness.MaybeNull, source);

    public static NullValue Null(NullSource source) => new(Nullness.Null, source);

    public static NullValue Join(NullValue left, NullValue right)
    {
        if (left.Equals(right))
        {
            return left;
        }

        if (!left.MayBeNull && !right.MayBeNull)
        {
            return NotNull;
        }

        return MaybeNull(Preferred(left.Source, right.Source)!);
    }

    public bool Equals(NullValue other) => Nullness == other.Nullness && ReferenceEquals(Source, other.Source);

    public override bool Equals(object? obj) => obj is NullValue other && Equals(other);

    public override int GetHashCode() => ((int)Nullness * 397) ^ (Source?.GetHashCode() ?? 0);

    public override string ToString() => Source is null ? Nullness.ToString() : $"{Nullness}({Source.Kind})";

    /// <summary>A deterministic choice between two origins: calls, then parameters, then constants; the earlier call in the file first.</summary>
    private static NullSource? Preferred(NullSource? left, NullSource? right)
    {
        if (left is null || right is null)
        {
            return left ?? right;
        }

        if (Rank(left) != Rank(right))
        {
            return Rank(left) < Rank(right) ? left : right;
        }

        if (left.Kind == NullSourceKind.Parameter)
        {
            return left.ParameterOrdinal <= right.ParameterOrdinal ? left : right;
        }

        var leftStart = left.Call?.Syntax.SpanStart ?? int.MaxValue;
        var rightStart = right.Call?.Syntax.SpanStart ?? int.MaxValue;
        return leftStart <= rightStart ? left : right;
    }

    private static int Rank(NullSource source) =>
        source.IsCall ? 0 : source.Kind == NullSourceKind.Parameter ? 1 : 2;
}
