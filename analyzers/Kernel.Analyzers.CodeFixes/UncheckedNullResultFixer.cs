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
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Kernel.Analyzers.CodeFixes;

/// <summary>
/// KRN001's fixes: switch to the error-reporting sibling of the call (<c>tcp_listen_with_backlog_and_err</c>) and
/// propagate its error, or check the value right where it is produced and leave in the method's failure convention.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UncheckedNullResultFixer))]
public sealed class UncheckedNullResultFixer : PlannedFixer
{
    internal const string UseErrorVariantKey = "KRN001.UseErrorVariant";
    internal const string ReturnEarlyKey = "KRN001.ReturnEarly";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UncheckedNullResult);

    protected override IEnumerable<(string Title, string EquivalenceKey)> Offers(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Producer.Find(root, model, diagnostic, cancellationToken) is not { } producer)
        {
            yield break;
        }

        if (producer.ErrorVariant(model) is { } variant)
        {
            yield return ($"Use '{variant.Name}' and return its error", UseErrorVariantKey);
        }

        yield return ($"Return early when '{producer.Name}' is null", ReturnEarlyKey);
    }

    protected override async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        var done = new HashSet<StatementSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (Producer.Find(editor.OriginalRoot, model, diagnostic, cancellationToken) is not { } producer || !done.Add(producer.Statement))
            {
                continue;
            }

            var variant = equivalenceKey == UseErrorVariantKey ? producer.ErrorVariant(model) : null;
            if (variant is not null)
            {
                producer.UseErrorVariant(editor, variant, model);
            }
            else if (FailureConvention.EarlyExit(producer.Body, model) is { } exit)
            {
                editor.InsertAfter(producer.Statement, NullCheck.Guard(NullCheck.IsNull(IdentifierName(producer.Name), producer.Type), exit));
            }
        }

        return editor.GetChangedDocument();
    }

    /// <summary>The statement that produces the may-be-null value: <c>var p = Call();</c> or <c>p = Call();</c> in a block.</summary>
    private sealed class Producer
    {
        private Producer(InvocationExpressionSyntax call, StatementSyntax statement, string name, ITypeSymbol? type, SyntaxNode body)
        {
            Call = call;
            Statement = statement;
            Name = name;
            Type = type;
            Body = body;
        }

        public InvocationExpressionSyntax Call { get; }

        public StatementSyntax Statement { get; }

        public string Name { get; }

        public ITypeSymbol? Type { get; }

        public SyntaxNode Body { get; }

        public static Producer? Find(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (diagnostic.AdditionalLocations.Count == 0 ||
                root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not { } node ||
                node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call)
            {
                return null;
            }

            SyntaxNode value = call;
            while (value.Parent is CastExpressionSyntax or ParenthesizedExpressionSyntax)
            {
                value = value.Parent;
            }

            string? name = null;
            ITypeSymbol? type = null;
            StatementSyntax? statement = null;
            switch (value.Parent)
            {
                case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } when declarator.Parent?.Parent is LocalDeclarationStatementSyntax local:
                    name = declarator.Identifier.ValueText;
                    type = (model.GetDeclaredSymbol(declarator, cancellationToken) as ILocalSymbol)?.Type;
                    statement = local;
                    break;
                case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: IdentifierNameSyntax target } assignment
                    when assignment.Parent is ExpressionStatementSyntax expression:
                    name = target.Identifier.ValueText;
                    type = model.GetTypeInfo(target, cancellationToken).Type;
                    statement = expression;
                    break;
            }

            if (statement?.Parent is not (BlockSyntax or SwitchSectionSyntax) || name is null ||
                FailureConvention.EnclosingBody(statement) is not { } body)
            {
                return null;
            }

            return new Producer(call, statement, name, type, body);
        }

        /// <summary>A sibling of the called method that also reports why it failed, through one extra parameter.</summary>
        public IMethodSymbol? ErrorVariant(SemanticModel model)
        {
            if (model.GetSymbolInfo(Call).Symbol is not IMethodSymbol method)
            {
                return null;
            }

            var names = new[] { method.Name + "AndErr", method.Name + "_and_err", method.Name + "WithError", "Try" + method.Name };
            foreach (var candidate in method.ContainingType.GetMembers().OfType<IMethodSymbol>())
            {
                if (names.Contains(candidate.Name) &&
                    candidate.IsStatic == method.IsStatic &&
                    candidate.Parameters.Length == method.Parameters.Length + 1 &&
                    SymbolEqualityComparer.Default.Equals(candidate.ReturnType, method.ReturnType) &&
                    method.Parameters.Select(p => p.Type).SequenceEqual(candidate.Parameters.Take(method.Parameters.Length).Select(p => p.Type), SymbolEqualityComparer.Default) &&
                    ErrorType(candidate.Parameters[candidate.Parameters.Length - 1]) is not null &&
                    model.IsAccessible(Call.SpanStart, candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        public void UseErrorVariant(DocumentEditor editor, IMethodSymbol variant, SemanticModel model)
        {
            var parameter = variant.Parameters[variant.Parameters.Length - 1];
            var errorType = ErrorType(parameter)!;
            var error = FreeName(model, "err");
            var typeSyntax = ParseTypeName(errorType.ToMinimalDisplayString(model, Call.SpanStart));
            var declarator = VariableDeclarator(error);
            if (parameter.RefKind == RefKind.Ref)
            {
                declarator = declarator.WithInitializer(EqualsValueClause(LiteralExpression(SyntaxKind.DefaultLiteralExpression, Token(SyntaxKind.DefaultKeyword))));
            }

            ExpressionSyntax errorArgument = parameter.RefKind switch
            {
                RefKind.Out or RefKind.Ref => IdentifierName(error),
                _ => PrefixUnaryExpression(SyntaxKind.AddressOfExpression, IdentifierName(error)),
            };
            var argument = Argument(errorArgument);
            if (parameter.RefKind != RefKind.None)
            {
                argument = argument.WithRefKindKeyword(Token(parameter.RefKind == RefKind.Out ? SyntaxKind.OutKeyword : SyntaxKind.RefKeyword));
            }

            var renamed = Call.Expression switch
            {
                MemberAccessExpressionSyntax member => (ExpressionSyntax)member.WithName(IdentifierName(variant.Name)),
                IdentifierNameSyntax identifier => identifier.WithIdentifier(Identifier(variant.Name).WithTriviaFrom(identifier.Identifier)),
                var other => other,
            };
            editor.ReplaceNode(Call, Call.WithExpression(renamed).AddArgumentListArguments(argument));
            editor.InsertBefore(Statement, LocalDeclarationStatement(VariableDeclaration(typeSyntax).AddVariables(declarator))
                .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation));

            var exit = ReturnError(model, errorType, IdentifierName(error)) ?? FailureConvention.EarlyExit(Body, model);
            if (exit is not null)
            {
                editor.InsertAfter(Statement, NullCheck.Guard(NullCheck.IsNull(IdentifierName(Name), Type), exit));
            }
        }

        private static ITypeSymbol? ErrorType(IParameterSymbol parameter) => parameter switch
        {
            { RefKind: RefKind.Out or RefKind.Ref } => parameter.Type,
            { RefKind: RefKind.None, Type: IPointerTypeSymbol pointer } => pointer.PointedAtType,
            _ => null,
        };

        /// <summary>
        /// <c>return Map(err);</c> through a static mapping from the error type to the method's return type that the
        /// compilation already has (lwIP's err_t to errno), or <c>return err;</c> when the types agree.
        /// </summary>
        private ReturnStatementSyntax? ReturnError(SemanticModel model, ITypeSymbol errorType, ExpressionSyntax error)
        {
            var method = Body is AnonymousFunctionExpressionSyntax
                ? model.GetSymbolInfo(Body).Symbol as IMethodSymbol
                : model.GetDeclaredSymbol(Body) as IMethodSymbol;
            if (method is null || method.ReturnsVoid)
            {
                return null;
            }

            if (SymbolEqualityComparer.Default.Equals(method.ReturnType, errorType))
            {
                return ReturnStatement(error);
            }

            var mapping = model.Compilation.GetSymbolsWithName(_ => true, SymbolFilter.Member)
                .OfType<IMethodSymbol>()
                .Where(m => m.IsStatic && m.MethodKind == MethodKind.Ordinary && m.Parameters.Length == 1 &&
                            SymbolEqualityComparer.Default.Equals(m.Parameters[0].Type, errorType) &&
                            SymbolEqualityComparer.Default.Equals(m.ReturnType, method.ReturnType) &&
                            model.IsAccessible(Call.SpanStart, m))
                .OrderBy(m => m.ToDisplayString(), System.StringComparer.Ordinal)
                .FirstOrDefault();
            if (mapping is null)
            {
                return null;
            }

            var target = ParseExpression(mapping.ContainingType.ToMinimalDisplayString(model, Call.SpanStart) + "." + mapping.Name);
            return ReturnStatement(InvocationExpression(target, ArgumentList(SingletonSeparatedList(Argument(error)))));
        }

        private string FreeName(SemanticModel model, string preferred)
        {
            var name = preferred;
            for (var i = 2; model.LookupSymbols(Call.SpanStart, name: name).Any() || Body.DescendantTokens().Any(t => t.ValueText == name && t.IsKind(SyntaxKind.IdentifierToken)); i++)
            {
                name = preferred + i;
            }

            return name;
        }
    }
}
