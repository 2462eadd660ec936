using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// A cache of what the suite derives from operation trees (a body's facts, a graph, an analysis result), grouped by
/// the semantic model the operations come from and living as long as that model. The driver drops a tree's model,
/// and with it the tree's operations, once the tree is analysed; a cache that held operations for the compilation's
/// lifetime would keep every bound body alive until the build ends. One weak entry per model, not per method: a weak
/// entry costs a GC handle, and every add takes the table's one lock.
/// </summary>
internal sealed class ModelCache<TKey, TValue>
    where TKey : class
    where TValue : class
{
    private readonly ConditionalWeakTable<SemanticModel, SharedCache<TKey, TValue>> models = new();

    public bool TryGetValue(SemanticModel model, TKey key, out TValue value)
    {
        if (models.TryGetValue(model, out var entries))
        {
            return entries.TryGetValue(key, out value);
        }

        value = null!;
        return false;
    }

    /// <summary>The stored value, or <paramref name="value"/> after storing it.</summary>
    public TValue GetOrAdd(SemanticModel model, TKey key, TValue value) =>
        models.GetValue(model, _ => new SharedCache<TKey, TValue>()).GetOrAdd(key, value);
}
