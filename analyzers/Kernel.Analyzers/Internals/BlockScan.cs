using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Kernel.Analyzers.Optional;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// The operations of a method that the rules' early bail-outs look at: its calls, and the <c>Value</c> references and
/// explicit conversions that may unwrap an optional, in source order. One walk collects them for every rule. The
/// driver runs the analyzers of one method one after another on one thread, so the last scan is kept per thread and
/// the next analyzer of the same method reads it; a scan asked for another method replaces it. That keeps at most one
/// method's operations alive per thread.
/// </summary>
internal sealed class BlockScan : IOperationScan
{
    [ThreadStatic]
    private static BlockScan? last;

    private readonly ImmutableArray<IOperation> roots;
    private readonly List<IInvocationOperation> invocations = new();
    private readonly List<IOperation> unwrapCandidates = new();

    private BlockScan(ImmutableArray<IOperation> roots)
    {
        this.roots = roots;
    }

    /// <summary>Every invocation, in source order.</summary>
    public IReadOnlyList<IInvocationOperation> Invocations => invocations;

    /// <summary>References to an unwrap member (<c>x.Value</c>) with a receiver, and explicit conversions: what may unwrap an optional.</summary>
    public IReadOnlyList<IOperation> UnwrapCandidates => unwrapCandidates;

    public static BlockScan Of(ImmutableArray<IOperation> roots, CancellationToken cancellationToken)
    {
        if (last is { } cached && SameRoots(cached.roots, roots))
        {
            return cached;
        }

        var scan = new BlockScan(roots);
        OperationWalk.Run(roots, scan, cancellationToken);
        last = scan;
        return scan;
    }

    void IOperationScan.Visit(IOperation operation)
    {
        // Switched on the kind, a field read, before any type test: most operations are none of these.
        switch (operation.Kind)
        {
            case OperationKind.Invocation:
                invocations.Add((IInvocationOperation)operation);
                break;
            case OperationKind.PropertyReference when operation is IPropertyReferenceOperation { Instance: not null } property && OptionalTypes.IsUnwrapMember(property.Property):
            case OperationKind.FieldReference when operation is IFieldReferenceOperation { Instance: not null } field && OptionalTypes.IsUnwrapMember(field.Field):
            case OperationKind.Conversion when operation is IConversionOperation { IsImplicit: false }:
                unwrapCandidates.Add(operation);
                break;
        }
    }

    private static bool SameRoots(ImmutableArray<IOperation> cached, ImmutableArray<IOperation> roots)
    {
        if (cached.Length != roots.Length)
        {
            return false;
        }

        for (var i = 0; i < roots.Length; i++)
        {
            if (cached[i] != roots[i])
            {
                return false;
            }
        }

        return true;
    }
}
