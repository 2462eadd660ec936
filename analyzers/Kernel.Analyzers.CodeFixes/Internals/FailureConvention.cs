using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Kernel.Analyzers.CodeFixes.Internals;

/// <summary>
/// How a method reports failure, read from its signature and its other return statements: the statement a fix
/// inserts to leave early (<c>return;</c>, <c>return null;</c>, <c>return false;</c>, <c>return -EINVAL;</c>, ...).
/// </summary>
internal static class FailureConvention
{
    /// <summary>The executable member (method, local function, lambda, accessor) that contains <paramref name="node"/>.</summary>
    public static SyntaxNode? EnclosingBody(SyntaxNode node) =>
        node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax);

    public static StatementSyntax? EarlyExit(SyntaxNode body, SemanticModel model)
    {
        var symbol = body is AnonymousFunctionExpressionSyntax
            ? model.GetSymbolInfo(body).Symbol as IMethodSymbol
            : model.GetDeclaredSymbol(body) as IMethodSymbol;
        if (symbol is null)
        {
            return null;
        }

        if (symbol.IsIterator())
        {
            return YieldStatement(SyntaxKind.YieldBreakStatement);
        }

        var type = symbol.ReturnType;
        if (symbol.IsAsync && type is INamedTypeSymbol { IsGenericType: true } task && task.Name is "Task" or "ValueTask")
        {
            type = task.TypeArguments[0];
        }
        else if (symbol.IsAsync || symbol.ReturnsVoid || symbol.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor)
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
                return LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0));
            case { SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_SByte }:
                return ExistingErrorCode(body) ?? PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(1)));
            default:
                return LiteralExpression(SyntaxKind.DefaultLiteralExpression, Token(SyntaxKind.DefaultKeyword));
        }
    }

    /// <summary>The negative error value the method already returns on another failure path (<c>return -ENOMEM;</c>).</summary>
    private static ExpressionSyntax? ExistingErrorCode(SyntaxNode body)
    {
        foreach (var returned in body.DescendantNodes(n => n == body || n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)).OfType<ReturnStatementSyntax>())
        {
            if (returned.Expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } negative)
            {
                return negative.WithoutTrivia();
            }
        }

        return null;
    }

    private static bool IsIterator(this IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.Any(r => r.GetSyntax().DescendantNodes(n => n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)).OfType<YieldStatementSyntax>().Any());
}
