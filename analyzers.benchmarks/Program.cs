using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kernel.Analyzers.Benchmarks;

/// <summary>
/// <c>--telemetry N</c>: per-rule analyzer time on an N-line corpus, as the compiler's ReportAnalyzer reports it.
/// Otherwise: the BenchmarkDotNet suite (a short job: the corpus is large, the numbers are stable).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "--telemetry")
        {
            Telemetry(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        var config = DefaultConfig.Instance
            .AddJob(Job.Default.WithStrategy(BenchmarkDotNet.Engines.RunStrategy.Monitoring).WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkRunner.Run<AnalyzerBenchmarks>(config, args);
        return 0;
    }

    /// <summary>
    /// CPU time (summed over threads, so a busy machine disturbs it less than wall time) of: the compile alone, the
    /// compile with an empty analyzer, and with the suite, each on a fresh compilation after a warm-up; then the
    /// per-analyzer execution time the driver reports (what ReportAnalyzer prints).
    /// </summary>
    private static void Telemetry(int lines)
    {
        var references = Corpus.References().ToList();
        Measure(Corpus.Generate(2_000), references);
        var trees = Corpus.Generate(lines);
        var (compile, empty, suite, net, telemetry) = Measure(trees, references);
        Console.WriteLine($"| {Corpus.CountLines(trees):N0} | {compile:F2} | {empty:F2} | {suite:F2} | {net:F2} | {(suite - empty) / compile:P1} | {(suite - empty) / Math.Max(0.01, net - empty):P0} | {PeakWorkingSetMiB():N0} |");
        foreach (var (name, ids, seconds) in telemetry)
        {
            Console.Error.WriteLine($"{name}\t{ids}\t{seconds:F3}");
        }
    }

    private static (double Compile, double Empty, double Suite, double NetAnalyzers, (string, string, double)[] PerAnalyzer) Measure(
        ImmutableArray<SyntaxTree> trees, System.Collections.Generic.List<MetadataReference> references)
    {
        var compile = CpuSeconds(() => Corpus.Compile(trees, references).GetDiagnostics());
        var empty = CpuSeconds(() => Analyze(trees, references, ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer()), out _));
        CompilationWithAnalyzers? withSuite = null;
        var suite = CpuSeconds(() => Analyze(trees, references, Suite.Analyzers, out withSuite));
        var netAnalyzers = NetAnalyzers.Load(out var severities);
        var net = CpuSeconds(() => Analyze(trees, references, netAnalyzers, out _, severities));
        var perAnalyzer = Suite.Analyzers
            .Select(a => (a.GetType().Name, string.Join(", ", a.SupportedDiagnostics.Select(d => d.Id).Distinct()),
                withSuite!.GetAnalyzerTelemetryInfoAsync(a, default).GetAwaiter().GetResult().ExecutionTime.TotalSeconds))
            .ToArray();
        return (compile, empty, suite, net, perAnalyzer);
    }

    private static void Analyze(
        ImmutableArray<SyntaxTree> trees,
        System.Collections.Generic.List<MetadataReference> references,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        out CompilationWithAnalyzers withAnalyzers,
        ImmutableDictionary<string, ReportDiagnostic>? severities = null)
    {
        var compilation = Corpus.Compile(trees, references);
        if (severities is not null)
        {
            compilation = NetAnalyzers.WithSeverities(compilation, severities);
        }

        // The driver binds what it analyses: with the empty analyzer this is the compile plus the driver's own cost.
        withAnalyzers = compilation.WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    private static double PeakWorkingSetMiB()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    private static double CpuSeconds(Action action)
    {
        GC.Collect();
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        action();
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
    }
}
