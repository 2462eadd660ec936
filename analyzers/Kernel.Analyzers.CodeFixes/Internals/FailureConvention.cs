using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Kernel.Analyzers.CodeFixes.Internals;

/// <summary>
/// How a function reports failure, read from its signature and its other return statements: the statement a fix
/// inserts to leave early (<c>return;</c>, <c>return null;</c>, <c>return false;</c>, <c>yield break;</c>,
/// <c>return -EINVAL;</c>, ...). Shared by every rule's fix.
/// </summary>
internal static class FailureConvention
{
    /// <summary>The function (method, accessor, local function, lambda) whose body contains <paramref name="node"/>.</summary>
    public static SyntaxNode? EnclosingBody(SyntaxNode node) =>
        node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax);

    /// <summary>The early exit for the function that contains <paramref name="node"/>.</summary>
    public static StatementSyntax? EarlyExitFor(SyntaxNode node, SemanticModel model) =>
        EnclosingBody(node) is { } body ? EarlyExit(body, model) : null;

    public static StatementSyntax? EarlyExit(SyntaxNode body, SemanticModel model)
    {
        var symbol = body is AnonymousFunctionExpressionSyntax
            ? model.GetSymbolInfo(body).Symbol as IMethodSymbol
            : model.GetDeclaredSymbol(body) as IMethodSymbol;
        if (symbol is null)
        {
            return null;
        }

        if (OwnNodes(body).OfType<YieldStatementSyntax>().Any())
        {
            return YieldStatement(SyntaxKind.YieldBreakStatement);
        }

        var type = symbol.ReturnType;
        if (symbol.IsAsync && type is INamedTypeSymbol { IsGenericType: true } task && task.Name is "Task" or "ValueTask")
        {
            type = task.TypeArguments[0];
        }
        else if (symbol.IsAsync || symbol.ReturnsVoid ||
                 symbol.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.PropertySet)
        {
            return ReturnStatement();
        }

        return ReturnStatement(FailureValue(type, body, model));
    }

    private static ExpressionSyntax FailureValue(ITypeSymbol type, SyntaxNode body, SemanticModel model)
    {
        switch (type)
        {
            case { SpecialType: SpecialType.System_Boolean }:
                return LiteralExpression(SyntaxKind.FalseLiteralExpression);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol or { IsReferenceType: true }:
            case INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }:
                return LiteralExpression(SyntaxKind.NullLiteralExpression);
            case { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr }:
                // A handle: zero is its null.
                return LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0));
            case { SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_SByte }:
                return ExistingErrorCode(body, model) ?? PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(1)));
            default:
                return LiteralExpression(SyntaxKind.DefaultLiteralExpression, Token(SyntaxKind.DefaultKeyword));
        }
    }

    /// <summary>
    /// The negative error value the function already returns on another failure path, as written: a negative constant
    /// (<c>-Errno.ESRCH</c>, <c>-1</c>, a named negative constant) or a negation (<c>return -err;</c>).
    /// </summary>
    private static ExpressionSyntax? ExistingErrorCode(SyntaxNode body, SemanticModel model)
    {
        foreach (var returned in OwnNodes(body).OfType<ReturnStatementSyntax>())
        {
            if (returned.Expression is not { } expression)
            {
                continue;
            }

            var negativeConstant = model.GetConstantValue(expression) is { HasValue: true, Value: int or long or short or sbyte } constant &&
                                   System.Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture) < 0;
            if (negativeConstant || expression.IsKind(SyntaxKind.UnaryMinusExpression))
            {
                return expression.WithoutTrivia();
            }
        }

        return null;
    }

    /// <summary>The function's own nodes, not those of nested local functions and lambdas.</summary>
    private static IEnumerable<SyntaxNode> OwnNodes(SyntaxNode body) =>
        body.DescendantNodes(child => child == body || child is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax));
}
