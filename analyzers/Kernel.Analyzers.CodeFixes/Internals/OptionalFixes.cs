using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Kernel.Analyzers.CodeFixes.Internals;

/// <summary>How a fix reads an optional once: the pattern it writes and what an unwrap of the receiver becomes.</summary>
internal enum OptionalFixKind
{
    /// <summary><c>Nullable&lt;T&gt;</c>: <c>o is { } v</c>, every unwrap becomes <c>v</c>.</summary>
    Nullable,

    /// <summary>An Option type with <c>TryUnwrap(out v)</c>: every unwrap becomes <c>v</c>.</summary>
    TryUnwrap,

    /// <summary>An Option type: <c>o is { IsSome: true } v</c>, unwraps become <c>v.Unwrap()</c>.</summary>
    PresencePattern,

    /// <summary>A reference forced with <c>!</c>: <c>x is { } v</c> / <c>v == null</c>, <c>x!</c> becomes <c>v</c>.</summary>
    Reference,

    /// <summary>A pointer forced with <c>!</c>: only a null test on a local works.</summary>
    Pointer,
}

/// <summary>The syntax side of KRN003's and KRN004's fixes: receivers of unwraps, names, replacements.</summary>
internal static class OptionalFixes
{
    public static readonly SyntaxAnnotation Unwrap = new("Kernel.Analyzers.Unwrap");

