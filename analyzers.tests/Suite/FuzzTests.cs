using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kernel.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Kernel.Analyzers.Tests.Suite;

/// <summary>
/// Mutates every test source and sample with a fixed seed and runs every analyzer and code fix on each variant:
/// no analyzer exception (AD0001), no code fix that throws, no fix that adds compile errors to code that had none.
/// <c>KERNEL_FUZZ_VARIANTS</c> raises the count for longer local runs; <c>KERNEL_FUZZ_SEED</c> changes the seed.
/// </summary>
public class FuzzTests
{
    private static readonly System.Text.RegularExpressions.Regex Markup = new(@"\{\|[^:|{}]*:|\|\}", System.Text.RegularExpressions.RegexOptions.Compiled);

    private static readonly int Variants = int.TryParse(Environment.GetEnvironmentVariable("KERNEL_FUZZ_VARIANTS"), out var n) ? n : 2000;
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("KERNEL_FUZZ_SEED"), out var s) ? s : 20261201;

    private static readonly ImmutableArray<CodeFixProvider> Fixers = typeof(CodeFixes.UncheckedNullResultFixer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    [Fact]
    public async Task MutatedSourcesNeverBreakAnalyzersOrFixes()
    {
        var corpus = Corpus();
        Assert.True(corpus.Count > 50, $"only {corpus.Count} sources found");
        var failures = new ConcurrentBag<string>();
        var fixesChecked = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, Variants), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
        {
            var mutator = new Mutator(Seed + i);
            var original = corpus[i % corpus.Count];
            var variant = mutator.Mutate(original);
            try
            {
                var compilation = await Analysis.CompileAsync(new[] { ("Variant.cs", variant) });
                var diagnostics = await Analysis.AnalyzeAsync(compilation);
                if (diagnostics.Length > 0 && !compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
                {
                    Interlocked.Increment(ref fixesChecked);
                    await CheckFixesAsync(compilation, diagnostics);
                }
            }
            catch (Exception exception)
            {
                failures.Add($"variant {i} (seed {Seed + i}): {exception.Message}\n--- source ---\n{variant}\n");
            }
        });

        Assert.True(fixesChecked > 0, "no variant compiled cleanly with a diagnostic: the code fixes were never exercised");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {Variants} variants failed ({fixesChecked} fix checks):\n" + string.Join("\n", failures.Take(3)));
    }

    private static async Task CheckFixesAsync(Compilation compilation, ImmutableArray<Diagnostic> diagnostics)
    {
        var tree = compilation.SyntaxTrees.Single();
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Fuzz", "Fuzz", LanguageNames.CSharp,
            compilationOptions: compilation.Options, parseOptions: tree.Options, metadataReferences: compilation.References));
        var document = workspace.AddDocument(project.Id, "Variant.cs", SourceText.From(tree.ToString()));

        foreach (var diagnostic in diagnostics)
        {
            foreach (var fixer in Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
                await fixer.RegisterCodeFixesAsync(context);
                foreach (var action in actions)
                {
                    foreach (var operation in await action.GetOperationsAsync(CancellationToken.None))
                    {
                        if (operation is not ApplyChangesOperation apply)
                        {
                            continue;
                        }

                        var changed = apply.ChangedSolution.GetDocument(document.Id)!;
                        var fixedCompilation = await changed.Project.GetCompilationAsync();
                        var errors = fixedCompilation!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                        if (errors.Count > 0)
                        {
                            throw new InvalidOperationException(
                                $"{fixer.GetType().Name} '{action.Title}' for {diagnostic} introduced {errors[0]}\n--- fixed ---\n{await changed.GetTextAsync()}");
                        }
                    }
                }
            }
        }
    }

    /// <summary>Every sample file and every C# source embedded in the tests (string literals that parse as members).</summary>
    private static List<string> Corpus()
    {
        var root = Analysis.RepositoryRoot;
        var sources = Directory.GetFiles(Path.Combine(root, "samples"), "*.cs", SearchOption.AllDirectories)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .ToList();
        foreach (var file in Directory.GetFiles(Path.Combine(root, "analyzers.tests"), "*.cs", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            {
                continue;
            }

            foreach (var literal in CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot().DescendantTokens()
                         .Where(t => t.IsKind(SyntaxKind.StringLiteralToken) || t.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) || t.IsKind(SyntaxKind.SingleLineRawStringLiteralToken)))
            {
                var text = Markup.Replace(literal.ValueText, string.Empty);
                if (text.Length > 40 && (text.Contains("class ") || text.Contains("struct ")))
                {
                    sources.Add(text);
                }
            }
        }

        return sources;
    }
}
