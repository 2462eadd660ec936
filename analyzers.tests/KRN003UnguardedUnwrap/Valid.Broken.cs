using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Kernel.Analyzers.Rules;
using Kernel.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Kernel.Analyzers.Tests.KRN003UnguardedUnwrap;

/// <summary>Broken code, missing types and a kernel's own corelib: the rules degrade, never throw (no AD0001).</summary>
public partial class Valid
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Rules =
        ImmutableArray.Create<DiagnosticAnalyzer>(new UnguardedUnwrapAnalyzer(), new CheckThenUnwrapRaceAnalyzer());

    [Theory]
    [InlineData("static class C { static int F(int? o) { return o.Value + ; } }")]
    [InlineData("static class C { static int F(int? o) { if (o.HasValue return o.Value; } }")]
    [InlineData("static class C { static int F(Missing<int> m) => m.Value + m.Unwrap() + (int)m; }")]
    [InlineData("static class C { static int F() => Unknown.Find(3)!.Value + Nowhere().Expect(\"x\"); }")]
    [InlineData("static class C { static int F(Process p) { if (p.Mm.HasValue) return p.Mm.Value.Missing; return p.Nope.Value; } }")]
    [InlineData("static class C { static int F(int? o) { switch (o) { case null: return; default: return o.Value } } }")]
    [InlineData("static class C { static int F(int? o) => o is { } v ? o.Value : (int)o!; }")]
    [InlineData("class C { int? _mm; int F() { lock (this) { if (_mm.HasValue) return _mm.Value; } return _mm.Value; } }")]
    public async Task BrokenCodeDoesNotThrow(string source)
    {
        var compilation = await Analysis.CompileAsync(new[] { ("/0/Broken.cs", source + OptionalSources.Types) });
        await Analysis.AnalyzeAsync(compilation, Rules);
    }

    [Fact]
    public async Task OwnCorelibWithoutNullableDegradesAndStillSeesOption()
    {
        const string corelib = """
            namespace System
            {
                public class Object { }
                public abstract class ValueType { }
                public struct Void { }
                public struct Boolean { }
                public struct Int32 { }
                public struct Int64 { }
                public sealed class String { }
                public abstract class Attribute { }
                public abstract class Enum : ValueType { }
                public class Exception { }
            }

            namespace Kernel
            {
                public struct Option<T>
                {
                    private T value;
                    public bool IsSome;
                    public T Unwrap() { return value; }
                }

                public unsafe struct Task { public int State; }

                public sealed class MayReturnNullAttribute : System.Attribute { }

                public static unsafe class Sched
                {
                    [MayReturnNull] public static extern Task* Find(int pid);
                    public static Option<long> Rss;

                    public static long Status(int pid)
                    {
                        int? missing = null;
                        var forced = Find(pid)!->State;
                        return Rss.Unwrap() + missing.Value + (int)missing;
                    }
                }
            }
            """;
        var compilation = CSharpCompilation.Create(
            "Kernel",
            new[] { CSharpSyntaxTree.ParseText(corelib, new CSharpParseOptions(LanguageVersion.Latest), "/0/Corelib.cs") },
            references: null,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        Assert.Contains(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);

        var diagnostics = await Analysis.AnalyzeAsync(compilation, Rules);
        var lines = diagnostics.Select(d => (d.Id, d.Location.GetLineSpan().StartLinePosition.Line + 1)).ToList();
        Assert.Contains(("KRN003", 36), lines);
        Assert.Contains(("KRN003", 37), lines);
        Assert.DoesNotContain(diagnostics, d => d.Id == "KRN004");
    }
}
