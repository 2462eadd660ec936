using System;

namespace Kernel.Analyzers.InitState;

/// <summary>
/// The abstract init state of one lock-like storage location (or of data marked <c>[RequiresInit]</c>): a set of
/// facts that may hold on some path, joined by union. The empty set means "initialized, not held".
/// </summary>
[Flags]
public enum InitBits : byte
{
    /// <summary>Initialized and not held on every path.</summary>
    Ready = 0,

    /// <summary>May hold a fresh, never initialized value (<c>default</c>, <c>new SpinLock()</c>).</summary>
    Uninitialized = 1,

    /// <summary>
    /// May still hold the value it had on entry to the method. Fields and parameters are assumed initialized on
    /// entry, unless the method initializes them itself (then a use in this state comes before the init).
    /// </summary>
    Entry = 2,

    /// <summary>May be held (acquired and not yet released).</summary>
    Held = 4,

    /// <summary>
    /// May be held, taken in its entry state: it counts as held only if something initialized it before the method ran.
    /// That is asked (it costs a look at the declaring type) only when an init follows.
    /// </summary>
    HeldFromEntry = 8,

    /// <summary>Either held bit.</summary>
    AnyHeld = Held | HeldFromEntry,
}
