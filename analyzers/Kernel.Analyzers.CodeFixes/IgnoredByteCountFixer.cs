using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Kernel.Analyzers.ByteCounts;
using Kernel.Analyzers.CodeFixes.Internals;
using Kernel.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kernel.Analyzers.CodeFixes;

/// <summary>
/// KRN005's fixes. A discarded (or stored and unread) count: call the type's own <c>ReadExactly</c> when it has one,
/// else wrap the call in a loop that reads (or writes) until the requested length or the end of the stream. Otherwise
/// use the returned count: advance by it, consume only that many bytes, stop only at the end of the stream.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(IgnoredByteCountFixer))]
public sealed class IgnoredByteCountFixer : PlannedFixer
{
    private const string EquivalenceKey = "KRN005.UseCount";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.IgnoredByteCount);

    protected override IEnumerable<(string Title, string EquivalenceKey)> Offers(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Plan(root, model, diagnostic, cancellationToken) is { } edit)
        {
            yield return (edit.Title, EquivalenceKey);
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

        var edits = new Dictionary<SyntaxNode, SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(root, model, diagnostic, cancellationToken) is { } edit && !edits.Keys.Any(k => k.Span.OverlapsWith(edit.Old.Span)))
            {
                edits[edit.Old] = edit.New;
            }
        }

        if (edits.Count == 0)
        {
            return document;
        }

        var changed = document.WithSyntaxRoot(root.ReplaceNodes(edits.Keys, (original, _) => edits[original]));

        // A fix must never turn compiling code into code that does not compile: keep the document as it was then.
        var before = model.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
        var changedModel = await changed.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var after = changedModel?.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error) ?? int.MaxValue;
        return after > before ? document : changed;
    }

    private static Edit? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(IgnoredByteCountAnalyzer.KindProperty, out var kind) ||
            !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        diagnostic.Properties.TryGetValue(IgnoredByteCountAnalyzer.CountProperty, out var count);
        diagnostic.Properties.TryGetValue(IgnoredByteCountAnalyzer.RequestedProperty, out var requested);
        switch (kind)
        {
            case "Discarded":
            case "Unread":
                return node is InvocationExpressionSyntax invocation ? ReadFully(invocation, model, kind == "Unread" ? count : null, cancellationToken) : null;
            case "Advance" when count is not null && node is AssignmentExpressionSyntax advance && InScope(model, advance.Right, count):
                return new Edit($"Advance by '{count}'", advance.Right, SyntaxFactory.IdentifierName(count).WithTriviaFrom(advance.Right));
            case "Stop" when count is not null && node is BinaryExpressionSyntax stop:
                var loopGoesOn = stop.IsKind(SyntaxKind.EqualsExpression) || stop.IsKind(SyntaxKind.GreaterThanOrEqualExpression) ||
                                 stop.IsKind(SyntaxKind.LessThanOrEqualExpression);
                var condition = SyntaxFactory.ParseExpression(loopGoesOn ? count + " > 0" : count + " <= 0").WithTriviaFrom(stop);
                return new Edit($"Stop only at the end of the stream ('{condition}')", stop, condition);
            case "Full" when count is not null && node.Parent is ArgumentSyntax { Parent: ArgumentListSyntax list } buffer && InScope(model, node, count):
                var bufferText = FillLoops.Normalize(buffer.Expression.ToString());
                foreach (var argument in list.Arguments)
                {
                    var text = FillLoops.Normalize(argument.Expression.ToString());
                    if (argument != buffer && (text == FillLoops.Normalize(requested ?? "\0") || text == bufferText + ".Length"))
                    {
                        return new Edit($"Use the returned count '{count}'", argument.Expression, SyntaxFactory.IdentifierName(count).WithTriviaFrom(argument.Expression));
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Replaces the statement of a discarded read with <c>ReadExactly</c> or a loop until the requested length.</summary>
    private static Edit? ReadFully(InvocationExpressionSyntax invocation, SemanticModel model, string? unreadLocal, CancellationToken cancellationToken)
    {
        var expression = (ExpressionSyntax)invocation;
        var awaited = invocation.Parent is AwaitExpressionSyntax;
        if (awaited)
        {
            expression = (ExpressionSyntax)invocation.Parent!;
        }

        StatementSyntax? statement = expression.Parent switch
        {
            ExpressionStatementSyntax s => s,
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.Text: "_" }, Parent: ExpressionStatementSyntax s } => s,
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax s } } }
                when unreadLocal is not null => s,
            _ => null,
        };
        if (statement is null || statement.Parent is not (BlockSyntax or SwitchSectionSyntax) ||
            model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        if (unreadLocal is not null && IsReferencedElsewhere(statement, unreadLocal))
        {
            return null;
        }

        if (ExactlyVariant(invocation, method, model, cancellationToken) is { } exact)
        {
            var call = awaited ? (ExpressionSyntax)SyntaxFactory.AwaitExpression(exact) : exact;
            var replaced = SyntaxFactory.ExpressionStatement(call).WithTriviaFrom(statement);
            return new Edit($"Use '{method.Name}Exactly'".Replace("AsyncExactly", "ExactlyAsync"), statement, replaced);
        }

        return Loop(invocation, statement, method, awaited, model);
    }

    /// <summary><c>s.ReadExactly(args)</c> when the receiver's type has an overload that takes the same arguments.</summary>
    private static InvocationExpressionSyntax? ExactlyVariant(InvocationExpressionSyntax invocation, IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken)
    {
        if (invocation.Expression is not MemberAccessExpressionSyntax member || method.ReducedFrom is not null)
        {
            return null;
        }

        var name = method.Name.EndsWith("Async", System.StringComparison.Ordinal)
            ? method.Name.Substring(0, method.Name.Length - 5) + "ExactlyAsync"
            : method.Name + "Exactly";
        if (method.ContainingType.GetMembers(name).IsEmpty && method.ContainingType.BaseType?.GetMembers(name).IsEmpty != false)
        {
            return null;
        }

        var candidate = invocation.WithExpression(member.WithName(SyntaxFactory.IdentifierName(name)));
        var bound = model.GetSpeculativeSymbolInfo(invocation.SpanStart, candidate, SpeculativeBindingOption.BindAsExpression).Symbol;
        return bound is IMethodSymbol { Name: var boundName } && boundName == name ? candidate : null;
    }

    /// <summary>
    /// <c>for (int done = 0; done &lt; len;) { int n = s.Read(buf, off + done, len - done); if (n &lt;= 0) break; done += n; }</c>,
    /// for calls with a requested length and either an offset, a pointer buffer or a span buffer.
    /// </summary>
    private static Edit? Loop(InvocationExpressionSyntax invocation, StatementSyntax statement, IMethodSymbol method, bool awaited, SemanticModel model)
    {
        var api = new ByteCountApis().Classify(method);
        if (api.Kind == ByteCountKind.None || api.Buffer < 0)
        {
            return null;
        }

        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)) || arguments.Count <= api.Buffer)
        {
            return null;
        }

        var bufferType = method.Parameters[api.Buffer].Type;
        var isSpan = bufferType is INamedTypeSymbol { Name: "Span" or "Memory" or "ReadOnlySpan" or "ReadOnlyMemory" };
        if (api.Length < 0 && !isSpan)
        {
            return null;
        }

        if (api.Length >= 0 && (arguments.Count <= api.Length || (api.Offset < 0 && bufferType is not IPointerTypeSymbol)))
        {
            return null;
        }

        var buffer = arguments[api.Buffer].Expression;
        var length = api.Length >= 0 ? arguments[api.Length].Expression : null;
        var offset = api.Offset >= 0 && api.Offset < arguments.Count ? arguments[api.Offset].Expression : null;
        if (!IsSimple(buffer) || (length is not null && !IsSimple(length)) || (offset is not null && !IsSimple(offset)))
        {
            return null;
        }

        var taken = new HashSet<string>(statement.Ancestors().OfType<MemberDeclarationSyntax>().First().DescendantTokens()
            .Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        var done = Fresh("done", taken);
        var got = Fresh("n", taken);
        var countType = length is not null ? method.Parameters[api.Length].Type : null;
        var doneType = countType?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "int";
        var limit = length is not null ? Paren(length) : Paren(buffer) + ".Length";

        var newArguments = arguments.Select(a => a.ToString()).ToList();
        if (length is not null)
        {
            newArguments[api.Length] = limit + " - " + done;
            if (offset is not null)
            {
                newArguments[api.Offset] = Paren(offset) + " + " + done;
            }
            else if (bufferType is IPointerTypeSymbol)
            {
                newArguments[api.Buffer] = Paren(buffer) + " + " + done;
            }
            else
            {
                newArguments[api.Buffer] = Paren(buffer) + ".Slice(" + done + ")";
            }
        }
        else
        {
            newArguments[api.Buffer] = Paren(buffer) + ".Slice(" + done + ")";
        }

        var call = invocation.Expression + "(" + string.Join(", ", newArguments) + ")";
        var returned = method.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } task && api.IsAsync ? task.TypeArguments[0] : method.ReturnType;
        var add = SymbolEqualityComparer.Default.Equals(returned, countType) || (countType is null && returned.SpecialType == SpecialType.System_Int32)
            ? got
            : "(" + doneType + ")" + got;
        var indent = Indentation(statement);
        var text = new StringBuilder()
            .Append("for (").Append(doneType).Append(' ').Append(done).Append(" = 0; ").Append(done).Append(" < ").Append(limit).Append(";)\n")
            .Append(indent).Append("{\n")
            .Append(indent).Append("    var ").Append(got).Append(" = ").Append(awaited ? "await " : string.Empty).Append(call).Append(";\n")
            .Append(indent).Append("    if (").Append(got).Append(" <= 0)\n")
            .Append(indent).Append("    {\n")
            .Append(indent).Append("        break;\n")
            .Append(indent).Append("    }\n\n")
            .Append(indent).Append("    ").Append(done).Append(" += ").Append(add).Append(";\n")
            .Append(indent).Append('}')
            .ToString();
        var loop = SyntaxFactory.ParseStatement(text);
        if (loop.ContainsDiagnostics)
        {
            return null;
        }

        var verb = api.Kind == ByteCountKind.Write ? "Write" : "Read";
        return new Edit($"{verb} until the requested length or the end of the stream", statement, loop.WithTriviaFrom(statement));
    }

    private static bool InScope(SemanticModel model, SyntaxNode at, string local) =>
        model.LookupSymbols(at.SpanStart, name: local).Any(s => s is ILocalSymbol);

    private static bool IsReferencedElsewhere(StatementSyntax declaration, string local)
    {
        var member = declaration.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault();
        if (member is null)
        {
            return true;
        }

        var inDeclaration = declaration.DescendantTokens().Count(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == local);
        var inMember = member.DescendantTokens().Count(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == local);
        return inMember > inDeclaration;
    }

    /// <summary>Expressions safe to evaluate more than once: names, literals, member accesses of them.</summary>
    private static bool IsSimple(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax or LiteralExpressionSyntax or ThisExpressionSyntax => true,
        MemberAccessExpressionSyntax member => IsSimple(member.Expression),
        ParenthesizedExpressionSyntax parenthesized => IsSimple(parenthesized.Expression),
        BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression) || binary.IsKind(SyntaxKind.SubtractExpression) ||
                                           binary.IsKind(SyntaxKind.MultiplyExpression) =>
            IsSimple(binary.Left) && IsSimple(binary.Right),
        _ => false,
    };

    private static string Paren(ExpressionSyntax expression) =>
        expression is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax or ParenthesizedExpressionSyntax
            ? expression.ToString()
            : "(" + expression + ")";

    private static string Fresh(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var i = 2; taken.Contains(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        taken.Add(candidate);
        return candidate;
    }

    private static string Indentation(SyntaxNode node)
    {
        var leading = node.GetLeadingTrivia();
        return leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? leading[leading.Count - 1].ToString() : string.Empty;
    }

    private sealed class Edit
    {
        public Edit(string title, SyntaxNode old, SyntaxNode @new)
        {
            Title = title;
            Old = old;
            New = @new;
        }

        public string Title { get; }

        public SyntaxNode Old { get; }

        public SyntaxNode New { get; }
    }
}
