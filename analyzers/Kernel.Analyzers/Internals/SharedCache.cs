using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// A cache that concurrent callbacks share, with reads that take no lock. The suite adds an entry for most methods and
/// types it looks at (summaries, per-symbol facts) and reads each a few times. Readers of a lock wait whenever its
/// holder is descheduled, which on a loaded build machine is often; a concurrent dictionary reads without a lock but
/// pays a node per add. A <see cref="Hashtable"/> is safe for many readers and one writer, so only adds take a lock,
/// one of several stripes chosen by the key's hash, and an add that finds its stripe taken skips the store.
/// Values are computed outside the lock (a summary asks for its callees' summaries), so two threads may compute one;
/// the first stored is the one kept. A null value is not stored.
/// </summary>
internal sealed class SharedCache<TKey, TValue>
    where TKey : notnull
{
    private const int StripeCount = 8;

    private readonly IEqualityComparer<TKey> comparer;
    private readonly Hashtable[] stripes = new Hashtable[StripeCount];

    public SharedCache(IEqualityComparer<TKey>? comparer = null)
    {
        this.comparer = comparer ?? EqualityComparer<TKey>.Default;
        var keys = new KeyComparer(this.comparer);
        for (var i = 0; i < StripeCount; i++)
        {
            stripes[i] = new Hashtable(keys);
        }
    }

    public bool TryGetValue(TKey key, out TValue value)
    {
        if (StripeOf(key)[key] is { } stored)
        {
            value = (TValue)stored;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>
    /// The stored value, or <paramref name="value"/> after storing it; or <paramref name="value"/> unstored when another
    /// thread is adding to the same stripe. An add never waits: on two cores a waiter spins while the holder may be
    /// descheduled, and a value left out is only computed again.
    /// </summary>
    public TValue GetOrAdd(TKey key, TValue value)
    {
        var stripe = StripeOf(key);
        if (!Monitor.TryEnter(stripe))
        {
            return value;
        }

        try
        {
            if (stripe[key] is { } stored)
            {
                return (TValue)stored;
            }

            if (value is not null)
            {
                stripe[key] = value;
            }

            return value;
        }
        finally
        {
            Monitor.Exit(stripe);
        }
    }

    /// <summary>The stored value, or the one <paramref name="compute"/> returns (called outside the lock) after storing it.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> compute) =>
        TryGetValue(key, out var cached) ? cached : GetOrAdd(key, compute(key));

    private Hashtable StripeOf(TKey key) => stripes[comparer.GetHashCode(key) & (StripeCount - 1)];

    private sealed class KeyComparer : IEqualityComparer
    {
        private readonly IEqualityComparer<TKey> comparer;

        public KeyComparer(IEqualityComparer<TKey> comparer)
        {
            this.comparer = comparer;
        }

        public new bool Equals(object x, object y) => comparer.Equals((TKey)x, (TKey)y);

        public int GetHashCode(object obj) => comparer.GetHashCode((TKey)obj);
    }
}
