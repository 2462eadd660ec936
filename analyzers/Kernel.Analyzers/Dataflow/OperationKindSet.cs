using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Kernel.Analyzers.Dataflow;

/// <summary>
/// The operation kinds an analysis' transfer function acts on. The walk visits every operation of a method at least
/// twice, and most of them (literals, arithmetic, local reads) change nothing: one array lookup skips them.
/// </summary>
public sealed class OperationKindSet
{
    private static readonly int Size = Enum.GetValues(typeof(OperationKind)).Cast<int>().Max() + 1;

    private readonly bool[] members;

    public OperationKindSet(params OperationKind[] kinds)
    {
        members = new bool[Size];
        foreach (var kind in kinds)
        {
            members[(int)kind] = true;
        }
    }

    private OperationKindSet(bool[] members) => this.members = members;

    /// <summary>Every kind: for transfer functions that look at every operation.</summary>
    public static OperationKindSet All { get; } = new(Enumerable.Repeat(true, Size).ToArray());

    public bool Contains(OperationKind kind) => (uint)kind >= (uint)members.Length || members[(int)kind];
}
