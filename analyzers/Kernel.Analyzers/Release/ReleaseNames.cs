using System;
using System.Collections.Generic;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Release;

/// <summary>What a call does to the object it is called on or passed.</summary>
public enum ReleaseEffect
{
    None,

    /// <summary><c>Free</c>, <c>Release</c>, <c>Unref</c>, <c>inode_put</c>, <c>Destroy</c>, <c>[Releases]</c>.</summary>
    Release,

    /// <summary><c>Ref</c>, <c>AddRef</c>, <c>kref_get</c>, <c>inode_get</c>, <c>ihold</c>, <c>sock_hold</c>: a reference that a later release balances.</summary>
    AddRef,
}

/// <summary>Release and reference verbs read from method names' words.</summary>
internal static class ReleaseNames
{
    private static readonly HashSet<string> ReleaseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "free", "release", "unref", "destroy", "decref", "kfree", "vfree", "kvfree", "iput", "fput", "dput", "mmput", "mntput",
        "brelse", "put", "unreference",
    };

    private static readonly HashSet<string> RefWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ref", "addref", "incref", "grab", "retain", "reference", "hold", "ihold", "igrab", "iget", "dget", "fget", "mmget",
    };

    private static readonly HashSet<string> QueryWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "is", "has", "get", "can", "should", "was", "count", "find", "query", "on", "try", "will", "num", "total",
    };

    public static ReleaseEffect Classify(string name)
    {
        var words = NameWords.Split(name);
        if (words.Count == 0)
        {
            return ReleaseEffect.None;
        }

        var first = words[0];
        var last = words[words.Count - 1];
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (i + 1 < words.Count && word.Equals("dec", StringComparison.OrdinalIgnoreCase) && words[i + 1].Equals("ref", StringComparison.OrdinalIgnoreCase))
            {
                return ReleaseEffect.Release;
            }

            // In Pascal case a release word inside the name is an adjective (NextFreeBlock, AllocFreeSlot); snake
            // case puts the verb between its objects (blk_put_queue, skb_free_datagram).
            if (ReleaseWords.Contains(word) && (i == 0 || i == words.Count - 1 || name.IndexOf('_') >= 0))
            {
                // "put" alone is a container verb (map.Put(k, v)); inode_put, sock_put, kref_put are releases.
                if (word.Equals("put", StringComparison.OrdinalIgnoreCase) && words.Count == 1)
                {
                    return ReleaseEffect.None;
                }

                return QueryWords.Contains(first) && !ReleaseWords.Contains(first) ? ReleaseEffect.None : ReleaseEffect.Release;
            }
        }

        foreach (var word in words)
        {
            if (RefWords.Contains(word) && !QueryWords.Contains(first))
            {
                return ReleaseEffect.AddRef;
            }
        }

        // kref_get, inode_get, dget-style: "get" as the last word after the object's name.
        if (words.Count >= 2 && last.Equals("get", StringComparison.OrdinalIgnoreCase))
        {
            return ReleaseEffect.AddRef;
        }

        return ReleaseEffect.None;
    }

    /// <summary>Types whose objects can be released: pointers, native integers, references other than strings and delegates.</summary>
    public static bool IsTrackable(ITypeSymbol? type) => type switch
    {
        null => false,
        IPointerTypeSymbol => true,
        { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } => true,
        { SpecialType: SpecialType.System_String } => false,
        { TypeKind: TypeKind.Delegate or TypeKind.Error or TypeKind.Dynamic } => false,
        ITypeParameterSymbol parameter => parameter.HasReferenceTypeConstraint,
        _ => type.IsReferenceType,
    };
}
