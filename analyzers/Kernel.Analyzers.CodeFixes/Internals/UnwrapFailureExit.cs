using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Kernel.Analyzers.CodeFixes.Internals;

/// <summary>
/// KRN003's early exit in the enclosing function's failure convention: <c>return;</c>, <c>return null;</c>,
/// <c>return false;</c>, <c>yield break;</c>, the negative error code the function already returns (<c>-Errno.ESRCH</c>),
/// else <c>-1</c> or <c>default</c>. (Kept apart from KRN001's <c>FailureConvention</c> until the two are merged.)
/// </summary>
internal static class UnwrapFailureExit
{
    /// <summary>The function (method, accessor, local function, lambda) whose body contains <paramref name="node"/>.</summary>
    public static SyntaxNode? EnclosingFunction(SyntaxNode node) =>
        node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax);

    public static StatementSyntax? For(SyntaxNode node, SemanticModel model)
    {
        var function = EnclosingFunction(node);
        var symbol = function switch
        {
            null => null,
            AnonymousFunctionExpressionSyntax lambda => model.GetSymbolInfo(lambda).Symbol as IMethodSymbol,
            _ => model.GetDeclaredSymbol(function) as IMethodSymbol,
        };
        if (function is null || symbol is null)
        {
            return null;
        }

        if (OwnNodes(function).OfType<YieldStatementSyntax>().Any())
        {
            return YieldStatement(SyntaxKind.YieldBreakStatement);
        }

        var type = symbol.ReturnType;
        if (symbol.IsAsync)
        {
            if (type is INamedTypeSymbol { IsGenericType: true } task && task.Name is "Task" or "ValueTask")
            {
                type = task.TypeArguments[0];
            }
            else
            {
                return ReturnStatement();
            }
        }

        if (symbol.ReturnsVoid || symbol.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.PropertySet)
        {
            return ReturnStatement();
        }

        ExpressionSyntax value = type switch
        {
            { SpecialType: SpecialType.System_Boolean } => LiteralExpression(SyntaxKind.FalseLiteralExpression),
            { IsReferenceType: true } or IPointerTypeSymbol => LiteralExpression(SyntaxKind.NullLiteralExpression),
            INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } => LiteralExpression(SyntaxKind.NullLiteralExpression),
            { SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_SByte or SpecialType.System_IntPtr }
                => ErrorCode(function, model) ?? PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(1))),
            _ => LiteralExpression(SyntaxKind.DefaultLiteralExpression),
        };
        return ReturnStatement(value);
    }

    /// <summary>The first negative constant the function returns, as written (<c>-Errno.ESRCH</c>, <c>-1</c>).</summary>
    private static ExpressionSyntax? ErrorCode(SyntaxNode function, SemanticModel model)
    {
        foreach (var returned in OwnNodes(function).OfType<ReturnStatementSyntax>())
        {
            if (returned.Expression is { } expression &&
                model.GetConstantValue(expression) is { HasValue: true, Value: { } constant } &&
                constant is int or long or short or sbyte && System.Convert.ToInt64(constant, System.Globalization.CultureInfo.InvariantCulture) < 0)
            {
                return expression.WithoutTrivia();
            }
        }

        return null;
    }

    /// <summary>The function's own nodes, not those of nested local functions and lambdas.</summary>
    private static System.Collections.Generic.IEnumerable<SyntaxNode> OwnNodes(SyntaxNode function) =>
        function.DescendantNodes(child => child == function || child is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax));
}
