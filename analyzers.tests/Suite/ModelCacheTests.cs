using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Kernel.Analyzers.Internals;
using Kernel.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Kernel.Analyzers.Tests.Suite;

/// <summary>
/// What the suite derives from operation trees is cached per semantic model and dies with it: the driver drops a
/// tree's model when it is done with the tree, and the suite must not keep the bound bodies alive after that.
/// </summary>
public class ModelCacheTests
{
    private const string Source = "class C { int M() => 1; }";

    [Fact]
    public async Task AnEntryIsFoundUnderItsOwnModelOnly()
    {
        var compilation = await Analysis.CompileAsync(new[] { ("C.cs", Source) });
        var tree = compilation.SyntaxTrees.Single();
        var first = compilation.GetSemanticModel(tree);
        var second = compilation.GetSemanticModel(tree);
        var cache = new ModelCache<SyntaxTree, string>();

        Assert.Same("facts", cache.GetOrAdd(first, tree, "facts"));
        Assert.Same("facts", cache.GetOrAdd(first, tree, "later"));
        Assert.True(cache.TryGetValue(first, tree, out var found));
        Assert.Equal("facts", found);
        Assert.False(cache.TryGetValue(second, tree, out _));
    }

    [Fact]
    public async Task AnEntryDiesWithItsModel()
    {
        var compilation = await Analysis.CompileAsync(new[] { ("C.cs", Source) });
        var cache = new ModelCache<SyntaxTree, object>();
        var value = AddUnderAModelNobodyKeeps(compilation, cache);

        for (var attempt = 0; attempt < 10 && value.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(value.IsAlive, "the cached value outlived its semantic model");
        GC.KeepAlive(compilation);
        GC.KeepAlive(cache);
    }

    /// <summary>Not inlined, so that no local of the test's frame keeps the model or the value alive.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference AddUnderAModelNobodyKeeps(Compilation compilation, ModelCache<SyntaxTree, object> cache)
    {
        var tree = compilation.SyntaxTrees.Single();
        var value = new object();
        cache.GetOrAdd(compilation.GetSemanticModel(tree), tree, value);
        return new WeakReference(value);
    }
}
