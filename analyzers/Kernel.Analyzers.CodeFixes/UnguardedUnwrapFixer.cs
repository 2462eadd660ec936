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
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Kernel.Analyzers.CodeFixes;

/// <summary>
/// KRN003's fix: right before the statement that unwraps, read the optional once with a test that leaves in the
/// function's failure convention (<c>if (o is not { } v) return -ESRCH;</c>, <c>if (!o.TryUnwrap(out var v)) return;</c>),
/// and use the value in place of the unwrap here and in the statements that follow.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnguardedUnwrapFixer))]
public sealed class UnguardedUnwrapFixer : PlannedFixer
{
    private const string EquivalenceKey = "KRN003.MatchWithEarlyExit";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UnguardedUnwrap);

    protected override IEnumerable<(string Title, string EquivalenceKey)> Offers(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (OptionalFixes.NodeAt(root, diagnostic.Location.SourceSpan) is not { } unwrap || Rewrite(root, model, unwrap) is null)
        {
            yield break;
        }

        var title = OptionalFixes.KindOf(OptionalFixes.ReceiverOf(unwrap)!, model, unwrap is PostfixUnaryExpressionSyntax, out _, out _) == OptionalFixKind.TryUnwrap
            ? "Use TryUnwrap and return early"
            : "Match on the optional and return early";
        yield return (title, EquivalenceKey);
    }

    /// <summary>Applies one fix per diagnostic, in order, each on the document the previous one produced.</summary>
    protected override async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var annotations = new List<SyntaxAnnotation>();
        var nodes = new Dictionary<SyntaxNode, SyntaxAnnotation>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (OptionalFixes.NodeAt(root, diagnostic.Location.SourceSpan) is { } node && !nodes.ContainsKey(node))
            {
                var annotation = new SyntaxAnnotation();
                nodes.Add(node, annotation);
                annotations.Add(annotation);
            }
        }

        document = document.WithSyntaxRoot(root.ReplaceNodes(nodes.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(nodes[original])));
        foreach (var annotation in annotations)
        {
            root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
            var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
            if (root.GetAnnotatedNodes(annotation).FirstOrDefault() is { } unwrap && Rewrite(root, model, unwrap) is { } fixedRoot)
            {
                document = document.WithSyntaxRoot(fixedRoot);
            }
        }

        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The root with the unwrap replaced by a test before its statement, or null when no fix applies.</summary>
    private static SyntaxNode? Rewrite(SyntaxNode root, SemanticModel model, SyntaxNode unwrap)
    {
        var forced = unwrap is PostfixUnaryExpressionSyntax;
        if (OptionalFixes.ReceiverOf(unwrap) is not { } receiver ||
            unwrap.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } statement ||
            statement is LocalFunctionStatementSyntax ||
            OptionalFixes.KindOf(receiver, model, forced, out var member, out var meansPresent) is not { } kind ||
            DeclaredWithin(receiver, statement, model) ||
            FailureConvention.EarlyExitFor(statement, model) is not { } exit ||
            FailureConvention.EnclosingBody(statement) is not { } function)
        {
            return null;
        }

        var stripped = OptionalFixes.Strip(receiver);
        var isLocal = model.GetSymbolInfo(stripped).Symbol is ILocalSymbol or IParameterSymbol;
        var name = forced && isLocal ? ((IdentifierNameSyntax)stripped).Identifier.ValueText : OptionalFixes.NameFor(receiver, model, function);

        // The guard is written as text in the statement's own indentation: no formatter pass reflows the pattern.
        var leading = statement.GetLeadingTrivia();
        var indent = leading.Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Select(t => t.ToFullString()).LastOrDefault() ?? string.Empty;
        var eol = root.ToFullString().Contains("\r\n") ? "\r\n" : "\n";
        var value = stripped.WithoutTrivia().ToFullString();
        var text = new System.Text.StringBuilder();
        string condition;
        switch (kind)
        {
            case OptionalFixKind.TryUnwrap:
                condition = $"!{value}.{member}(out var {name})";
                break;
            case OptionalFixKind.Reference or OptionalFixKind.Pointer:
                if (!isLocal)
                {
                    text.Append(indent).Append("var ").Append(name).Append(" = ").Append(value).Append(';').Append(eol);
                }

                condition = name + " == null";
                break;
            default:
                condition = OptionalFixes.Pattern(receiver, kind, member, meansPresent, name, negated: true).ToFullString();
                break;
        }

        text.Append(indent).Append("if (").Append(condition).Append(')').Append(eol)
            .Append(indent).Append('{').Append(eol)
            .Append(indent).Append("    ").Append(exit.NormalizeWhitespace().ToFullString()).Append(eol)
            .Append(indent).Append('}').Append(eol);
        var guards = SyntaxFactory.ParseSyntaxTree("void M() {" + eol + text + "}", (CSharpParseOptions)root.SyntaxTree.Options)
            .GetRoot().DescendantNodes().OfType<BlockSyntax>().First().Statements;

        var index = block.Statements.IndexOf(statement);
        var statements = new List<StatementSyntax>(block.Statements.Take(index));
        for (var i = 0; i < guards.Count; i++)
        {
            statements.Add(i == 0 ? guards[i].WithLeadingTrivia(leading.AddRange(guards[i].GetLeadingTrivia().Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia)))) : guards[i]);
        }

        var replaceKind = kind is OptionalFixKind.Reference or OptionalFixKind.Pointer ? OptionalFixKind.Nullable : kind;
        for (var i = index; i < block.Statements.Count; i++)
        {
            var current = block.Statements[i];
            if (i > index && OptionalFixes.Writes(current, receiver))
            {
                statements.AddRange(block.Statements.Skip(i));
                break;
            }

            var unwraps = OptionalFixes.UnwrapsOf(receiver, current, forced).ToList();
            if (i == index && !unwraps.Contains(unwrap))
            {
                unwraps.Add((ExpressionSyntax)unwrap);
            }

            var replaced = current.ReplaceNodes(unwraps, (original, _) => OptionalFixes.Replacement(original, replaceKind, name));
            statements.Add(i == index ? replaced.WithLeadingTrivia(SyntaxFactory.EndOfLine(eol), SyntaxFactory.Whitespace(indent)) : replaced);
        }

        return root.ReplaceNode(block, block.WithStatements(List(statements)));
    }

    /// <summary>True when the receiver uses a local declared inside the statement (a lambda parameter, an out variable).</summary>
    private static bool DeclaredWithin(ExpressionSyntax receiver, StatementSyntax statement, SemanticModel model)
    {
        foreach (var identifier in receiver.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (model.GetSymbolInfo(identifier).Symbol is ILocalSymbol or IParameterSymbol or IRangeVariableSymbol &&
                model.GetSymbolInfo(identifier).Symbol!.DeclaringSyntaxReferences.Any(reference => statement.Span.Contains(reference.Span)))
            {
                return true;
            }
        }

        return false;
    }
}
