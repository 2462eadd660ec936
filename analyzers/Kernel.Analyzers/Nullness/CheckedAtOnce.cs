using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Kernel.Analyzers.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Nullness;

/// <summary>
/// The two idioms that check a may-be-null result where it is stored, which need no flow analysis:
/// <list type="bullet">
/// <item><c>var x = Listen(..); if (x == null) return ..;</c>: the next statement leaves when <c>x</c> is null, and
/// nothing writes <c>x</c> again, so every later read sees it non-null;</item>
/// <item><c>while ((x = Accept(..)) != null) { .. }</c>: <c>x</c> is read only in the loop body (not in a lambda, which
/// may run after the loop, when <c>x</c> is null) and written only by the condition.</item>
/// </list>
/// A method whose every source is checked in one of them cannot dereference an unchecked result. Anything else, or
/// any doubt, goes to the flow analysis.
/// </summary>
internal static class CheckedAtOnce
{
    public static bool All(IReadOnlyList<IInvocationOperation> sources, ImmutableArray<IOperation> blocks, CancellationToken cancellationToken)
    {
        var checks = new Dictionary<ILocalSymbol, Check>(SymbolEqualityComparer.Default);
        foreach (var source in sources)
        {
            if (Match(source) is not { } check || checks.ContainsKey(check.Local))
            {
                return false;
            }

            checks.Add(check.Local, check);
        }

        foreach (var block in blocks)
        {
            foreach (var operation in block.Descendants())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (operation is ILocalReferenceOperation reference && checks.TryGetValue(reference.Local, out var check) && !check.Allows(reference))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static Check? Match(IInvocationOperation source)
    {
        var value = Conversions.WithImplicitParents(source);

        return value.Parent switch
        {
            IVariableInitializerOperation initializer => DeclaredThenChecked(initializer),
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == value => LoopCondition(assignment, target),
            _ => null,
        };
    }

    /// <summary><c>var x = Source(); if (x == null) leave;</c> in one block.</summary>
    private static Check? DeclaredThenChecked(IVariableInitializerOperation initializer)
    {
        if (initializer.Parent is not IVariableDeclaratorOperation { Symbol: { IsRef: false } local } ||
            initializer.Parent.Parent is not IVariableDeclarationOperation { Declarators.Length: 1 } declaration ||
            declaration.Parent is not IVariableDeclarationGroupOperation group ||
            group.Parent is not IBlockOperation block)
        {
            return null;
        }

        var next = block.Operations.IndexOf(group) + 1;
        if (next <= 0 || next >= block.Operations.Length ||
            block.Operations[next] is not IConditionalOperation { WhenFalse: null } guard ||
            !IsNullCheckOf(guard.Condition, local) || !AlwaysLeaves(guard.WhenTrue))
        {
            return null;
        }

        return new Check(local, writer: null, readsOnlyIn: null, excluded: guard.WhenTrue);
    }

    /// <summary><c>while ((x = Source()) != null) body</c>, condition first.</summary>
    private static Check? LoopCondition(ISimpleAssignmentOperation assignment, ILocalReferenceOperation target)
    {
        var value = Conversions.WithImplicitParents(assignment);

        if (value.Parent is not IBinaryOperation { OperatorKind: BinaryOperatorKind.NotEquals } comparison ||
            !IsNull(comparison.LeftOperand == value ? comparison.RightOperand : comparison.LeftOperand) ||
            comparison.Parent is not IWhileLoopOperation { ConditionIsTop: true, ConditionIsUntil: false } loop ||
            loop.Condition != comparison)
        {
            return null;
        }

        return new Check(target.Local, writer: target, readsOnlyIn: loop.Body, excluded: null);
    }

    private static bool IsNullCheckOf(IOperation condition, ILocalSymbol local) => condition switch
    {
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals =>
            (IsReferenceTo(equals.LeftOperand, local) && IsNull(equals.RightOperand)) ||
            (IsReferenceTo(equals.RightOperand, local) && IsNull(equals.LeftOperand)),
        IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var constant } } pattern =>
            IsReferenceTo(pattern.Value, local) && IsNull(constant),
        _ => false,
    };

    private static bool IsReferenceTo(IOperation operation, ILocalSymbol local) =>
        Conversions.StripImplicit(operation) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

    private static bool IsNull(IOperation operation) =>
        Conversions.StripImplicit(operation) is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } };

    /// <summary><c>return</c>, <c>throw</c>, <c>break</c>, <c>continue</c>, or a block that ends with one (not <c>goto</c>).</summary>
    private static bool AlwaysLeaves(IOperation operation) => operation switch
    {
        IReturnOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IThrowOperation => true,
        IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue } => true,
        IBlockOperation { Operations: { Length: > 0 } operations } => AlwaysLeaves(operations[operations.Length - 1]),
        _ => false,
    };

    /// <summary>What a checked local allows: reads outside the null branch, or in the loop body; one write, the stored source.</summary>
    private sealed class Check
    {
        private readonly ILocalReferenceOperation? writer;
        private readonly IOperation? readsOnlyIn;
        private readonly IOperation? excluded;

        public Check(ILocalSymbol local, ILocalReferenceOperation? writer, IOperation? readsOnlyIn, IOperation? excluded)
        {
            Local = local;
            this.writer = writer;
            this.readsOnlyIn = readsOnlyIn;
            this.excluded = excluded;
        }

        public ILocalSymbol Local { get; }

        public bool Allows(ILocalReferenceOperation reference)
        {
            if (reference == writer)
            {
                return true;
            }

            if (!IsPlainRead(reference) || (excluded is not null && IsInside(reference, excluded, throughLambdas: true)))
            {
                return false;
            }

            return readsOnlyIn is null || IsInside(reference, readsOnlyIn, throughLambdas: false);
        }

        private static bool IsInside(IOperation operation, IOperation container, bool throughLambdas)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current == container)
                {
                    return true;
                }

                if (!throughLambdas && current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>A read of the value: not a write, not a reference that could write it later (ref, out, address).</summary>
        private static bool IsPlainRead(ILocalReferenceOperation reference) => reference.Parent switch
        {
            IAssignmentOperation assignment when assignment.Target == reference => false,
            IIncrementOrDecrementOperation => false,
            IAddressOfOperation => false,
            ITupleOperation => false,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => false,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.IsRef: true } } => false,
            IReturnOperation when reference.Local.ContainingSymbol is IMethodSymbol { ReturnsByRef: true } => false,
            _ => true,
        };
    }
}
