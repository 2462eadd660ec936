using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.UncheckedNullResultAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN001UncheckedNullResult;

/// <summary>Code that checks its may-be-null results in every ordinary way: KRN001 stays silent.</summary>
public class Valid
{
    [Theory]
    [InlineData("if (p == null) return; p->State = 1;")]
    [InlineData("if (p != null) p->State = 1;")]
    [InlineData("if (null == p) return; p->State = 1;")]
    [InlineData("if (p is null) return; p->State = 1;")]
    [InlineData("if (p is not null) { p->State = 1; }")]
    [InlineData("if (p == default) return; p->State = 1;")]
    [InlineData("if ((nint)p == 0) return; p->State = 1;")]
    [InlineData("if ((nint)p == nint.Zero) return; p->State = 1;")]
    [InlineData("if ((System.IntPtr)p == System.IntPtr.Zero) return; p->State = 1;")]
    [InlineData("if (p == (Pcb*)0) return; p->State = 1;")]
    [InlineData("if (!(p != null)) return; p->State = 1;")]
    [InlineData("if (p != null && p->State == 0) p->State = 1;")]
    [InlineData("if (p == null || p->State == 0) return; p->State = 1;")]
    [InlineData("var s = p != null ? p->State : 0;")]
    [InlineData("var s = p == null ? 0 : p->State;")]
    [InlineData("if (p == null) throw new System.InvalidOperationException(); p->State = 1;")]
    [InlineData("if (p == null) Net.Panic(\"no pcb\"); p->State = 1;")]
    [InlineData("Net.AssertTrue(p != null); p->State = 1;")]
    [InlineData("System.Diagnostics.Debug.Assert(p != null); p->State = 1;")]
    [InlineData("var q = p; if (q == null) return; p->State = 1;")]
    [InlineData("var q = (nint)p; if (q == 0) return; p->State = 1;")]
    [InlineData("Pcb* q; if ((q = p) == null) return; q->State = 1;")]
    [InlineData("if (p == null) goto done; p->State = 1; done: return;")]
    [InlineData("if (p == null) { p = Net.ListenForever(1); } p->State = 1;")]
    [InlineData("p = Net.ListenForever(2); p->State = 1;")]
    [InlineData("var ok = p != null; if (p != null) { p->State = ok ? 1 : 2; }")]
    [InlineData("if (p == null) return; int* s = &p->State; *s = 1;")]
    [InlineData("Net.TouchChecked(p);")]
    [InlineData("if ((ulong)p == 0) return; p->State = 1;")]
    [InlineData("if (0 != (long)p) p->State = 1;")]
    public Task ListenResultChecked(string body) => Verifier.AnalyzerAsync(
        "unsafe class C { void M() { Pcb* p = Net.tcp_listen_with_backlog(null, 4); " + body + " } }" + Code.Prelude);

