using System;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// Per-method results at each call-chain level (summaries, "may release" answers): one <see cref="SharedCache{TKey,
/// TValue}"/> per level, keyed by the canonical method, so that a lookup allocates no (method, level) key.
/// </summary>
internal sealed class LevelCache<TValue>
{
    private readonly object growLock = new();
    private SharedCache<IMethodSymbol, TValue>?[] levels = Array.Empty<SharedCache<IMethodSymbol, TValue>?>();

    public bool TryGetValue(IMethodSymbol method, int level, out TValue value)
    {
        var current = Volatile.Read(ref levels);
        if (level >= 0 && level < current.Length && current[level] is { } cache)
        {
            return cache.TryGetValue(method, out value);
        }

        value = default!;
        return false;
    }

    /// <summary>The stored value, or <paramref name="value"/> after storing it (a negative level is not stored).</summary>
    public TValue GetOrAdd(IMethodSymbol method, int level, TValue value) => level < 0 ? value : Level(level).GetOrAdd(method, value);

    private SharedCache<IMethodSymbol, TValue> Level(int level)
    {
        var current = Volatile.Read(ref levels);
        if (level < current.Length && current[level] is { } cache)
        {
            return cache;
        }

        lock (growLock)
        {
            current = levels;
            if (level >= current.Length)
            {
                var grown = new SharedCache<IMethodSymbol, TValue>?[level + 1];
                Array.Copy(current, grown, current.Length);
                current = grown;
            }

            var created = current[level] ??= new SharedCache<IMethodSymbol, TValue>(SymbolEqualityComparer.Default);
            Volatile.Write(ref levels, current);
            return created;
        }
    }
}
