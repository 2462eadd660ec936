using System;
using Kernel.Analyzers.Dataflow;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Release;

/// <summary>Which object a location holds: the location it was first read from and where (stable across iterations).</summary>
public sealed class ObjectIdentity
{
    public ObjectIdentity(FlowKey origin, IOperation? at)
    {
        Origin = origin;
        At = at;
    }

    /// <summary>The location the object was read from when the analysis first met it (a parameter, a field path).</summary>
    public FlowKey Origin { get; }

    /// <summary>The operation that established it, or null for a parameter on entry.</summary>
    public IOperation? At { get; }
}

/// <summary>Where an object was released: the call and the method that released it.</summary>
public sealed class ReleaseSite
{
    public ReleaseSite(IOperation call, string releaser)
    {
        Call = call;
        Releaser = releaser;
    }

    public IOperation Call { get; }

    public string Releaser { get; }

    public int Position => Call.Syntax.SpanStart;
}

/// <summary>
/// The state of the object a location holds: untracked (the default), live with a number of references taken
/// (<c>Ref</c>/<c>Get</c>/<c>AddRef</c>) that a release consumes first, or released (on every path or on some path).
/// Locations holding the same <see cref="Identity"/> are aliases: a release reaches them all.
/// </summary>
public sealed class ReleaseValue : IEquatable<ReleaseValue>
{
    public static readonly ReleaseValue Untracked = new(null, 0, null, false);

    private const int MaxRefs = 4;

    private ReleaseValue(ObjectIdentity? identity, int refs, ReleaseSite? site, bool definitely)
    {
        Identity = identity;
        Refs = refs;
        Site = site;
        Definitely = definitely;
    }

    public ObjectIdentity? Identity { get; }

    public int Refs { get; }

    public ReleaseSite? Site { get; }

    public bool IsReleased => Site is not null;

    /// <summary>Released on every path that reaches this point (else on some path).</summary>
    public bool Definitely { get; }

    public static ReleaseValue Live(ObjectIdentity identity, int refs = 0) => new(identity, Math.Min(refs, MaxRefs), null, false);

    public static ReleaseValue Released(ObjectIdentity? identity, ReleaseSite site) => new(identity, 0, site, true);

    public static ReleaseValue Join(ReleaseValue left, ReleaseValue right)
    {
        if (left.Equals(right))
        {
            return left;
        }

        if (left.IsReleased || right.IsReleased)
        {
            var chosen = !right.IsReleased || (left.IsReleased && left.Site!.Position <= right.Site!.Position) ? left : right;
            return new ReleaseValue(chosen.Identity, 0, chosen.Site, left.IsReleased && right.IsReleased && left.Definitely && right.Definitely);
        }

        if (left.Identity is null || right.Identity is null || !ReferenceEquals(left.Identity, right.Identity))
        {
            return Untracked;
        }

        return Live(left.Identity, Math.Min(left.Refs, right.Refs));
    }

    public bool Equals(ReleaseValue? other) =>
        other is not null && ReferenceEquals(Identity, other.Identity) && Refs == other.Refs && ReferenceEquals(Site, other.Site) &&
        Definitely == other.Definitely;

    public override bool Equals(object? obj) => Equals(obj as ReleaseValue);

    public override int GetHashCode() =>
        ((Identity?.GetHashCode() ?? 0) * 31) + (Refs * 7) + (Site?.GetHashCode() ?? 0) + (Definitely ? 1 : 0);
}