    [Theory]
    [InlineData("c?.Send(null);")]
    [InlineData("var f = c?.Flags ?? 0;")]
    [InlineData("var d = c ?? new Conn(); d.Send(null);")]
    [InlineData("c ??= new Conn(); c.Send(null);")]
    [InlineData("if (c is { } live) live.Send(null);")]
    [InlineData("if (c is { Flags: 1 }) c.Send(null);")]
    [InlineData("if (c is Conn typed) typed.Send(null);")]
    [InlineData("if (c is not { }) return; c.Send(null);")]
    [InlineData("Net.ThrowIfNull(c); c.Send(null);")]
    [InlineData("System.ArgumentNullException.ThrowIfNull(c); c.Send(null);")]
    [InlineData("if (!Net.IsValid(c)) return; c.Send(null);")]
    [InlineData("if (c == null) { return; } else { c.Send(null); }")]
    [InlineData("switch (c) { case null: return; default: c.Send(null); break; }")]
    [InlineData("var flags = c switch { null => 0, _ => c.Flags };")]
    [InlineData("_ = c!.Flags;")]
    [InlineData("var forced = c!; forced.Send(null);")]
    [InlineData("if (c == null) c = new Conn(); c.Send(null);")]
    [InlineData("c = new Conn(); c.Send(null);")]
    [InlineData("if (c == null) return; System.Action a = () => c.Send(null);")]
    [InlineData("if (c is Conn) c.Send(null);")]
    [InlineData("if (!(c is object)) return; c.Send(null);")]
    [InlineData("if (c is null or { Flags: 0 }) return; c.Send(null);")]
    [InlineData("if (c is not null and { Flags: 1 }) c.Send(null);")]
    [InlineData("if (c?.Flags > 0) c.Send(null);")]
    [InlineData("if (c?.Flags == 1) c.Send(null);")]
    [InlineData("if (c?.Flags != 1) return; c.Send(null);")]
    [InlineData("if (c?.Flags is 1 or 2) c.Send(null);")]
    [InlineData("if (c?.Peer != null) c.Send(null);")]
    [InlineData("if (c?.Peer?.Flags >= 1) c.Send(null);")]
    [InlineData("if (ReferenceEquals(c, null)) return; c.Send(null);")]
    [InlineData("if (!object.Equals(null, c)) c.Send(null);")]
    public Task ReferenceResultChecked(string body) => Verifier.AnalyzerAsync(
        "unsafe class C { void M() { Conn c = Net.AcceptConn(80); " + body + " } }" + Code.Prelude);

    [Theory]
    [InlineData("for (int i = 0; i < 3; i++) { var p = Net.Accept(null); if (p == null) continue; p->State = i; }")]
    [InlineData("while (true) { var p = Net.Accept(null); if (p == null) break; p->State = 1; }")]
    [InlineData("Pcb* c; while ((c = Net.Accept(null)) != null) { c->State = 1; }")]
    [InlineData("Pcb* c = Net.Accept(null); while (c != null) { c->State = 1; c = Net.Accept(null); }")]
    [InlineData("do { var p = Net.Accept(null); if (p is null) return; p->State = 1; } while (true);")]
    [InlineData("var p = Net.Accept(null); try { if (p == null) return; p->State = 1; } finally { }")]
    [InlineData("var p = Net.Accept(null); if (p == null) return; try { p->State = 1; } catch { p->State = 2; }")]
    public Task LoopsAndTry(string body) => Verifier.AnalyzerAsync(
        "unsafe class C { void M() { " + body + " } }" + Code.Prelude);

    [Theory]
    [InlineData("Pcb* p = Net.FindListeners(1); p->State = 1;")]
    [InlineData("Pcb* p = Net.NewListener(1); p->State = 1;")]
    [InlineData("Pcb* p = Net.ListenForever(1); p->State = 1;")]
    [InlineData("Pcb* p = Net.Create(1); p->State = 1;")]
    [InlineData("Pcb* p = Net.Find(null, 1); if (p == null) return; p->State = 1;")]
    [InlineData("Pcb* p = null; p->State = 1;")]
    [InlineData("var s = new Pcb(); Pcb* p = &s; p->State = 1;")]
    public Task NotSources(string body) => Verifier.AnalyzerAsync(
        "unsafe class C { void M() { " + body + " } }" + Code.Prelude);

    /// <summary>Methods whose every returned expression is never null are not sources.</summary>
    [Theory]
    [InlineData("static string Pick(bool c) => c ? \"x\" : \"y\";")]
    [InlineData("static string Pick(bool c) => c switch { true => \"x\", _ => $\"{c}\" };")]
    [InlineData("static string Pick(bool c) => \"a\" + c;")]
    [InlineData("static string Pick(bool c) => Other() ?? \"z\";")]
    [InlineData("static string Pick(bool c) => c ? new string('a', 1) : throw new System.Exception();")]
    [InlineData("static string Pick(bool c) { if (c) return nameof(Pick); return Other().ToString(); }")]
    [InlineData("static string Pick(bool c) { System.Func<string> f = () => null; return \"x\"; }")]
    public Task ReturnedValuesNeverNull(string pick) => Verifier.AnalyzerAsync(
        "class C { " + pick + " static string Other() => \"o\"; int M() => Pick(true).Length; }");

