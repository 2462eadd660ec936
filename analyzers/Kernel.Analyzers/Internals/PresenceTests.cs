using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Internals;

/// <summary>What a test's outcome says about a null input, for the rules that refine null state or presence.</summary>
internal static class PresenceTests
{
    /// <summary>
    /// Whether <paramref name="pattern"/> matches a null input (<c>null</c>, <c>_</c>, <c>var x</c>, <c>not 0</c>), or
    /// not (<c>{ }</c>, <c>Conn c</c>, <c>&gt; 0</c>, <c>1 or 2</c>); null when it cannot be told.
    /// </summary>
    public static bool? MatchesNull(IPatternOperation pattern) => pattern switch
    {
        IConstantPatternOperation constant => IsNull(constant.Value),
        IDeclarationPatternOperation declaration => declaration.MatchesNull,
        IDiscardPatternOperation => true,
        IRecursivePatternOperation or ITypePatternOperation or IRelationalPatternOperation or IListPatternOperation => false,
        INegatedPatternOperation negated => !MatchesNull(negated.Pattern),
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } or =>
            MatchesNull(or.LeftPattern) is { } left && MatchesNull(or.RightPattern) is { } right ? left || right : null,
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } and =>
            MatchesNull(and.LeftPattern) is { } left && MatchesNull(and.RightPattern) is { } right ? left && right : null,
        _ => null,
    };

    /// <summary>The bool a constant pattern tests for (<c>o.HasValue is false</c>), else null.</summary>
    public static bool? BoolConstant(IPatternOperation pattern) =>
        pattern is IConstantPatternOperation constant && Conversions.Strip(constant.Value).ConstantValue is { HasValue: true, Value: bool value }
            ? value
            : null;

    /// <summary>Whether a lifted comparison's outcome proves both operands have values (it is false when one is null).</summary>
    public static bool LiftedOperandsPresent(IBinaryOperation lifted, bool value) => lifted.OperatorKind switch
    {
        BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or
        BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual => value,
        BinaryOperatorKind.Equals => value && (HasValueConstant(lifted.LeftOperand) || HasValueConstant(lifted.RightOperand)),
        BinaryOperatorKind.NotEquals => !value && (HasValueConstant(lifted.LeftOperand) || HasValueConstant(lifted.RightOperand)),
        _ => false,
    };

    private static bool HasValueConstant(IOperation operand) => Conversions.Strip(operand).ConstantValue is { HasValue: true, Value: not null };

    private static bool IsNull(IOperation value)
    {
        var stripped = Conversions.Strip(value);
        return stripped is IDefaultValueOperation || stripped.ConstantValue is { HasValue: true, Value: null };
    }
}
