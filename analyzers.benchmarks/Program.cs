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
        if (args.Length is 2 or 3 && args[0] == "--telemetry")
        {
            var rounds = args.Length == 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
            Telemetry(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), rounds);
            return 0;
        }

        if (args.Length == 3 && args[0] == "--suite")
        {
            SuiteOnly(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        if (args.Length == 3 && args[0] == "--ratio")
        {
            Ratio(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        if (args.Length == 3 && args[0] == "--memory")
        {
            Memory(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]);
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
    /// compile with an empty analyzer, with the suite and with NetAnalyzers, each on a fresh compilation after a
    /// warm-up; then the per-analyzer execution time the driver reports (what ReportAnalyzer prints). Each figure is
    /// the least of <paramref name="rounds"/> rounds: other load on the machine only ever adds time.
    /// </summary>
    private static void Telemetry(int lines, int rounds)
    {
        var references = Corpus.References().ToList();
        Measure(Corpus.Generate(2_000), references);
        var trees = Corpus.Generate(lines);
        var best = Measure(trees, references);
        for (var round = 1; round < rounds; round++)
        {
            var next = Measure(trees, references);
            best = (
                Math.Min(best.Compile, next.Compile),
                Math.Min(best.Empty, next.Empty),
                Math.Min(best.Suite, next.Suite),
                Math.Min(best.NetAnalyzers, next.NetAnalyzers),
                best.PerAnalyzer.Zip(next.PerAnalyzer, (a, b) => (a.Item1, a.Item2, Math.Min(a.Item3, b.Item3))).ToArray());
        }

        var (compile, empty, suite, net, telemetry) = best;
        var suiteSeconds = telemetry.Sum(t => t.Item3);
        Console.WriteLine(
            $"| {Corpus.CountLines(trees):N0} | {compile:F2} | {empty:F2} | {suite:F2} | {net:F2} | {suiteSeconds:F2} | {suiteSeconds / compile:P1} | " +
            $"{suiteSeconds / Math.Max(0.01, net - empty):P0} | {PeakWorkingSetMiB():N0} |");
        foreach (var (name, ids, seconds) in telemetry)
        {
            Console.Error.WriteLine($"{name}\t{ids}\t{seconds:F3}");
        }
    }

    /// <summary>
    /// <c>--suite N R</c>: only the suite, R rounds on an N-line corpus, the least driver time per analyzer: a quick
    /// comparison of two builds of the suite on one machine.
    /// </summary>
    private static void SuiteOnly(int lines, int rounds)
    {
        var references = Corpus.References().ToList();
        var trees = Corpus.Generate(lines);
        var best = new double[Suite.Analyzers.Length];
        for (var i = 0; i < best.Length; i++)
        {
            best[i] = double.MaxValue;
        }

        var allocated = long.MaxValue;
        double emptyCpu = double.MaxValue, suiteCpu = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var start = GC.GetTotalAllocatedBytes(precise: true);
            emptyCpu = Math.Min(emptyCpu, CpuSeconds(() => Analyze(trees, references, ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer()), out _)));
            var driverOnly = GC.GetTotalAllocatedBytes(precise: true) - start;
            var before = GC.GetTotalAllocatedBytes(precise: true) + driverOnly;
            CompilationWithAnalyzers? withSuite = null;
            suiteCpu = Math.Min(suiteCpu, CpuSeconds(() => Analyze(trees, references, Suite.Analyzers, out withSuite)));
            allocated = Math.Min(allocated, GC.GetTotalAllocatedBytes(precise: true) - before);
            for (var i = 0; i < best.Length; i++)
            {
                var seconds = withSuite!.GetAnalyzerTelemetryInfoAsync(Suite.Analyzers[i], default).GetAwaiter().GetResult().ExecutionTime.TotalSeconds;
                best[i] = Math.Min(best[i], seconds);
            }
        }

        for (var i = 0; i < best.Length; i++)
        {
            Console.WriteLine($"{Suite.Analyzers[i].GetType().Name}\t{best[i]:F3}");
        }

        Console.WriteLine($"suite\t{best.Sum():F3}");

        // CPU time and allocation are steadier than the driver's wall-clock times on a shared machine.
        Console.WriteLine($"CPU time of the analysis, suite minus empty analyzer (s)\t{suiteCpu - emptyCpu:F3}");
        Console.WriteLine($"allocated by the suite (MB)\t{allocated / 1e6:F1}");
    }

    /// <summary>
    /// <c>--ratio N R</c>: the compile alone, and the analysis alone with the empty analyzer and with the suite, R rounds
    /// on an N-line corpus. Prints the least compile CPU time, the suite's driver time (the least per analyzer, summed),
    /// their ratio, and what the suite allocates beyond the empty analyzer (what it costs the garbage collector). Cheaper
    /// than <c>--telemetry</c>, so it can run under runtime settings that hold the garbage collector and the JIT still.
    /// </summary>
    private static void Ratio(int lines, int rounds)
    {
        var references = Corpus.References().ToList();
        Build(Corpus.Generate(2_000), references, Suite.Analyzers, out _);
        var trees = Corpus.Generate(lines);
        var compile = double.MaxValue;
        long emptyBytes = long.MaxValue, suiteBytes = long.MaxValue;
        var best = Enumerable.Repeat(double.MaxValue, Suite.Analyzers.Length).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            compile = Math.Min(compile, CpuSeconds(() => Emit(Corpus.Compile(Corpus.Reparse(trees), references))));
            emptyBytes = Math.Min(emptyBytes, Allocated(() => Analyze(trees, references, ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer()), out _)));
            CompilationWithAnalyzers? withSuite = null;
            suiteBytes = Math.Min(suiteBytes, Allocated(() => Analyze(trees, references, Suite.Analyzers, out withSuite)));
            for (var i = 0; i < best.Length; i++)
            {
                best[i] = Math.Min(best[i], withSuite!.GetAnalyzerTelemetryInfoAsync(Suite.Analyzers[i], default).GetAwaiter().GetResult().ExecutionTime.TotalSeconds);
            }
        }

        var suite = best.Sum();
        var count = Corpus.CountLines(trees);
        var allocated = (suiteBytes - emptyBytes) / 1e6;
        Console.WriteLine(
            $"| {count:N0} | {compile:F2} | {suite:F2} | {suite / compile:P1} | {suite * 100_000 / count:F2} | {allocated:F0} | {allocated * 100_000 / count:F0} |");
    }

    /// <summary>
    /// <c>--memory N compile|empty|suite</c>: the peak working set of a process that builds the N-line corpus once in
    /// that configuration (run each in its own process: a peak never goes down), then the live heap after a full
    /// collection with the build's compilation still held: what the analysis keeps for as long as the compilation lives.
    /// </summary>
    private static void Memory(int lines, string configuration)
    {
        var references = Corpus.References().ToList();
        var trees = Corpus.Generate(lines);
        object held;
        switch (configuration)
        {
            case "compile":
                var compilation = Corpus.Compile(Corpus.Reparse(trees), references);
                Emit(compilation);
                held = compilation;
                break;
            case "empty":
                Build(trees, references, ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer()), out var withEmpty);
                held = withEmpty;
                break;
            case "suite":
                Build(trees, references, Suite.Analyzers, out var withSuite);
                held = withSuite;
                break;
            default:
                throw new ArgumentException("expected compile, empty or suite", nameof(configuration));
        }

        var liveMiB = GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0);
        GC.KeepAlive(held);
        Console.WriteLine($"{PeakWorkingSetMiB():F0}\t{liveMiB:F0}");
    }

    /// <summary>
    /// Each configuration is a whole build of the corpus: parse, analyse (if any analyzers), emit. The compile alone is
    /// what the suite's cost is compared with, as <c>-p:ReportAnalyzer=true</c> compares it with csc's own time.
    /// </summary>
    private static (double Compile, double Empty, double Suite, double NetAnalyzers, (string, string, double)[] PerAnalyzer) Measure(
        ImmutableArray<SyntaxTree> trees, System.Collections.Generic.List<MetadataReference> references)
    {
        var compile = CpuSeconds(() => Emit(Corpus.Compile(Corpus.Reparse(trees), references)));
        var empty = CpuSeconds(() => Build(trees, references, ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer()), out _));
        CompilationWithAnalyzers? withSuite = null;
        var suite = CpuSeconds(() => Build(trees, references, Suite.Analyzers, out withSuite));
        var netAnalyzers = NetAnalyzers.Load(out var severities);
        var net = CpuSeconds(() => Build(trees, references, netAnalyzers, out _, severities));
        var perAnalyzer = Suite.Analyzers
            .Select(a => (a.GetType().Name, string.Join(", ", a.SupportedDiagnostics.Select(d => d.Id).Distinct()),
                withSuite!.GetAnalyzerTelemetryInfoAsync(a, default).GetAwaiter().GetResult().ExecutionTime.TotalSeconds))
            .ToArray();
        return (compile, empty, suite, net, perAnalyzer);
    }

    private static void Build(
        ImmutableArray<SyntaxTree> trees,
        System.Collections.Generic.List<MetadataReference> references,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        out CompilationWithAnalyzers withAnalyzers,
        ImmutableDictionary<string, ReportDiagnostic>? severities = null)
    {
        Analyze(Corpus.Reparse(trees), references, analyzers, out withAnalyzers, severities);
        Emit(withAnalyzers.Compilation);
    }

    private static void Emit(Compilation compilation)
    {
        var result = compilation.Emit(System.IO.Stream.Null);
        if (!result.Success)
        {
            throw new InvalidOperationException("The corpus does not compile: " + result.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error));
        }
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
        // Concurrent, as csc analyses when it builds concurrently (its default).
        withAnalyzers = compilation.WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
        withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    private static double PeakWorkingSetMiB()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>The bytes <paramref name="action"/> allocates, on every thread.</summary>
    private static long Allocated(Action action)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        action();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }

    private static double CpuSeconds(Action action)
    {
        GC.Collect();
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        action();
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
    }
}
