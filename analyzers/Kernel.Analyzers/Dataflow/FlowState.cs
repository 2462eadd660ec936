using System.Collections.Generic;

namespace Kernel.Analyzers.Dataflow;

/// <summary>
/// The abstract state at one program point: a value per tracked location. A location that is absent holds the
/// analysis' default value. An unreachable state (after a <c>[DoesNotReturn]</c> call) joins as the identity.
/// </summary>
public sealed class FlowState<TValue>
{
    private readonly Dictionary<FlowKey, TValue> values;

    public FlowState()
        : this(new Dictionary<FlowKey, TValue>(), isUnreachable: false)
    {
    }

    private FlowState(Dictionary<FlowKey, TValue> values, bool isUnreachable)
    {
        this.values = values;
        IsUnreachable = isUnreachable;
    }

    public bool IsUnreachable { get; private set; }

    public int Count => values.Count;

    public IEnumerable<KeyValuePair<FlowKey, TValue>> Entries => values;

    public bool TryGet(FlowKey key, out TValue value) => values.TryGetValue(key, out value!);

    public void Set(FlowKey key, TValue value) => values[key] = value;

    public void Remove(FlowKey key) => values.Remove(key);

    /// <summary>Forgets every location whose path goes through <paramref name="root"/> (its members changed meaning).</summary>
    public void RemoveMembersOf(FlowKey root)
    {
        List<FlowKey>? stale = null;
        foreach (var key in values.Keys)
        {
            for (var owner = key.Instance; owner is not null; owner = owner.Instance)
            {
                if (owner.Equals(root))
                {
                    (stale ??= new List<FlowKey>()).Add(key);
                    break;
                }
            }
        }

        if (stale is not null)
        {
            foreach (var key in stale)
            {
                values.Remove(key);
            }
        }
    }

    public void MarkUnreachable()
    {
        IsUnreachable = true;
        values.Clear();
    }

    public FlowState<TValue> Clone() => new(new Dictionary<FlowKey, TValue>(values), IsUnreachable);
}
