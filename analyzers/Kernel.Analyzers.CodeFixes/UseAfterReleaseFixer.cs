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
using Microsoft.CodeAnalysis.Editing;

namespace Kernel.Analyzers.CodeFixes;

/// <summary>
/// KRN006's fix: move the release statement after the last statement of its block that uses the released object,
/// where that is possible (the use is in the same block, nothing in between re-assigns the object or leaves early).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseAfterReleaseFixer))]
public sealed class UseAfterReleaseFixer : PlannedFixer
{
    private const string EquivalenceKey = "KRN006.MoveRelease";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UseAfterRelease);

    protected override IEnumerable<(string Title, string EquivalenceKey)> Offers(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Plan(root, model, diagnostic, cancellationToken) is { } move)
        {
            yield return ($"Move '{move.Release.Expression}' after the last use", EquivalenceKey);
        }
    }

    protected override async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        var moves = new Dictionary<StatementSyntax, StatementSyntax>();
        var splits = new HashSet<StatementSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(editor.OriginalRoot, model, diagnostic, cancellationToken) is not { } move)
            {
                continue;
            }

            // Several uses of one release: move it after the last of them.
            if (!moves.TryGetValue(move.Release, out var after) || after.SpanStart < move.After.SpanStart)
            {
                moves[move.Release] = move.After;
                if (move.Split)
                {
                    splits.Add(move.After);
                }
            }
        }

        var anchors = new HashSet<SyntaxNode>(moves.Values);
        foreach (var move in moves)
        {
            if (anchors.Contains(move.Key))
            {
                // The anchor of one move is itself moved: keep the document simple and skip this one.
                continue;
            }

            editor.RemoveNode(move.Key, SyntaxRemoveOptions.KeepNoTrivia);
            if (splits.Contains(move.Value) && move.Value is ReturnStatementSyntax { Expression: { } returned } returnStatement)
            {
                var name = Fresh(returnStatement);
                var keep = SyntaxFactory.ParseStatement("var " + name + " = " + returned + ";\n").WithLeadingTrivia(returnStatement.GetLeadingTrivia());
                editor.InsertBefore(returnStatement, new SyntaxNode[] { keep, move.Key });
                editor.ReplaceNode(returned, SyntaxFactory.IdentifierName(name).WithTriviaFrom(returned));
            }
            else
            {
                editor.InsertAfter(move.Value, move.Key);
            }
        }

        var changed = editor.GetChangedDocument();
        var before = model.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
        var changedModel = await changed.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var afterErrors = changedModel?.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error) ?? int.MaxValue;
        return afterErrors > before ? document : changed;
    }

    private static Move? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.AdditionalLocations.Count == 0 ||
            !root.FullSpan.Contains(diagnostic.Location.SourceSpan) ||
            !root.FullSpan.Contains(diagnostic.AdditionalLocations[0].SourceSpan))
        {
            return null;
        }

        var releaseNode = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
        if (releaseNode.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call ||
            call.Parent is not ExpressionStatementSyntax { Parent: BlockSyntax block } release)
        {
            return null;
        }

        var use = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var statements = block.Statements;
        var releaseIndex = statements.IndexOf(release);
        var useStatement = use.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent == block);
        if (useStatement is null || statements.IndexOf(useStatement) <= releaseIndex)
        {
            return null;
        }

        // A release through a field of the object (no operand) reaches as far as the reported use.
        var targets = Targets(call, model, cancellationToken);
        var useIndex = statements.IndexOf(useStatement);
        var last = -1;
        for (var i = releaseIndex + 1; i < statements.Count; i++)
        {
            var statement = statements[i];
            var mentions = targets.Count == 0 ? i == useIndex : Mentions(statement, targets, model, cancellationToken);
            if (statement is ReturnStatementSyntax { Expression: { } returned } && mentions && i >= useIndex && !LeavesEarly(returned))
            {
                // return Close(file); becomes var result = Close(file); Unlink(file); return result;
                return new Move(release, statement, split: true);
            }

            if (LeavesEarly(statement) || Writes(statement, targets, model, cancellationToken))
            {
                break;
            }

            if (mentions)
            {
                last = i;
            }

            if (targets.Count == 0 && i == useIndex)
            {
                break;
            }
        }

        return last >= useIndex ? new Move(release, statements[last], split: false) : null;
    }

    /// <summary>The variables and fields the release call reads: the released object's root.</summary>
    private static HashSet<ISymbol> Targets(InvocationExpressionSyntax call, SemanticModel model, CancellationToken cancellationToken)
    {
        var targets = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var nodes = call.ArgumentList.Arguments.Select(a => (SyntaxNode)a.Expression).ToList();
        if (call.Expression is MemberAccessExpressionSyntax member)
        {
            nodes.Add(member.Expression);
        }

        foreach (var node in nodes)
        {
            foreach (var name in node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
            {
                var isMemberName = name.Parent is MemberAccessExpressionSyntax access && access.Name == name;
                if (!isMemberName && model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol)
                {
                    targets.Add(model.GetSymbolInfo(name, cancellationToken).Symbol!);
                }
            }
        }

        return targets;
    }

    private static bool Mentions(SyntaxNode statement, HashSet<ISymbol> targets, SemanticModel model, CancellationToken cancellationToken) =>
        statement.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
            .Any(name => model.GetSymbolInfo(name, cancellationToken).Symbol is { } symbol && targets.Contains(symbol));

    private static bool Writes(SyntaxNode statement, HashSet<ISymbol> targets, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var node in statement.DescendantNodesAndSelf())
        {
            var written = node switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                ArgumentSyntax argument when !argument.RefKindKeyword.IsKind(SyntaxKind.None) => argument.Expression,
                _ => null,
            };
            if (written is IdentifierNameSyntax name && model.GetSymbolInfo(name, cancellationToken).Symbol is { } symbol && targets.Contains(symbol))
            {
                return true;
            }
        }

        return false;
    }

    private static string Fresh(SyntaxNode near)
    {
        var member = near.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault();
        var taken = new HashSet<string>((member ?? near).DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        var name = "result";
        for (var i = 2; taken.Contains(name); i++)
        {
            name = "result" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    private static bool LeavesEarly(SyntaxNode statement) =>
        statement.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .Any(n => n is ReturnStatementSyntax or ThrowStatementSyntax or ThrowExpressionSyntax or GotoStatementSyntax or YieldStatementSyntax ||
                      (n is BreakStatementSyntax or ContinueStatementSyntax && !IsInsideNestedLoop(n, statement)));

    private static bool IsInsideNestedLoop(SyntaxNode jump, SyntaxNode statement)
    {
        for (var node = jump.Parent; node is not null && node != statement.Parent; node = node.Parent)
        {
            if (node is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax ||
                (node is SwitchStatementSyntax && jump is BreakStatementSyntax))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Move
    {
        public Move(ExpressionStatementSyntax release, StatementSyntax after, bool split)
        {
            Release = release;
            After = after;
            Split = split;
        }

        /// <summary><see cref="After"/> is a <c>return</c> whose value uses the object: keep the value in a local first.</summary>
        public bool Split { get; }

        public ExpressionStatementSyntax Release { get; }

        public StatementSyntax After { get; }
    }
}
