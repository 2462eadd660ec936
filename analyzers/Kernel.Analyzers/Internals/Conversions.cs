using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Internals;

/// <summary>Seeing through the conversions around a value, in the two ways the rules need.</summary>
internal static class Conversions
{
    /// <summary>
    /// The value under built-in conversions and parentheses: <c>(byte*)p</c>, <c>(object)x</c> and <c>(p)</c> are
    /// the storage they convert. A user-defined conversion runs code, so it is a new value.
    /// </summary>
    public static IOperation Strip(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { Conversion.IsUserDefined: false } conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The value under the conversions the compiler inserted (none written in the source).</summary>
    public static IOperation StripImplicit(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The value with the conversions the compiler wrapped around it: what its parent sees.</summary>
    public static IOperation WithImplicitParents(IOperation operation)
    {
        while (operation.Parent is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion;
        }

        return operation;
    }
}
