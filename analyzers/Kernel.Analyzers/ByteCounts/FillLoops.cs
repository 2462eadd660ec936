using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.ByteCounts;

/// <summary>A defect of a loop that should fill a buffer: where it is and what the message names.</summary>
public readonly struct FillLoopDefect
{
    public FillLoopDefect(IOperation node, bool advancesByRequested, string offset, string requested)
    {
        Node = node;
        AdvancesByRequested = advancesByRequested;
        Offset = offset;
        Requested = requested;
    }

    /// <summary>The increment (<c>off += chunk</c>) or the comparison that leaves the loop.</summary>
    public IOperation Node { get; }

    public bool AdvancesByRequested { get; }

    public string Offset { get; }

    public string Requested { get; }
}

/// <summary>
/// Loops that should fill a buffer: one that advances its offset by the requested length instead of the returned
/// count, and one that leaves at the first short read (a count below the requested length is not the end of stream).
/// Read on the operation tree (not the flow graph): the shapes are syntactic and local to the loop.
/// </summary>
public static class FillLoops
{
    public static FillLoopDefect? Find(IInvocationOperation read, ByteCountApi api, ILocalSymbol count)
    {
        var loop = EnclosingLoop(read);
        if (loop is null)
        {
            return null;
        }

        var requested = api.Length >= 0 ? CountFlowAnalysis.Argument(read, api.Length) : null;
        var buffer = api.Buffer >= 0 ? CountFlowAnalysis.Argument(read, api.Buffer) : null;
        if (requested is null || IsConstantOne(requested))
        {
            return null;
        }

        var requestedText = Normalize(requested.Syntax.ToString());
        foreach (var operation in loop.Descendants())
        {
            switch (operation)
            {
                case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound
                    when Offset(compound.Target, read) is { } offset && !Mentions(compound.Value, count) &&
                         IsRequestedLength(compound.Value, requested, requestedText):
                    return new FillLoopDefect(compound, advancesByRequested: true, offset.Name, requested.Syntax.ToString());
                case IBinaryOperation binary when StopsAtShortRead(binary, loop, count, requestedText, buffer):
                    return new FillLoopDefect(binary, advancesByRequested: false, count.Name, requested.Syntax.ToString());
            }
        }

        return null;
    }

    /// <summary>The increment is the requested length, or one bound of a <c>Math.Min(chunk, left)</c> request.</summary>
    private static bool IsRequestedLength(IOperation increment, IOperation requested, string requestedText)
    {
        var text = Normalize(increment.Syntax.ToString());
        if (text == requestedText)
        {
            return true;
        }

        if (requested is IInvocationOperation { TargetMethod.Name: "Min", Arguments.Length: 2 } min)
        {
            foreach (var argument in min.Arguments)
            {
                if (Normalize(argument.Value.Syntax.ToString()) == text)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static ILoopOperation? EnclosingLoop(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case ILoopOperation loop:
                    return loop;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>The local or parameter the read's arguments mention that <paramref name="target"/> writes.</summary>
    private static ISymbol? Offset(IOperation target, IInvocationOperation read)
    {
        var symbol = target switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            _ => null,
        };
        if (symbol is null)
        {
            return null;
        }

        foreach (var argument in read.Arguments)
        {
            if (Mentions(argument.Value, symbol))
            {
                return symbol;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>if (n &lt; chunk) break;</c>, <c>if (n != chunk) break;</c>, or a loop condition <c>n == chunk</c> /
    /// <c>n &gt;= chunk</c>: the loop goes on only while reads come back full.
    /// </summary>
    private static bool StopsAtShortRead(IBinaryOperation binary, ILoopOperation loop, ILocalSymbol count, string requestedText, IOperation? buffer)
    {
        var countOnLeft = IsLocal(binary.LeftOperand, count);
        var countOnRight = IsLocal(binary.RightOperand, count);
        if (countOnLeft == countOnRight)
        {
            return false;
        }

        var other = countOnLeft ? binary.RightOperand : binary.LeftOperand;
        var otherText = Normalize(other.Syntax.ToString());
        var full = otherText == requestedText ||
                   (buffer is not null && otherText == Normalize(buffer.Syntax + ".Length"));
        if (!full)
        {
            return false;
        }

        var kind = countOnLeft ? binary.OperatorKind : Mirror(binary.OperatorKind);
        if (IsLoopCondition(binary, loop))
        {
            return kind is BinaryOperatorKind.Equals or BinaryOperatorKind.GreaterThanOrEqual;
        }

        if (kind is not (BinaryOperatorKind.LessThan or BinaryOperatorKind.NotEquals))
        {
            return false;
        }

        var parent = binary.Parent;
        while (parent is IParenthesizedOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IConditionalOperation conditional && conditional.Condition == binary && IsBreak(conditional.WhenTrue);
    }

    private static bool IsLoopCondition(IOperation operation, ILoopOperation loop)
    {
        var condition = loop switch
        {
            IWhileLoopOperation whileLoop => whileLoop.Condition,
            IForLoopOperation forLoop => forLoop.Condition,
            _ => null,
        };
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == condition)
            {
                return true;
            }

            if (current is not (IBinaryOperation or IParenthesizedOperation or IConversionOperation))
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsBreak(IOperation operation) => operation switch
    {
        IBranchOperation { BranchKind: BranchKind.Break } => true,
        IBlockOperation { Operations.Length: 1 } block => IsBreak(block.Operations[0]),
        _ => false,
    };

    private static BinaryOperatorKind Mirror(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
        _ => kind,
    };

    private static bool IsLocal(IOperation operation, ILocalSymbol local) =>
        CountFlowAnalysis.Unwrap(operation) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

    private static bool Mentions(IOperation operation, ISymbol symbol)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            var referenced = descendant switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                IFieldReferenceOperation field => field.Field,
                _ => null,
            };
            if (referenced is not null && SymbolEqualityComparer.Default.Equals(referenced, symbol))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsConstantOne(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: int or long or uint or ulong } constant &&
        Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture) == 1;

    internal static string Normalize(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c != '(' && c != ')')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
