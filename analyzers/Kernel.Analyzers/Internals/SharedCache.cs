using System;
using System.Collections.Generic;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// A cache that concurrent callbacks share: a dictionary behind one lock. The suite adds an entry for most methods it
/// looks at (graphs, body facts, summaries), and a concurrent dictionary pays a node per entry and a slower add; a
/// plain dictionary under a lock held for one lookup costs a third of that. Values are computed outside the lock
/// (a summary asks for its callees' summaries), so two threads may compute one; the first stored is the one kept.
/// </summary>
internal sealed class SharedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> entries;

    public SharedCache(IEqualityComparer<TKey>? comparer = null)
    {
        entries = new Dictionary<TKey, TValue>(comparer);
    }

    public bool TryGetValue(TKey key, out TValue value)
    {
        lock (entries)
        {
            return entries.TryGetValue(key, out value!);
        }
    }

    /// <summary>The stored value, or <paramref name="value"/> after storing it.</summary>
    public TValue GetOrAdd(TKey key, TValue value)
    {
        lock (entries)
        {
            if (entries.TryGetValue(key, out var existing))
            {
                return existing;
            }

            entries.Add(key, value);
            return value;
        }
    }

    /// <summary>The stored value, or the one <paramref name="compute"/> returns (called outside the lock) after storing it.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> compute) =>
        TryGetValue(key, out var cached) ? cached : GetOrAdd(key, compute(key));
}
