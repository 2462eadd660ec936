using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kernel.Analyzers.CodeFixes.Internals;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Kernel.Analyzers.CodeFixes;

/// <summary>
/// KRN004's fix: turn the presence test into one read into a pattern variable (<c>proc.Vm.HasValue</c> to
/// <c>proc.Vm is { } vm</c>, <c>!proc.Vm.HasValue</c> to <c>proc.Vm is not { } vm</c>) and use the variable in place of
/// every unwrap that test guards.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CheckThenUnwrapRaceFixer))]
public sealed class CheckThenUnwrapRaceFixer : PlannedFixer
{
    private const string EquivalenceKey = "KRN004.ReadOnce";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.CheckThenUnwrapRace);

    protected override IEnumerable<(string Title, string EquivalenceKey)> Offers(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.AdditionalLocations.Count > 0 &&
            OptionalFixes.NodeAt(root, diagnostic.Location.SourceSpan) is { } unwrap &&
            OptionalFixes.NodeAt(root, diagnostic.AdditionalLocations[0].SourceSpan) is { } check &&
            Rewrite(root, model, unwrap, check) is not null)
        {
            yield return ("Read it once into a pattern variable", EquivalenceKey);
        }
    }

    protected override async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // Annotate every unwrap and test first: each fix changes the tree the next one is found in.
        var pairs = new List<(SyntaxAnnotation Unwrap, SyntaxAnnotation Check)>();
        var annotations = new Dictionary<SyntaxNode, SyntaxAnnotation>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (diagnostic.AdditionalLocations.Count == 0 ||
                OptionalFixes.NodeAt(root, diagnostic.Location.SourceSpan) is not { } unwrap ||
                OptionalFixes.NodeAt(root, diagnostic.AdditionalLocations[0].SourceSpan) is not { } check)
            {
                continue;
            }

            pairs.Add((Annotate(unwrap), Annotate(check)));
        }

        SyntaxAnnotation Annotate(SyntaxNode node)
        {
            if (!annotations.TryGetValue(node, out var annotation))
            {
                annotation = new SyntaxAnnotation();
                annotations.Add(node, annotation);
            }

            return annotation;
        }

        document = document.WithSyntaxRoot(root.ReplaceNodes(annotations.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotations[original])));
        foreach (var (unwrapAnnotation, checkAnnotation) in pairs)
        {
            root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
            var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
            if (root.GetAnnotatedNodes(unwrapAnnotation).FirstOrDefault() is { } unwrap &&
                root.GetAnnotatedNodes(checkAnnotation).FirstOrDefault() is { } check &&
                Rewrite(root, model, unwrap, check) is { } fixedRoot)
            {
                document = document.WithSyntaxRoot(fixedRoot);
            }
        }

        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static SyntaxNode? Rewrite(SyntaxNode root, SemanticModel model, SyntaxNode unwrap, SyntaxNode check)
    {
        if (Test(check) is not { } test || OptionalFixes.ReceiverOf(unwrap) is not { } unwrapped ||
            !OptionalFixes.SameRead(unwrapped, test.Receiver) ||
            FailureConvention.EnclosingBody(test.Expression) is not { } function)
        {
            return null;
        }

        var forced = unwrap is PostfixUnaryExpressionSyntax;
        var kind = OptionalFixes.KindOf(test.Receiver, model, forced, out var member, out var meansPresent);
        if (kind is null or OptionalFixKind.Pointer)
        {
            return null;
        }

        if (kind == OptionalFixKind.TryUnwrap)
        {
            // The pattern reads the presence member; TryUnwrap is for KRN003's fix.
            if (PresenceMember(test.Receiver, model) is not { } presence)
            {
                return null;
            }

            kind = OptionalFixKind.PresencePattern;
            member = presence.Name;
            meansPresent = presence.MeansPresent;
        }

        var scopes = Guarded(test.Expression, test.Present);
        if (!scopes.Any(scope => scope.Span.Contains(unwrap.Span)))
        {
            return null;
        }

        var name = OptionalFixes.NameFor(test.Receiver, model, function);
        var replaceKind = kind == OptionalFixKind.Reference ? OptionalFixKind.Nullable : kind.Value;
        var unwraps = new HashSet<SyntaxNode> { unwrap };
        foreach (var scope in scopes)
        {
            if (scope is StatementSyntax && OptionalFixes.Writes(scope, test.Receiver))
            {
                break;
            }

            unwraps.UnionWith(OptionalFixes.UnwrapsOf(test.Receiver, scope, forced));
        }

        var pattern = OptionalFixes.Pattern(test.Receiver, kind.Value, member, meansPresent, name, negated: !test.Present)
            .WithTriviaFrom(test.Expression);
        return root.ReplaceNodes(
            unwraps.Append(test.Expression),
            (original, rewritten) => original == test.Expression ? pattern : OptionalFixes.Replacement(rewritten, replaceKind, name));
    }

    private static (string Name, bool MeansPresent)? PresenceMember(ExpressionSyntax receiver, SemanticModel model)
    {
        for (var type = model.GetTypeInfo(receiver).Type; type is not null; type = type.BaseType)
        {
            foreach (var candidate in type.GetMembers())
            {
                if (candidate is IPropertySymbol or IFieldSymbol && !candidate.IsStatic && Optional.OptionalTypes.IsPresenceMember(candidate, out var present))
                {
                    return (candidate.Name, present);
                }
            }
        }

        return null;
    }

    /// <summary>The presence test as written: the whole expression, the optional it reads, and whether true means present.</summary>
    private static (ExpressionSyntax Expression, ExpressionSyntax Receiver, bool Present)? Test(SyntaxNode check)
    {
        switch (check)
        {
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } member when name is "HasValue" or "IsSome" or "IsPresent" or "IsNone" or "IsEmpty":
                var present = name is "HasValue" or "IsSome" or "IsPresent";
                ExpressionSyntax whole = member;
                while (whole.Parent is ParenthesizedExpressionSyntax parenthesized)
                {
                    whole = parenthesized;
                }

                return whole.Parent is PrefixUnaryExpressionSyntax not && not.IsKind(SyntaxKind.LogicalNotExpression)
                    ? (not, member.Expression, !present)
                    : (member, member.Expression, present);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression):
                var other = binary.Right.IsKind(SyntaxKind.NullLiteralExpression) ? binary.Left
                    : binary.Left.IsKind(SyntaxKind.NullLiteralExpression) ? binary.Right
                    : null;
                return other is null ? null : (binary, other, binary.IsKind(SyntaxKind.NotEqualsExpression));
            case IsPatternExpressionSyntax isPattern:
                return isPattern.Pattern switch
                {
                    ConstantPatternSyntax { Expression: LiteralExpressionSyntax literal } when literal.IsKind(SyntaxKind.NullLiteralExpression) => (isPattern, isPattern.Expression, false),
                    UnaryPatternSyntax { Pattern: ConstantPatternSyntax { Expression: LiteralExpressionSyntax literal } } when literal.IsKind(SyntaxKind.NullLiteralExpression) => (isPattern, isPattern.Expression, true),
                    RecursivePatternSyntax { Designation: null, Type: null, PositionalPatternClause: null, PropertyPatternClause.Subpatterns.Count: 0 } => (isPattern, isPattern.Expression, true),
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>
    /// Where a pattern variable declared by the test is definitely assigned: for a test true when present, the right of
    /// its <c>&amp;&amp;</c>, the branch of its <c>if</c>/<c>?:</c>/<c>while</c>; for a test true when absent, the right of its
    /// <c>||</c>, the <c>else</c>, and the statements after an <c>if</c> that always leaves.
    /// </summary>
    private static List<SyntaxNode> Guarded(ExpressionSyntax test, bool present)
    {
        var scopes = new List<SyntaxNode>();
        var junction = present ? SyntaxKind.LogicalAndExpression : SyntaxKind.LogicalOrExpression;
        SyntaxNode current = test;
        while (true)
        {
            var parent = current.Parent;
            if (parent is ParenthesizedExpressionSyntax)
            {
                current = parent;
                continue;
            }

            if (parent is BinaryExpressionSyntax binary && binary.IsKind(junction))
            {
                if (binary.Left == current)
                {
                    scopes.Add(binary.Right);
                }

                current = binary;
                continue;
            }

            break;
        }

        switch (current.Parent)
        {
            case IfStatementSyntax ifStatement when ifStatement.Condition == current:
                if (present)
                {
                    scopes.Add(ifStatement.Statement);
                }
                else
                {
                    if (ifStatement.Else is { } elseClause)
                    {
                        scopes.Add(elseClause.Statement);
                    }

                    if (OptionalFixes.AlwaysExits(ifStatement.Statement) && ifStatement.Parent is BlockSyntax block)
                    {
                        scopes.AddRange(block.Statements.Skip(block.Statements.IndexOf(ifStatement) + 1));
                    }
                }

                break;
            case ConditionalExpressionSyntax conditional when conditional.Condition == current:
                scopes.Add(present ? conditional.WhenTrue : conditional.WhenFalse);
                break;
            case WhileStatementSyntax loop when loop.Condition == current && present:
                scopes.Add(loop.Statement);
                break;
        }

        return scopes;
    }
}
