using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Kernel.Analyzers.CodeFixes.Internals;

/// <summary>The idiomatic null test for a value of a given type: <c>p == null</c> for pointers, <c>c is null</c> for references.</summary>
internal static class NullCheck
{
    public static ExpressionSyntax IsNull(ExpressionSyntax value, ITypeSymbol? type) => type switch
    {
        IPointerTypeSymbol or IFunctionPointerTypeSymbol =>
            BinaryExpression(SyntaxKind.EqualsExpression, value, LiteralExpression(SyntaxKind.NullLiteralExpression)),
        { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } =>
            BinaryExpression(SyntaxKind.EqualsExpression, value, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))),
        _ => IsPatternExpression(value, ConstantPattern(LiteralExpression(SyntaxKind.NullLiteralExpression))),
    };

    /// <summary><c>if (&lt;condition&gt;) { &lt;exit&gt; }</c>, formatted by the workspace.</summary>
    public static IfStatementSyntax Guard(ExpressionSyntax condition, StatementSyntax exit) =>
        IfStatement(condition, Block(exit)).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
}
