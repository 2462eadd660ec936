using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Kernel.Analyzers.Tests.Infrastructure;
using Xunit;

namespace Kernel.Analyzers.Tests.Suite;

/// <summary>Determinism, cancellation and very large or deep code, for every analyzer of the suite.</summary>
public class ScaleTests
{
    private const string Prelude = """
        public unsafe struct Pcb { public int State; public Pcb* Next; }
        public static unsafe class Net
        {
            public static extern Pcb* tcp_listen_with_backlog(Pcb* pcb, byte backlog);
            public static extern Pcb* Accept(Pcb* listener);
        }

        """;

    [Fact]
    public async Task SameInputGivesTheSameDiagnosticsInTheSameOrder()
    {
        var files = Directory.GetFiles(Path.Combine(Analysis.RepositoryRoot, "samples"), "*.cs", SearchOption.AllDirectories)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (p, File.ReadAllText(p)))
            .Append(("Generated.cs", Prelude + ManyMethods(300)))
            .ToList();
        string Render(System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Diagnostic> diagnostics) =>
            string.Join("\n", diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage()} {string.Join(",", d.AdditionalLocations.Select(l => l.GetLineSpan().ToString()))}"));

        var first = Render(await Analysis.AnalyzeAsync(await Analysis.CompileAsync(files)));
        for (var run = 0; run < 3; run++)
        {
            Assert.Equal(first, Render(await Analysis.AnalyzeAsync(await Analysis.CompileAsync(files))));
        }

        Assert.Contains("KRN001", first);
    }

    [Fact]
    public async Task CancellationStopsALargeAnalysisPromptly()
    {
        var files = new[] { ("Large.cs", Prelude + ManyMethods(3000)) };

        // A first run compiles the analyzers' code, so that the timed run is the analysis itself.
        await Analysis.AnalyzeAsync(await Analysis.CompileAsync(files));
        var full = Stopwatch.StartNew();
        await Analysis.AnalyzeAsync(await Analysis.CompileAsync(files));
        full.Stop();

        // Cancelled a twentieth of the way through a run as long as the one just timed. A run that finishes before
        // that (the timed run was slowed by the machine) is tried again with an earlier cancellation; a run that
        // ignores the token finishes every time and fails.
        var attempts = new StringBuilder();
        foreach (var fraction in new[] { 20, 200, 2000 })
        {
            using var cancellation = new CancellationTokenSource();
            var compilation = await Analysis.CompileAsync(files);
            var run = Analysis.AnalyzeAsync(compilation, cancellationToken: cancellation.Token);
            cancellation.CancelAfter(TimeSpan.FromTicks(full.Elapsed.Ticks / fraction));
            var sinceStart = Stopwatch.StartNew();
            try
            {
                await run;
                attempts.Append($"finished before the cancellation at 1/{fraction}; ");
            }
            catch (OperationCanceledException)
            {
                Assert.True(sinceStart.Elapsed < TimeSpan.FromTicks(full.Elapsed.Ticks / 2) + TimeSpan.FromMilliseconds(500),
                    $"cancelled after {full.Elapsed.TotalMilliseconds / fraction:F0} ms of a {full.Elapsed.TotalMilliseconds:F0} ms analysis, returned after {sinceStart.Elapsed.TotalMilliseconds:F0} ms");
                return;
            }
        }

        Assert.Fail($"the analysis was never cancelled ({attempts}a full run takes {full.Elapsed.TotalMilliseconds:F0} ms)");
    }

    [Theory]
    [InlineData("statements")]
    [InlineData("expression")]
    [InlineData("loops")]
    [InlineData("switch")]
    [InlineData("branches")]
    public async Task HugeAndDeepMethodsFinishWithoutExceptions(string shape)
    {
        var body = new StringBuilder("var p = Net.Accept(null);\n");
        switch (shape)
        {
            case "statements":
                for (var i = 0; i < 5000; i++)
                {
                    body.Append("var q").Append(i).Append(" = Net.Accept(p); if (q").Append(i).Append(" != null) q").Append(i).Append("->State = ").Append(i).Append(";\n");
                }

                break;
            case "expression":
                body.Append("var sum = 0");
                for (var i = 0; i < 3000; i++)
                {
                    body.Append(" + (p != null ? p->State : ").Append(i).Append(')');
                }

                body.Append(";\n");
                break;
            case "loops":
                for (var i = 0; i < 150; i++)
                {
                    body.Append("for (var i").Append(i).Append(" = 0; i").Append(i).Append(" < 2; i").Append(i).Append("++) { p = Net.Accept(p);\n");
                }

                body.Append("p->State = 1;\n").Append('}', 150);
                break;
            case "switch":
                body.Append("switch (p == null ? 0 : p->State) {\n");
                for (var i = 0; i < 3000; i++)
                {
                    body.Append("case ").Append(i).Append(": p = Net.Accept(p); break;\n");
                }

                body.Append("}\np->State = 1;\n");
                break;
            case "branches":
                for (var i = 0; i < 400; i++)
                {
                    body.Append("if (p != null && p->State == ").Append(i).Append(") { p = Net.Accept(p); } else { p = p == null ? Net.Accept(null) : p->Next; }\n");
                }

                break;
        }

        var source = Prelude + "public static unsafe class Huge { public static void M() {\n" + body + "} }";
        var watch = Stopwatch.StartNew();
        await Analysis.AnalyzeAsync(await Analysis.CompileAsync(new[] { ("Huge.cs", source) }));
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"{shape} took {watch.Elapsed}");
    }

    private static string ManyMethods(int count)
    {
        var text = new StringBuilder("public static unsafe class Generated {\n");
        for (var i = 0; i < count; i++)
        {
            text.Append("public static int M").Append(i).Append("(Pcb* bound) { var p = Net.tcp_listen_with_backlog(bound, 1); ")
                .Append(i % 3 == 0 ? "p->State = 1; " : "if (p == null) return -1; p->State = 2; ")
                .Append("var c = Net.Accept(p); while (c != null) { c->State = ").Append(i).Append("; c = c->Next; } return 0; }\n");
        }

        return text.Append('}').ToString();
    }
}
