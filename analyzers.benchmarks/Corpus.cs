using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kernel.Analyzers.Benchmarks;

/// <summary>
/// A generated corpus in the shape of kernel code: pointer-heavy network paths (checked listens and accepts), spin
/// locks with init routines, optional resources, and ordinary C# (collections, LINQ, strings, parsing) around them:
/// about half of each unit touches what the rules look at. It is clean code, as a build that passes the suite is,
/// except one unit in fifty that re-reads a shared optional between its check and its unwrap (KRN004). Most units
/// check results in the idioms the rules settle without a flow analysis; one in four checks them in a branch instead.
/// </summary>
public static class Corpus
{
    private const int LinesPerFile = 1000;

    public static ImmutableArray<SyntaxTree> Generate(int lines)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = ImmutableArray.CreateBuilder<SyntaxTree>();
        trees.Add(CSharpSyntaxTree.ParseText(Prelude, parse, "Prelude.cs"));
        var unit = 0;
        var file = new StringBuilder();
        var fileLines = 0;
        var total = 0;
        while (total < lines)
        {
            var text = Unit(unit++);
            var count = text.Count(c => c == '\n');
            file.Append(text);
            fileLines += count;
            total += count;
            if (fileLines >= LinesPerFile)
            {
                trees.Add(CSharpSyntaxTree.ParseText(file.ToString(), parse, $"File{trees.Count}.cs"));
                file.Clear();
                fileLines = 0;
            }
        }

        if (file.Length > 0)
        {
            trees.Add(CSharpSyntaxTree.ParseText(file.ToString(), parse, $"File{trees.Count}.cs"));
        }

