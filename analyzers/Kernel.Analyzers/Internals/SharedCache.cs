using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// A cache that concurrent callbacks share, with reads that take no lock. The suite adds an entry for most methods and
/// types it looks at (summaries, per-symbol facts) and reads each a few times. Readers of a lock wait whenever its
/// holder is descheduled, which on a loaded build machine is often; a concurrent dictionary reads without a lock but
/// pays a node per add. A <see cref="Hashtable"/> is safe for many readers and one writer, so only adds claim a
/// stripe (one of several, chosen by the key's hash), and an add that finds its stripe claimed skips the store.
/// Values are computed outside the claim (a summary asks for its callees' summaries), so two threads may compute one;
/// the first stored is the one kept. A null value is not stored.
/// </summary>
internal sealed class SharedCache<TKey, TValue>
    where TKey : notnull
{
    private const int StripeCount = 8;

    private readonly IEqualityComparer<TKey> comparer;
    /// <summary>Ints apart by a cache line, so that two threads adding to different stripes do not share one.</summary>
    private const int WriterStride = 16;

    private readonly Hashtable[] stripes = new Hashtable[StripeCount];

    /// <summary>Per stripe, 1 while a thread adds to it: the one writer a <see cref="Hashtable"/> allows.</summary>
    private readonly int[] writers = new int[StripeCount * WriterStride];

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
        if (stripes[IndexOf(key)][key] is { } stored)
        {
            value = (TValue)stored;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>
    /// The stored value, or <paramref name="value"/> after storing it; or <paramref name="value"/> unstored when another
    /// thread is adding to the same stripe. An add never waits, and takes no monitor: on two cores a waiter spins while
    /// the holder may be descheduled, and a value left out is only computed again.
    /// </summary>
    public TValue GetOrAdd(TKey key, TValue value)
    {
        var index = IndexOf(key);
        ref var writing = ref writers[index * WriterStride];
        if (Interlocked.CompareExchange(ref writing, 1, 0) != 0)
        {
            return value;
        }

        try
        {
            var stripe = stripes[index];
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
            Volatile.Write(ref writing, 0);
        }
    }

    /// <summary>The stored value, or the one <paramref name="compute"/> returns (called outside the claim) after storing it.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> compute) =>
        TryGetValue(key, out var cached) ? cached : GetOrAdd(key, compute(key));

    private int IndexOf(TKey key) => comparer.GetHashCode(key) & (StripeCount - 1);

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