    /// <summary>The optional an unwrap expression unwraps: <c>o</c> of <c>o.Value</c>, <c>o.Unwrap()</c>, <c>(T)o</c>, <c>o!</c>.</summary>
    public static ExpressionSyntax? ReceiverOf(SyntaxNode node) => node switch
    {
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Value" } member when member.Parent is not InvocationExpressionSyntax { Expression: var e } || e != member => member.Expression,
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Unwrap" or "Expect" or "Get" } member } => member.Expression,
        CastExpressionSyntax cast => cast.Expression,
        PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.SuppressNullableWarningExpression) => postfix.Operand,
        _ => null,
    };

    public static ExpressionSyntax Strip(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    public static bool SameRead(ExpressionSyntax left, ExpressionSyntax right) =>
        SyntaxFactory.AreEquivalent(Strip(left), Strip(right), topLevel: false);

    /// <summary>How the fix handles the receiver's type, or null when no fix applies.</summary>
    public static OptionalFixKind? KindOf(ExpressionSyntax receiver, SemanticModel model, bool forced, out string? member, out bool meansPresent)
    {
        member = null;
        meansPresent = true;
        var type = model.GetTypeInfo(receiver).Type;
        switch (type)
        {
            case null or IErrorTypeSymbol:
                return null;
            case IPointerTypeSymbol:
                return forced ? OptionalFixKind.Pointer : null;
            case INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }:
                return OptionalFixKind.Nullable;
        }

        if (forced)
        {
            return type.IsReferenceType ? OptionalFixKind.Reference : null;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var candidate in current.GetMembers())
            {
                if (member is null && candidate is IPropertySymbol or IFieldSymbol && !candidate.IsStatic &&
                    Optional.OptionalTypes.IsPresenceMember(candidate, out var present))
                {
                    member = candidate.Name;
                    meansPresent = present;
                }
            }
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var candidate in current.GetMembers())
            {
                if (candidate is IMethodSymbol { IsStatic: false } method && Optional.OptionalTypes.IsTryUnwrap(method) && method.Parameters.Length == 1)
                {
                    member = method.Name;
                    return OptionalFixKind.TryUnwrap;
                }
            }
        }

        return member is null ? null : OptionalFixKind.PresencePattern;
    }

    /// <summary><c>o is { } v</c> or <c>o is { IsSome: true } v</c>, negated when <paramref name="negated"/>.</summary>
    public static ExpressionSyntax Pattern(ExpressionSyntax receiver, OptionalFixKind kind, string? member, bool meansPresent, string name, bool negated)
    {
        var clause = kind == OptionalFixKind.PresencePattern
            ? "{ " + member + ": " + (meansPresent ? "true" : "false") + " }"
            : "{ }";
        var text = Strip(receiver).WithoutTrivia().ToFullString() + (negated ? " is not " : " is ") + clause + " " + name;
        return ParseExpression(text);
    }

    /// <summary>What an unwrap of the receiver becomes once it is read into <paramref name="name"/>.</summary>
    public static ExpressionSyntax Replacement(SyntaxNode unwrap, OptionalFixKind kind, string name)
    {
        var variable = IdentifierName(name);
        if (kind == OptionalFixKind.PresencePattern)
        {
            var receiver = ReceiverOf(unwrap)!;
            return ((ExpressionSyntax)unwrap.ReplaceNode(receiver, variable.WithTriviaFrom(receiver))).WithTriviaFrom(unwrap);
        }

        return variable.WithTriviaFrom(unwrap);
    }

    /// <summary>Unwraps of <paramref name="receiver"/> inside <paramref name="scope"/>.</summary>
    public static IEnumerable<ExpressionSyntax> UnwrapsOf(ExpressionSyntax receiver, SyntaxNode scope, bool forced)
    {
        foreach (var node in scope.DescendantNodesAndSelf())
        {
            if (node is ExpressionSyntax expression && ReceiverOf(node) is { } candidate && SameRead(candidate, receiver) &&
                (node is PostfixUnaryExpressionSyntax) == forced)
            {
                yield return expression;
            }
        }
    }

    /// <summary>True when <paramref name="statement"/> writes <paramref name="receiver"/> (or the location it goes through).</summary>
    public static bool Writes(SyntaxNode statement, ExpressionSyntax receiver)
    {
        foreach (var node in statement.DescendantNodesAndSelf())
        {
            if (node is AssignmentExpressionSyntax assignment &&
                (SameRead(assignment.Left, receiver) || receiver.DescendantNodesAndSelf().OfType<ExpressionSyntax>().Any(part => SameRead(part, assignment.Left))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A local name for the value read once: <c>addressSpace</c> for <c>proc.AddressSpace</c>, unique in the function.</summary>
    public static string NameFor(ExpressionSyntax receiver, SemanticModel model, SyntaxNode function)
    {
        var stripped = Strip(receiver);
        var simple = stripped is InvocationExpressionSyntax invocation ? invocation.Expression : stripped;
        var identifier = simple switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            IdentifierNameSyntax name when model.GetSymbolInfo(name).Symbol is ILocalSymbol or IParameterSymbol => name.Identifier.ValueText + "Value",
            IdentifierNameSyntax name => name.Identifier.ValueText,
            _ => "value",
        };
        if (stripped is InvocationExpressionSyntax && identifier.Length > 3 && identifier.StartsWith("Get", System.StringComparison.Ordinal) && char.IsUpper(identifier[3]))
        {
            identifier = identifier.Substring(3);
        }

        identifier = identifier.TrimStart('_');
        if (identifier.Length == 0)
        {
            identifier = "value";
        }

        identifier = char.ToLowerInvariant(identifier[0]) + identifier.Substring(1);
        if (SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None)
        {
            identifier = "@" + identifier;
        }

        var taken = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var symbol in model.LookupSymbols(function.SpanStart))
        {
            taken.Add(symbol.Name);
        }

        foreach (var token in function.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken))
            {
                taken.Add(token.ValueText);
            }
        }

        var candidate = identifier;
        for (var i = 2; taken.Contains(candidate.TrimStart('@')); i++)
        {
            candidate = identifier + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>The node a diagnostic's span covers exactly.</summary>
    public static SyntaxNode? NodeAt(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        var node = root.FindNode(span, getInnermostNodeForTie: true);
        while (node is not null && node.Span != span)
        {
            node = node.Parent;
        }

        return node;
    }

    /// <summary>True when a statement cannot complete normally: return, throw, break, continue, goto, yield break.</summary>
    public static bool AlwaysExits(StatementSyntax statement) => statement switch
    {
        ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax => true,
        YieldStatementSyntax yield => yield.IsKind(SyntaxKind.YieldBreakStatement),
        ExpressionStatementSyntax { Expression: ThrowExpressionSyntax } => true,
        BlockSyntax block => block.Statements.LastOrDefault() is { } last && AlwaysExits(last),
        _ => false,
    };
}
