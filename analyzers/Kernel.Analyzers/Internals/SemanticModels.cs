using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

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

#pragma warning disable RS1030 // Summaries must read callee bodies in other trees; one cached model per tree keeps it cheap.
    private SemanticModel Create(SyntaxTree tree) => compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
}
