using System;
using System.Collections;
using System.Collections.Generic;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// A cache that concurrent callbacks share, with reads that take no lock. The suite adds an entry for most methods it
/// looks at (graphs, body facts, summaries) and reads each a few times. Readers of a lock wait whenever its holder is
/// descheduled, which on a loaded build machine is often; a concurrent dictionary reads without a lock but pays a node
/// and a striped lock per add. A <see cref="Hashtable"/> is safe for many readers and one writer, so only adds take a
/// lock. Values are computed outside it (a summary asks for its callees' summaries), so two threads may compute one;
/// the first stored is the one kept. A null value is not stored.
/// </summary>
internal sealed class SharedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Hashtable entries;
    private readonly object writeLock = new();

    public SharedCache(IEqualityComparer<TKey>? comparer = null)
    {
        entries = new Hashtable(new KeyComparer(comparer ?? EqualityComparer<TKey>.Default));
    }

    public bool TryGetValue(TKey key, out TValue value)
    {
        if (entries[key] is { } stored)
        {
            value = (TValue)stored;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>The stored value, or <paramref name="value"/> after storing it.</summary>
    public TValue GetOrAdd(TKey key, TValue value)
    {
        lock (writeLock)
        {
            if (entries[key] is { } stored)
            {
                return (TValue)stored;
            }

            if (value is not null)
            {
                entries[key] = value;
            }

            return value;
        }
    }

    /// <summary>The stored value, or the one <paramref name="compute"/> returns (called outside the lock) after storing it.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> compute) =>
        TryGetValue(key, out var cached) ? cached : GetOrAdd(key, compute(key));

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
