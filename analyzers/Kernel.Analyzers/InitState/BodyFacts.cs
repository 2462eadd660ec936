using System.Collections.Generic;
using System.Threading;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.InitState;

/// <summary>
/// What a body does to lock-like storage and guarded data, read from its operation tree without a graph, and the
/// methods of this compilation it calls (each once). It decides whether the flow analysis can find anything:
/// a finding needs a lock that may be uninitialized (a lock local, a fresh value stored), or an init and a use in the
/// same body (directly or through callees). A lock only initialized (a constructor), or only taken and released (every
/// other method of a type whose constructor inits it), cannot be used before its init there.
/// </summary>
internal sealed class BodyFacts
{
    private BodyFacts(bool touchesLock, bool usesLock, bool initsLock, bool mayBeUninitialized, List<IMethodSymbol> callees)
    {
        TouchesLock = touchesLock;
        UsesLock = usesLock;
        InitsLock = initsLock;
        MayBeUninitialized = mayBeUninitialized;
        Callees = callees;
    }

    /// <summary>Some operation reads or writes lock-like storage or guarded data.</summary>
    public bool TouchesLock { get; }

    /// <summary>Some touch may be a use: anything but the receiver of an init call or the target of an assignment.</summary>
    public bool UsesLock { get; }

    /// <summary>An init-named call or an assignment to lock-like storage or guarded data.</summary>
    public bool InitsLock { get; }

    /// <summary>A local lock (it starts uninitialized), or a lock overwritten by an assignment (maybe with a fresh value).</summary>
    public bool MayBeUninitialized { get; }

    public List<IMethodSymbol> Callees { get; }

    public static BodyFacts Of(IOperation root, InitStateContext context, InitOptions options, CancellationToken cancellationToken)
    {
        var callees = new List<IMethodSymbol>();
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        bool touches = false, uses = false, inits = false, uninitialized = false;
        foreach (var operation in root.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case ILocalReferenceOperation local when context.LockTypeOf(local.Local.Type, options) is not null:
                    touches = true;
                    uninitialized |= local.Local.Type is not IPointerTypeSymbol;
                    uses |= IsUse(operation, local.Local.Type is not IPointerTypeSymbol, ref inits, ref uninitialized);
                    break;
                case IParameterReferenceOperation parameter when context.LockTypeOf(parameter.Parameter.Type, options) is not null:
                    touches = true;
                    uses |= IsUse(operation, parameter.Parameter.Type is not IPointerTypeSymbol, ref inits, ref uninitialized);
                    break;
                case IFieldReferenceOperation field when context.LockTypeOf(field.Field.Type, options) is not null:
                    touches = true;
                    uses |= IsUse(operation, field.Field.Type is not IPointerTypeSymbol, ref inits, ref uninitialized);
                    break;
                case IFieldReferenceOperation field when context.IsGuardedData(field.Field, options):
                    touches = true;
                    uses |= IsUse(operation, lockValue: false, ref inits, ref uninitialized);
                    break;
                case IInvocationOperation invocation:
                    inits |= LockNames.IsInitName(invocation.TargetMethod.Name);
                    if (!invocation.TargetMethod.DeclaringSyntaxReferences.IsEmpty || invocation.TargetMethod.ReducedFrom is not null)
                    {
                        var callee = MethodKeys.Canonical(invocation.TargetMethod);
                        if (seen.Add(callee))
                        {
                            callees.Add(callee);
                        }
                    }

                    break;
            }
        }

        return new BodyFacts(touches, uses, inits, uninitialized, callees);
    }

    /// <summary>
    /// False for the receiver of an init call (<c>l.Init()</c>) and for an assignment target (which inits the
    /// storage, or for a lock type may store a fresh value); true for anything else, which the analysis may read as a use.
    /// </summary>
    /// <param name="lockValue">The reference is a lock itself (its type is lock-like, not a pointer to one).</param>
    private static bool IsUse(IOperation reference, bool lockValue, ref bool inits, ref bool uninitialized)
    {
        switch (reference.Parent)
        {
            case IInvocationOperation invocation when invocation.Instance == reference && LockNames.IsInitName(invocation.TargetMethod.Name):
                return false;
            case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                // A lock itself (not a pointer to one, not guarded data) may be overwritten with a fresh value.
                inits = true;
                uninitialized |= lockValue;
                return false;
            default:
                return true;
        }
    }
}
