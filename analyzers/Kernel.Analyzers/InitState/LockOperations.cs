using System;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.InitState;

/// <summary>What a member call does to the lock-like storage it is called on (or passed to, for static APIs).</summary>
public enum LockOperation
{
    /// <summary>Any other member call: it needs an initialized lock.</summary>
    Use,

    /// <summary><c>Init</c>, <c>Initialize</c>, <c>spin_lock_init</c>.</summary>
    Init,

    /// <summary><c>Lock</c>, <c>Acquire</c>, <c>Enter</c>, <c>spin_lock</c>: a use that leaves the lock held.</summary>
    Acquire,

    /// <summary><c>TryLock</c>, <c>TryAcquire</c>, <c>TryEnter</c>: held only when it returns true.</summary>
    TryAcquire,

    /// <summary><c>Unlock</c>, <c>Release</c>, <c>Exit</c>: a use that leaves the lock free.</summary>
    Release,

    /// <summary>Reading state (<c>IsInitialized</c>, <c>IsHeld()</c>, <c>ToString</c>): not a use.</summary>
    Query,

    /// <summary>Passed to code whose body cannot be read: it may initialize the lock, so nothing is assumed.</summary>
    Escape,
}

/// <summary>Names: which types are lock-like by name, and what a member call on a lock does, read from its words.</summary>
internal static class LockNames
{
    private static readonly string[] LockWords = { "Lock", "Spinlock", "Mutex", "Semaphore", "RwLock" };

    /// <summary>True when the type name's last word is <c>Lock</c>, <c>Spinlock</c>, <c>Mutex</c>, <c>Semaphore</c> or <c>RwLock</c>.</summary>
    public static bool HasLockName(string typeName) => NameWords.EndsWithWord(typeName, LockWords);

    /// <summary><c>Init</c>, <c>Initialize</c>, <c>InitLock</c>, <c>spin_lock_init</c>; not <c>Deinit</c>, <c>IsInitialized</c>.</summary>
    public static bool IsInitName(string name)
    {
        // Every init word contains "init": most names are settled without splitting them into words.
        if (name.IndexOf("init", StringComparison.OrdinalIgnoreCase) < 0 ||
            name.IndexOf("deinit", StringComparison.OrdinalIgnoreCase) >= 0 ||
            name.IndexOf("uninit", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return false;
        }

        foreach (var word in NameWords.Split(name))
        {
            if (IsWord(word, "init") || IsWord(word, "initialize") || IsWord(word, "initialise"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A state property or flag read as an init check: <c>IsInitialized</c>, <c>Initialized</c>, <c>IsInit</c>, <c>IsReady</c>.</summary>
    public static bool IsInitCheckName(string name)
    {
        foreach (var word in NameWords.Split(name))
        {
            if (IsWord(word, "initialized") || IsWord(word, "initialised") || IsWord(word, "init") || IsWord(word, "ready") ||
                IsWord(word, "inited"))
            {
                return true;
            }
        }

        return false;
    }

    public static LockOperation Classify(IMethodSymbol method)
    {
        var name = method.Name;
        if (name is "ToString" or "GetHashCode" or "Equals" or "GetType")
        {
            return LockOperation.Query;
        }

        if (IsInitName(name))
        {
            return LockOperation.Init;
        }

        var words = NameWords.Split(name);
        if (words.Count == 0)
        {
            return LockOperation.Use;
        }

        var first = words[0];
        if (IsWord(first, "is") || IsWord(first, "has") || IsWord(first, "was") || IsWord(first, "get") ||
            words.Exists(w => IsWord(w, "is")))
        {
            return LockOperation.Query;
        }

        if (words.Exists(w => IsWord(w, "unlock") || IsWord(w, "release") || IsWord(w, "exit")))
        {
            return LockOperation.Release;
        }

        if (words.Exists(w => IsWord(w, "lock") || IsWord(w, "acquire") || IsWord(w, "enter")))
        {
            return words.Exists(w => IsWord(w, "try")) ? LockOperation.TryAcquire : LockOperation.Acquire;
        }

        return LockOperation.Use;
    }

    /// <summary>How a use reads in a message: <c>'Acquire'</c>.</summary>
    public static string Describe(IMethodSymbol method) => "'" + method.Name + "'";

    private static bool IsWord(string word, string expected)
    {
        var end = word.Length;
        while (end > 0 && char.IsDigit(word[end - 1]))
        {
            end--;
        }

        return end == expected.Length && string.Compare(word, 0, expected, 0, end, StringComparison.OrdinalIgnoreCase) == 0;
    }
}
