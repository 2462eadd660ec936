using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kernel.Analyzers.CodeFixes.Internals;
using Kernel.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kernel.Analyzers.CodeFixes;

/// <summary>
/// KRN002's fix: move the late init to just before the first use when nothing it reads is computed in between;
/// otherwise insert it at the start of the initializer and remove the late one. For a local that nothing
/// initializes, insert its init call before the use.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockUsedBeforeInitFixer))]
public sealed class LockUsedBeforeInitFixer : PlannedFixer
{
    internal const string EquivalenceKey = "KRN002.InitBeforeUse";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.LockUsedBeforeInit);

    protected override IEnumerable<(string Title, string EquivalenceKey)> Offers(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Plan.Create(root, model, diagnostic, cancellationToken) is { } plan)
        {
            yield return (plan.Title, EquivalenceKey);
        }
    }

    protected override async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        // Plan every fix on the original tree, mark the nodes, then apply the edits one by one through the marks.
        var plans = new List<Plan>();
        var marks = new Dictionary<SyntaxNode, List<SyntaxAnnotation>>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (Plan.Create(root, model, diagnostic, cancellationToken) is not { } plan)
            {
                continue;
            }

            plans.Add(plan);
            Mark(marks, plan.Anchor, plan.AnchorMark);
            if (plan.LateInit is { } late)
            {
                Mark(marks, late, plan.LateInitMark);
            }
        }

        if (plans.Count == 0)
        {
            return document;
        }

        root = root.ReplaceNodes(marks.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(marks[original]));
        var moved = new HashSet<SyntaxNode>();
        foreach (var plan in plans)
        {
            var anchor = root.GetAnnotatedNodes(plan.AnchorMark).OfType<StatementSyntax>().FirstOrDefault();
            if (anchor is null)
            {
                continue;
            }

            if (plan.LateInit is { } lateInit)
            {
                if (!moved.Add(lateInit))
                {
                    continue;
                }

                var late = root.GetAnnotatedNodes(plan.LateInitMark).FirstOrDefault();
                if (late is null)
                {
                    continue;
                }

                root = root.RemoveNode(late, SyntaxRemoveOptions.KeepNoTrivia)!;
                anchor = root.GetAnnotatedNodes(plan.AnchorMark).OfType<StatementSyntax>().FirstOrDefault();
                if (anchor is null)
                {
                    continue;
                }
            }

            var inserted = plan.Statement
                .WithoutAnnotations(plan.LateInitMark)
                .WithLeadingTrivia(Indentation(anchor))
                .WithTrailingTrivia(SyntaxFactory.EndOfLine("\n"));
            root = root.InsertNodesBefore(anchor, new[] { inserted });
        }

        return document.WithSyntaxRoot(root);
    }

    private static void Mark(Dictionary<SyntaxNode, List<SyntaxAnnotation>> marks, SyntaxNode node, SyntaxAnnotation mark)
    {
        if (!marks.TryGetValue(node, out var list))
        {
            list = new List<SyntaxAnnotation>();
            marks[node] = list;
        }

        list.Add(mark);
    }

    /// <summary>The whitespace that starts the anchor's line, so the inserted statement lines up with it.</summary>
    private static SyntaxTriviaList Indentation(SyntaxNode anchor)
    {
        var leading = anchor.GetLeadingTrivia();
        return leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(leading[leading.Count - 1])
            : SyntaxFactory.TriviaList();
    }

    private sealed class Plan
    {
        private Plan(string title, StatementSyntax anchor, StatementSyntax statement, StatementSyntax? lateInit)
        {
            Title = title;
            Anchor = anchor;
            Statement = statement;
            LateInit = lateInit;
        }

        public string Title { get; }

        /// <summary>The statement the init goes before.</summary>
        public StatementSyntax Anchor { get; }

        /// <summary>The init statement to insert (a copy of the late one, or a new one).</summary>
        public StatementSyntax Statement { get; }

        /// <summary>The late init to remove, if any.</summary>
        public StatementSyntax? LateInit { get; }

        public SyntaxAnnotation AnchorMark { get; } = new("KRN002.Anchor");

        public SyntaxAnnotation LateInitMark { get; } = new("KRN002.LateInit");

        public static Plan? Create(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(LockUsedBeforeInitAnalyzer.FixProperty, out var fix) ||
                !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
            {
                return null;
            }

            var use = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var useStatement = use.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault();
            if (useStatement is null)
            {
                return null;
            }

            if (fix == "insert")
            {
                if (!diagnostic.Properties.TryGetValue(LockUsedBeforeInitAnalyzer.InitStatementProperty, out var text) || text is null ||
                    useStatement.Parent is not BlockSyntax ||
                    SyntaxFactory.ParseStatement(text) is not { } parsed || parsed.ContainsDiagnostics)
                {
                    return null;
                }

                return new Plan($"Initialize before use: '{text}'", useStatement, parsed, lateInit: null);
            }

            if (fix != "move" || diagnostic.AdditionalLocations.Count == 0 ||
                !root.FullSpan.Contains(diagnostic.AdditionalLocations[0].SourceSpan))
            {
                return null;
            }

            var initNode = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
            if (initNode.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault() is not ExpressionStatementSyntax initStatement ||
                initStatement.Parent is not BlockSyntax initBlock || initStatement.Span.Start <= useStatement.Span.Start)
            {
                return null;
            }

            var dependencies = Dependencies(initStatement, model, cancellationToken);
            var title = $"Move '{initStatement.Expression}' before its first use";

            // Move: the ancestor of the use that sits in the init's block, when nothing in between computes what the init reads.
            var anchor = useStatement.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent == initBlock);
            if (anchor is not null && anchor.Span.Start < initStatement.Span.Start)
            {
                var between = initBlock.Statements.Where(s => s.Span.Start >= anchor.Span.Start && s.Span.Start < initStatement.Span.Start);
                if (!between.Any(s => Writes(s, dependencies, model, cancellationToken)))
                {
                    return new Plan(title, anchor, initStatement, initStatement);
                }
            }

            // Else: the start of the initializer, as long as the init reads no local of it.
            var body = useStatement.Ancestors().OfType<BlockSyntax>()
                .LastOrDefault(b => b.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax);
            if (body is null || body.Statements.Count == 0 || !body.Span.Contains(initStatement.Span) ||
                dependencies.Any(d => d is ILocalSymbol))
            {
                return null;
            }

            return new Plan($"Initialize at the start of the initializer: '{initStatement.Expression}'", body.Statements[0], initStatement, initStatement);
        }

        /// <summary>What the init statement reads besides the storage it initializes.</summary>
        private static HashSet<ISymbol> Dependencies(ExpressionStatementSyntax initStatement, SemanticModel model, CancellationToken cancellationToken)
        {
            var storage = new HashSet<SyntaxNode>();
            switch (initStatement.Expression)
            {
                case AssignmentExpressionSyntax assignment:
                    storage.Add(assignment.Left);
                    break;
                case InvocationExpressionSyntax invocation:
                    if (invocation.Expression is MemberAccessExpressionSyntax member)
                    {
                        storage.Add(member.Expression);
                    }

                    foreach (var argument in invocation.ArgumentList.Arguments)
                    {
                        if (!argument.RefKindKeyword.IsKind(SyntaxKind.None) ||
                            argument.Expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.AddressOfExpression })
                        {
                            storage.Add(argument.Expression);
                        }
                    }

                    break;
            }

            var symbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var name in initStatement.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.AncestorsAndSelf().Any(storage.Contains) && !IsInsideArgumentOfStorage(name, storage))
                {
                    continue;
                }

                if (model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol or IPropertySymbol)
                {
                    symbols.Add(model.GetSymbolInfo(name, cancellationToken).Symbol!);
                }
            }

            return symbols;
        }

        private static bool IsInsideArgumentOfStorage(SyntaxNode name, HashSet<SyntaxNode> storage) =>
            name.Ancestors().TakeWhile(a => !storage.Contains(a)).Any(a => a is ArgumentSyntax or BracketedArgumentListSyntax);

        /// <summary>True when the statement declares or assigns one of <paramref name="symbols"/>.</summary>
        private static bool Writes(StatementSyntax statement, HashSet<ISymbol> symbols, SemanticModel model, CancellationToken cancellationToken)
        {
            if (symbols.Count == 0)
            {
                return false;
            }

            foreach (var node in statement.DescendantNodesAndSelf())
            {
                SyntaxNode? written = node switch
                {
                    AssignmentExpressionSyntax assignment => assignment.Left,
                    PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix => prefix.Operand,
                    PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } postfix => postfix.Operand,
                    ArgumentSyntax argument when !argument.RefKindKeyword.IsKind(SyntaxKind.None) => argument.Expression,
                    _ => null,
                };
                if (node is VariableDeclaratorSyntax declarator && model.GetDeclaredSymbol(declarator, cancellationToken) is { } declared &&
                    symbols.Contains(declared))
                {
                    return true;
                }

                if (written is not null && model.GetSymbolInfo(written, cancellationToken).Symbol is { } symbol && symbols.Contains(symbol))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
