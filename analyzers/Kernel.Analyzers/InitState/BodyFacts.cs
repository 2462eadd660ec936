using System.Collections.Generic;
using System.Linq;
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
        var tally = new Tally(context, options);
        OperationWalk.Run(root, tally, cancellationToken);
        return new BodyFacts(tally.Touches, tally.Uses, tally.Inits, tally.Uninitialized, tally.Callees);
    }

    /// <summary>The facts gathered so far, one operation at a time.</summary>
    private sealed class Tally : IOperationScan
    {
        private readonly InitStateContext context;
        private readonly InitOptions options;

        public Tally(InitStateContext context, InitOptions options)
        {
            this.context = context;
            this.options = options;
        }

        public bool Touches { get; private set; }

        public bool Uses { get; private set; }

        public bool Inits { get; private set; }

        public bool Uninitialized { get; private set; }

        public List<IMethodSymbol> Callees { get; } = new();

        public void Visit(IOperation operation)
        {
            // Switched on the kind, a field read, before any type test: most operations are none of these.
            switch (operation.Kind)
            {
                // A reference's own type is its symbol's, read without resolving the symbol's nullable annotation.
                case OperationKind.LocalReference when context.LockTypeOf(operation.Type, options) is not null:
                    // A local lock starts uninitialized; a pointer to one starts in its entry state.
                    Uninitialized |= operation.Type is not IPointerTypeSymbol;
                    Touch(operation, operation.Type is not IPointerTypeSymbol);
                    break;
                case OperationKind.ParameterReference or OperationKind.FieldReference when context.LockTypeOf(operation.Type, options) is not null:
                    Touch(operation, operation.Type is not IPointerTypeSymbol);
                    break;
                case OperationKind.FieldReference when context.IsGuardedData(((IFieldReferenceOperation)operation).Field, options):
                    Touch(operation, lockValue: false);
                    break;
                case OperationKind.Invocation:
                    Call(((IInvocationOperation)operation).TargetMethod);
                    break;
            }
        }

        private void Call(IMethodSymbol method)
        {
            Inits |= LockNames.IsInitName(method.Name);
            if (method.DeclaringSyntaxReferences.IsEmpty && method.ReducedFrom is null)
            {
                return;
            }

            // A body calls few methods of its own compilation: a list is cheaper than a set here.
            var callee = MethodKeys.Canonical(method);
            if (!Callees.Contains(callee, SymbolEqualityComparer.Default))
            {
                Callees.Add(callee);
            }
        }

        /// <summary>
        /// The receiver of an init call (<c>l.Init()</c>) is no use; an assignment target inits the storage (and may
        /// store a fresh lock in it); anything else may be a use.
        /// </summary>
        /// <param name="lockValue">The reference is a lock itself (its type is lock-like, not a pointer to one).</param>
        private void Touch(IOperation reference, bool lockValue)
        {
            Touches = true;
            switch (reference.Parent)
            {
                case IInvocationOperation invocation when invocation.Instance == reference && LockNames.IsInitName(invocation.TargetMethod.Name):
                    break;
                case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                    Inits = true;
                    Uninitialized |= lockValue;
                    break;
                default:
                    Uses = true;
                    break;
            }
        }
    }
}
