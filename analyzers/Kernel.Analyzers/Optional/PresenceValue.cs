using System;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Optional;

public enum Presence : byte
{
    /// <summary>Nothing established: an unwrap here is unguarded (the default for a location).</summary>
    Unknown,

    /// <summary>Checked or constructed with a value on every path.</summary>
    Present,

    /// <summary>A reference or pointer from a KRN001 may-return-null source, not checked on some path.</summary>
    MayBeNull,
}

/// <summary>
/// The abstract value of a location for the presence analysis. <see cref="CheckSite"/> is the presence test that
/// established it when that test read a shared resource (a property, a call, a field of an object): a later unwrap
/// of another read is KRN004's. <see cref="Between"/> describes the first lock release, await, yield or mutating call
/// seen after that test.
/// </summary>
public readonly struct PresenceValue : IEquatable<PresenceValue>
{
    public static readonly PresenceValue Unknown = default;
    public static readonly PresenceValue Present = new(Presence.Present, null, null, null);

    public PresenceValue(Presence presence, SyntaxNode? checkSite, string? between, IMethodSymbol? nullSource)
    {
        State = presence;
        CheckSite = presence == Presence.Present ? checkSite : null;
        Between = CheckSite is null ? null : between;
        NullSource = presence == Presence.MayBeNull ? nullSource : null;
    }

    public Presence State { get; }

    public SyntaxNode? CheckSite { get; }

    public string? Between { get; }

    /// <summary>The may-return-null method a <see cref="Presence.MayBeNull"/> value came from.</summary>
    public IMethodSymbol? NullSource { get; }

    public bool IsPresent => State == Presence.Present;

    public static PresenceValue CheckedShared(SyntaxNode checkSite) => new(Presence.Present, checkSite, null, null);

    public static PresenceValue MayBeNullFrom(IMethodSymbol source) => new(Presence.MayBeNull, null, null, source);

    public PresenceValue WithBetween(string between) => new(State, CheckSite, between, NullSource);

    public static PresenceValue Join(PresenceValue left, PresenceValue right)
    {
        if (left.Equals(right))
        {
            return left;
        }

        if (left.State == Presence.MayBeNull || right.State == Presence.MayBeNull)
        {
            var source = left.State == Presence.MayBeNull ? left.NullSource : right.NullSource;
            if (left.State == Presence.MayBeNull && right.State == Presence.MayBeNull && right.NullSource is { } other &&
                string.CompareOrdinal(other.Name, left.NullSource?.Name) < 0)
            {
                source = other;
            }

            return new PresenceValue(Presence.MayBeNull, null, null, source);
        }

        if (left.State != Presence.Present || right.State != Presence.Present)
        {
            return Unknown;
        }

        // Both present: keep a shared check if either path had one (the second read is still a second read), the
        // earlier one in the file for determinism, and any note of what lay between.
        var site = Earlier(left.CheckSite, right.CheckSite);
        var between = Min(left.Between, right.Between);
        return new PresenceValue(Presence.Present, site, between, null);
    }

    public bool Equals(PresenceValue other) =>
        State == other.State && ReferenceEquals(CheckSite, other.CheckSite) &&
        string.Equals(Between, other.Between, StringComparison.Ordinal) &&
        SymbolEqualityComparer.Default.Equals(NullSource, other.NullSource);

    public override bool Equals(object? obj) => obj is PresenceValue other && Equals(other);

    public override int GetHashCode() => ((int)State * 397) ^ (CheckSite?.GetHashCode() ?? 0);

    public override string ToString() => CheckSite is null ? State.ToString() : $"{State}(checked at {CheckSite})";

    private static SyntaxNode? Earlier(SyntaxNode? left, SyntaxNode? right)
    {
        if (left is null || right is null)
        {
            return left ?? right;
        }

        return left.SpanStart <= right.SpanStart ? left : right;
    }

    private static string? Min(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return left ?? right;
        }

        return string.CompareOrdinal(left, right) <= 0 ? left : right;
    }
}
