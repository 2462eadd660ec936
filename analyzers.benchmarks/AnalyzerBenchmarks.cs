using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.Benchmarks;

/// <summary>
/// Compile-and-analyse time of the generated corpus at two sizes: with an analyzer that registers the same actions
/// and does nothing (the driver's own cost), with KRN001 alone, and with the whole suite.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private ImmutableArray<SyntaxTree> trees;
    private List<MetadataReference> references = new();

    [Params(50_000, 100_000)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        trees = Corpus.Generate(Lines);
        references = Corpus.References().ToList();
    }

    [Benchmark(Baseline = true)]
    public Task<ImmutableArray<Diagnostic>> EmptyAnalyzer() => Run(ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer()));

    [Benchmark]
    public Task<ImmutableArray<Diagnostic>> Krn001() => Run(ImmutableArray.Create<DiagnosticAnalyzer>(new Rules.UncheckedNullResultAnalyzer()));

    [Benchmark]
    public Task<ImmutableArray<Diagnostic>> Krn002() => Run(ImmutableArray.Create<DiagnosticAnalyzer>(new Rules.LockUsedBeforeInitAnalyzer()));

    [Benchmark]
    public Task<ImmutableArray<Diagnostic>> Krn003() => Run(ImmutableArray.Create<DiagnosticAnalyzer>(new Rules.UnguardedUnwrapAnalyzer()));

    [Benchmark]
    public Task<ImmutableArray<Diagnostic>> Krn004() => Run(ImmutableArray.Create<DiagnosticAnalyzer>(new Rules.CheckThenUnwrapRaceAnalyzer()));

    [Benchmark]
    public Task<ImmutableArray<Diagnostic>> Krn005() => Run(ImmutableArray.Create<DiagnosticAnalyzer>(new Rules.IgnoredByteCountAnalyzer()));

    [Benchmark]
    public Task<ImmutableArray<Diagnostic>> Krn006() => Run(ImmutableArray.Create<DiagnosticAnalyzer>(new Rules.UseAfterReleaseAnalyzer()));

    [Benchmark]
    public Task<ImmutableArray<Diagnostic>> WholeSuite() => Run(Suite.Analyzers);

    private Task<ImmutableArray<Diagnostic>> Run(ImmutableArray<DiagnosticAnalyzer> analyzers) =>
        Corpus.Compile(trees, references)
            .WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync();
}