        return trees.ToImmutable();
    }

    public static CSharpCompilation Compile(ImmutableArray<SyntaxTree> trees, IEnumerable<MetadataReference> references) =>
        CSharpCompilation.Create(
            "Corpus",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Disable));

    /// <summary>The reference assemblies of .NET 10, from the NuGet cache (restored by the project's PackageDownload).</summary>
    public static IEnumerable<MetadataReference> References()
    {
        var root = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages", "microsoft.netcore.app.ref", "10.0.12", "ref", "net10.0");
        return Directory.GetFiles(root, "*.dll").Select(path => MetadataReference.CreateFromFile(path));
    }

    public static int CountLines(ImmutableArray<SyntaxTree> trees) => trees.Sum(t => t.GetText().Lines.Count);

    /// <summary>The same files parsed again: a build parses its sources, so every measured configuration does.</summary>
    public static ImmutableArray<SyntaxTree> Reparse(ImmutableArray<SyntaxTree> trees) =>
        trees.Select(t => CSharpSyntaxTree.ParseText(t.GetText(), (CSharpParseOptions)t.Options, t.FilePath)).ToImmutableArray();

    private const string Prelude = """
        namespace Corpus;

        public unsafe struct Pcb { public int State; public Pcb* Next; public ushort Port; }

        public struct SpinLock
        {
            private int held;
            private bool ready;
            public void Init() { held = 0; ready = true; }
            public void Acquire() { held = 1; }
            public void Release() { held = 0; }
            public bool IsInitialized => ready;
        }

        public readonly struct Option<T>
        {
            private readonly T value;
            public Option(T value) { this.value = value; HasValue = true; }
            public bool HasValue { get; }
            public T Value => HasValue ? value : throw new System.InvalidOperationException();
            public T UnwrapOr(T fallback) => HasValue ? value : fallback;
        }

        public static unsafe class Tcp
        {
            public static extern Pcb* tcp_listen_with_backlog(Pcb* pcb, byte backlog);
            public static extern Pcb* tcp_accept(Pcb* listener);
            public static void tcp_ref(Pcb* pcb) => pcb->State++;
        }
        """;

    private static string Read(int unit) => unit % 50 == 49 ? "cached" : "snapshot";

    /// <summary>
    /// Three units in four check the listen result in the idiom the rule settles without a flow analysis (check and
    /// leave); the fourth checks it in a branch, as code often does, and gets the whole analysis.
    /// </summary>
    private static string Start(int i) => i % 4 == 3
        ? $$"""
                public int Start(Pcb* bound, int backlog)
                {
                    var lw = Tcp.tcp_listen_with_backlog(bound, (byte)backlog);
                    var status = -98;
                    if (lw != null)
                    {
                        lock{{i}}.Acquire();
                        Tcp.tcp_ref(lw);
                        pcb = lw;
                        lock{{i}}.Release();
                        status = 0;
                    }

                    return status;
                }
        """
        : $$"""
                public int Start(Pcb* bound, int backlog)
                {
                    var lw = Tcp.tcp_listen_with_backlog(bound, (byte)backlog);
                    if (lw == null)
                    {
                        return -98;
                    }

                    lock{{i}}.Acquire();
                    Tcp.tcp_ref(lw);
                    pcb = lw;
                    lock{{i}}.Release();
                    return 0;
                }
        """;

    /// <summary>
    /// The end of <c>Poll</c>: three units in four unwrap a local copy in the <c>x.HasValue ? x.Value : d</c> idiom;
    /// the fourth checks it in a statement first. One unit in fifty re-reads the shared field instead (KRN004).
    /// </summary>
    private static string Result(int i) => i % 4 == 2
        ? $$"""
                    var snapshot = cached;
                    if ({{Read(i)}}.HasValue)
                    {
                        return served + {{Read(i)}}.Value;
                    }

                    return served;
        """
        : $$"""
                    var snapshot = cached;
                    return served + ({{Read(i)}}.HasValue ? {{Read(i)}}.Value : 0);
        """;

    private static string Unit(int i) => $$"""
        namespace Corpus.Unit{{i}}
        {
            public unsafe sealed class Listener{{i}}
            {
                private SpinLock lock{{i}};
                private Pcb* pcb;
                private Option<int> cached;
                private readonly int[] history = new int[16];

                public Listener{{i}}() { lock{{i}}.Init(); }

        {{Start(i)}}

                public int Poll()
                {
                    var served = 0;
                    Pcb* conn;
                    while ((conn = Tcp.tcp_accept(pcb)) != null)
                    {
                        conn->State = {{i % 7}};
                        history[served % history.Length] = conn->Port;
                        served++;
                    }

        {{Result(i)}}
                }

                public string Describe(int depth)
                {
                    var text = new System.Text.StringBuilder();
                    for (var d = 0; d < depth; d++)
                    {
                        text.Append(d % 2 == 0 ? "even" : "odd").Append(':').Append(history[d % history.Length]);
                    }

                    return text.Length > {{i % 50 + 10}} ? text.ToString(0, {{i % 50 + 10}}) : text.ToString();
                }

                public int Compute(int seed) => seed switch { < 0 => -1, 0 => cached.UnwrapOr(1), _ => seed * {{i % 13 + 1}} + Describe(seed % 8).Length };
            }

            // Ordinary C# around the kernel code: collections, LINQ, strings, parsing, exceptions.
            public sealed class Report{{i}}
            {
                private readonly System.Collections.Generic.Dictionary<string, int> counts = new();
                private readonly System.Collections.Generic.List<string> lines = new();

                public void Add(string name, int value)
                {
                    if (string.IsNullOrEmpty(name))
                    {
                        throw new System.ArgumentException("empty name", nameof(name));
                    }

                    counts[name] = counts.TryGetValue(name, out var old) ? old + value : value;
                    lines.Add($"{name}={value}");
                }

                public int Total() => System.Linq.Enumerable.Sum(counts.Values);

                public string[] TopNames(int n) =>
                    System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Take(
                        System.Linq.Enumerable.Select(System.Linq.Enumerable.OrderByDescending(counts, pair => pair.Value), pair => pair.Key), n));

                public int Summarize(int n) => TopNames(n).Length * {{i % 5 + 1}} + Total();

                public override string ToString()
                {
                    var builder = new System.Text.StringBuilder();
                    foreach (var line in lines)
                    {
                        builder.AppendLine(line);
                    }

                    return builder.ToString();
                }

                public static bool TryParse(string text, out int value)
                {
                    value = 0;
                    foreach (var c in text)
                    {
                        if (c < '0' || c > '9')
                        {
                            return false;
                        }

                        value = (value * 10) + (c - '0');
                    }

                    return text.Length > 0;
                }
            }
        }

        """;
}