    [Theory]
    [InlineData("if (!Helpers.IsUsable(p)) return; p->State = 1;")]
    [InlineData("if (Helpers.IsMissing(p)) return; p->State = 1;")]
    [InlineData("if (Helpers.IsUsable(p)) p->State = 1;")]
    [InlineData("if (!Helpers.Check(p != null, \"no pcb\")) return; p->State = 1;")]
    [InlineData("if (Helpers.Check(p == null, \"no pcb\")) return; p->State = 1;")]
    public Task InferredBoolHelpersProveTheirArguments(string body) => Verifier.AnalyzerAsync(
        "unsafe class C { void M() { Pcb* p = Net.Accept(null); " + body + " } }" + Helpers + Code.Prelude);

    private const string Helpers = """

        public static unsafe class Helpers
        {
            public static bool IsUsable(Pcb* p) { if (p == null) return false; return p->State >= 0; }
            public static bool IsMissing(Pcb* p) => p == null;
            public static bool Check(bool condition, string message) { if (!condition) System.Console.WriteLine(message); return condition; }
        }
        """;

    [Fact]
    public Task ListenFamilyCanBeTurnedOff() => Verifier.AnalyzerAsync(
        "unsafe class C { void M() { Pcb* p = Net.tcp_listen_with_backlog(null, 1); p->State = 1; } }" + Code.Prelude,
        "dotnet_code_quality.KRN001.listen_family = false");

    [Fact]
    public Task ParameterCheckedThenDereferencedIsOutsideTheContract() => Verifier.AnalyzerAsync(
        "unsafe class C { void M(Pcb* p) { if (p == null) { } p->State = 1; } }" + Code.Prelude);

    [Fact]
    public Task AnnotatedNullableReturnIsTheCompilers() => Verifier.AnalyzerAsync("""
        #nullable enable
        class Server { public static Server? Listen(int port) => null; public void Run() { } }
        class C { void M() { var s = Server.Listen(1); s!.Run(); } }
        """);

    [Fact]
    public Task UnconstrainedTypeParameterIsNeverListenFamily() => Verifier.AnalyzerAsync("""
        class Pool<T> { public T Accept() => default; }
        class C { void M(Pool<string> pool) { var s = pool.Accept(); _ = s.Length; } }
        """);

    [Fact]
    public Task ReassignmentAfterCheckedValueIsReevaluated() => Verifier.AnalyzerAsync(
        "unsafe class C { void M() { var p = Net.Accept(null); if (p == null) return; p->State = 1; p = Net.ListenForever(1); p->State = 2; } }" + Code.Prelude);

    [Fact]
    public Task LocalFunctionAndLambdaCheck() => Verifier.AnalyzerAsync(
        "unsafe class C { void M() { void Local() { var p = Net.Accept(null); if (p == null) return; p->State = 1; } Local(); System.Func<int> f = () => { var c = Net.AcceptConn(1); return c?.Flags ?? 0; }; } }" + Code.Prelude);

    [Fact]
    public Task AsyncMethodWithCheck() => Verifier.AnalyzerAsync(
        "class C { async System.Threading.Tasks.Task M() { var c = Net.AcceptConn(1); await System.Threading.Tasks.Task.Yield(); if (c == null) return; c.Send(null); } }" + Code.Prelude);

    [Fact]
    public Task GenericMethodWithCheck() => Verifier.AnalyzerAsync(
        "unsafe class C { T Pick<T>(T a) => a; void M() { var c = Pick(Net.AcceptConn(1)); if (c != null) c.Send(null); } }" + Code.Prelude);
}
