using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.InitState;

public enum InitFindingKind
{
    /// <summary>Rule 1: a use on some path before the storage is initialized.</summary>
    UseBeforeInit,

    /// <summary>Rule 2: in an initializer, a call that (through its callees) uses a lock before the initializer initializes it.</summary>
    CallBeforeInit,

    /// <summary>Rule 4: a second initialization while the lock may be held.</summary>
    InitWhileHeld,
}

/// <summary>One KRN002 finding of the flow analysis, found on a stable state.</summary>
public sealed class InitFinding
{
    public InitFinding(InitFindingKind kind, SyntaxNode node, string storage, string use)
    {
        Kind = kind;
        Node = node;
        Storage = storage;
        Use = use;
    }

    public InitFindingKind Kind { get; }

    /// <summary>Where the diagnostic starts: the use, the call in the initializer, or the second init.</summary>
    public SyntaxNode Node { get; }

    /// <summary>The lock (or guarded data) as written: <c>_lock</c>, <c>s.Lock</c>.</summary>
    public string Storage { get; }

    /// <summary>The use (<c>'Acquire'</c>, <c>a dereference</c>) or, for rule 4, the init call.</summary>
    public string Use { get; set; }

    /// <summary>Rule 2: the callee the initializer calls, and where that callee (or one of its callees) uses the lock.</summary>
    public IMethodSymbol? Callee { get; set; }

    public UseSite? CalleeUse { get; set; }

    /// <summary>The init that comes too late (after the use), or that runs only on some paths.</summary>
    public SyntaxNode? Init { get; set; }

    /// <summary>True when <see cref="Init"/> comes after the use in the source (so moving it is the fix).</summary>
    public bool InitIsLater { get; set; }

    /// <summary>Rule 4: where the lock was acquired.</summary>
    public SyntaxNode? HeldAt { get; set; }

    /// <summary>A statement that initializes the lock, for the fix to insert when there is no late init to move.</summary>
    public string? InitStatement { get; set; }
}
