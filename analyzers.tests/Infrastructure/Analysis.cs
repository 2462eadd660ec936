using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.Tests.Infrastructure;

/// <summary>Compiles sources against the offline reference assemblies and runs every analyzer of the suite on them.</summary>
public static class Analysis
{
    private static readonly Lazy<Task<ImmutableArray<MetadataReference>>> References = new(() =>
        Verify<Rules.UncheckedNullResultAnalyzer>.References.ResolveAsync(LanguageNames.CSharp, CancellationToken.None));

    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers { get; } = typeof(Descriptors).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
        .ToImmutableArray();

    public static string RepositoryRoot { get; } = FindRoot();

    public static async Task<CSharpCompilation> CompileAsync(IEnumerable<(string Path, string Text)> files, bool nullableEnabled = false)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.Select(file => CSharpSyntaxTree.ParseText(file.Text, parse, file.Path)).ToList();
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            allowUnsafe: true,
            nullableContextOptions: nullableEnabled ? NullableContextOptions.Enable : NullableContextOptions.Disable);
        return CSharpCompilation.Create("Analyzed", trees, await References.Value, options);
    }

    /// <summary>
    /// A compilation with no references at all, as a kernel with its own corelib is built (<c>-nostdlib</c>):
    /// <paramref name="source"/> declares whatever <c>System</c> types it has, and well-known types may be missing.
    /// </summary>
    public static CSharpCompilation CompileWithOwnCorelib(string source) =>
        CSharpCompilation.Create(
            "kernel",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            references: null,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));

    /// <summary>Analyzer diagnostics, sorted by file and position; analyzer exceptions fail the call.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(
        Compilation compilation,
        ImmutableArray<DiagnosticAnalyzer>? analyzers = null,
        CancellationToken cancellationToken = default)
    {
        var exceptions = new List<string>();
        var withAnalyzers = compilation.WithAnalyzers(
            analyzers ?? AllAnalyzers,
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                (exception, analyzer, _) => { lock (exceptions) { exceptions.Add($"{analyzer.GetType().Name}: {exception}"); } },
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);
        if (exceptions.Count > 0 || diagnostics.Any(d => d.Id == "AD0001"))
        {
            throw new InvalidOperationException("Analyzer threw: " + string.Join(Environment.NewLine, exceptions.Concat(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString()))));
        }

        return diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Kernel.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Kernel.sln not found above " + AppContext.BaseDirectory);
    }
}
