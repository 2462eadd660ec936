using System.Runtime.CompilerServices;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// A cache of what the suite derives from one operation tree or graph (a body's facts, a graph, an analysis result),
/// whose entries live only as long as their key. The driver drops a tree's semantic model, and with it the tree's
/// operations, once the tree is analysed; a cache that held those keys strongly would keep every bound body of the
/// compilation alive until the build ends. Reads take no lock; values are computed outside the lock, so two threads
/// may compute one, and the first stored is the one kept.
/// </summary>
internal sealed class WeakCache<TKey, TValue>
    where TKey : class
    where TValue : class
{
    private readonly ConditionalWeakTable<TKey, TValue> entries = new();

    public bool TryGetValue(TKey key, out TValue value) => entries.TryGetValue(key, out value!);

    /// <summary>The stored value, or <paramref name="value"/> after storing it.</summary>
    public TValue GetOrAdd(TKey key, TValue value) => entries.GetValue(key, _ => value);
}
