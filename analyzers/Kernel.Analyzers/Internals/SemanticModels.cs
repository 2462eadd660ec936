using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// The one place where the suite asks the compilation for a semantic model of another tree: summaries read callees'
/// bodies, which may live in any tree of the compilation. Models are cached per tree for the compilation's lifetime.
/// </summary>
internal sealed class SemanticModels
{
    private readonly Compilation compilation;
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> models = new();

    public SemanticModels(Compilation compilation) => this.compilation = compilation;

    public SemanticModel For(SyntaxTree tree) => models.GetOrAdd(tree, Create);

    /// <summary>The body of a method declared in this compilation, or null (metadata, abstract, extern, no body).</summary>
    public IMethodBodyOperation? BodyOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (syntax is BaseMethodDeclarationSyntax { Body: not null } or BaseMethodDeclarationSyntax { ExpressionBody: not null } &&
                For(syntax.SyntaxTree).GetOperation(syntax, cancellationToken) is IMethodBodyOperation body)
            {
                return body;
            }
        }

        return null;
    }

#pragma warning disable RS1030 // Summaries must read callee bodies in other trees; one cached model per tree keeps it cheap.
    private SemanticModel Create(SyntaxTree tree) => compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
}
