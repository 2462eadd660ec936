using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// The one place where the suite asks the compilation for a semantic model of another tree: summaries read callees'
/// bodies, which may live in any tree of the compilation. The model is not kept here. Under the analyzer driver the
/// compilation hands out the driver's own cached model, so a callee's body is bound once for the driver and the suite
/// alike, and the driver drops it when the tree is done; a model kept for the compilation's lifetime would keep every
/// body bound in it alive until the build ends.
/// </summary>
internal sealed class SemanticModels
{
    private readonly Compilation compilation;

    public SemanticModels(Compilation compilation) => this.compilation = compilation;

#pragma warning disable RS1030 // Summaries must read callee bodies in other trees; the driver's model cache serves them.
    public SemanticModel For(SyntaxTree tree) => compilation.GetSemanticModel(tree);
#pragma warning restore RS1030

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
}
