using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Nullness;

/// <summary>
/// A look at what a method returns, without its control flow graph: when every returned expression is built from
/// values that are never null (literals, <c>new</c>, strings, calls that are not sources), the method cannot be a
/// may-return-null source and its summary is not needed to say so. Anything else (a local, a parameter, a field,
/// <c>?.</c>) is left to the full summary.
/// </summary>
internal static class ReturnedValues
{
    /// <param name="isSource">Whether a call in a returned expression may return null (at the callee's budget).</param>
    public static bool NeverNull(IMethodBodyOperation body, System.Func<IInvocationOperation, bool> isSource, CancellationToken cancellationToken)
    {
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var operation = pending.Pop();
            switch (operation)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    // Their returns are their own.
                    continue;
                case IReturnOperation { Kind: OperationKind.Return, ReturnedValue: { } value }:
                    if (!IsNeverNull(value, isSource))
                    {
                        return false;
                    }

                    continue;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return true;
    }

    private static bool IsNeverNull(IOperation value, System.Func<IInvocationOperation, bool> isSource) =>
        value switch
        {
            IConversionOperation { Conversion.IsUserDefined: false } conversion => IsNeverNull(conversion.Operand, isSource),
            IParenthesizedOperation parenthesized => IsNeverNull(parenthesized.Operand, isSource),
            // A zero literal is null once converted to the pointer or native integer the method returns.
            ILiteralOperation literal => literal.ConstantValue is { HasValue: true, Value: not (null or 0 or 0L or 0u or 0ul) },
            IInterpolatedStringOperation or IObjectCreationOperation or IArrayCreationOperation or
                IAnonymousObjectCreationOperation or ITypeOfOperation or INameOfOperation or IInstanceReferenceOperation or
                IBinaryOperation or IThrowOperation => true,
            IConditionalOperation { WhenFalse: { } whenFalse } conditional =>
                IsNeverNull(conditional.WhenTrue, isSource) && IsNeverNull(whenFalse, isSource),
            ICoalesceOperation coalesce => IsNeverNull(coalesce.WhenNull, isSource),
            ISwitchExpressionOperation switchExpression => AllArmsNeverNull(switchExpression, isSource),
            IInvocationOperation invocation => !isSource(invocation),
            _ => false,
        };

    private static bool AllArmsNeverNull(ISwitchExpressionOperation switchExpression, System.Func<IInvocationOperation, bool> isSource)
    {
        foreach (var arm in switchExpression.Arms)
        {
            if (!IsNeverNull(arm.Value, isSource))
            {
                return false;
            }
        }

        return true;
    }
}
