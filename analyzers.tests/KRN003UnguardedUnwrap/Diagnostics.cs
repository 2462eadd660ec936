using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.UnguardedUnwrapAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN003UnguardedUnwrap;

/// <summary>KRN003 reports each unguarded unwrap at the unwrap expression.</summary>
public partial class Diagnostics
{
    private static Task ExpectAsync(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        Verifier.AnalyzerAsync(source + OptionalSources.Types, expected);

    [Fact]
    public Task SeedStatusReaderUnwrapsTheAddressSpace() =>
        ExpectAsync(
            """
            static class ProcFs
            {
                static long VmSize(Process proc) => {|#0:proc.AddressSpace.Value|}.Size;
            }
            """,
            Verifier.Diagnostic("KRN003").WithLocation(0).WithMessage(
                "'proc.AddressSpace' is unwrapped with '.Value' on a path where its presence was not checked; match on it (is { } v, TryUnwrap) or check it first"));

    [Fact]
    public Task CastOfNullable() =>
        ExpectAsync(
            "static class C { static int F(int? o) => {|#0:(int)o|}; }",
            Verifier.Diagnostic("KRN003").WithLocation(0).WithMessage(
                "'o' is unwrapped with '(int)' on a path where its presence was not checked; match on it (is { } v, TryUnwrap) or check it first"));

    [Fact]
    public Task ExpectOnOption() =>
        ExpectAsync(
            "static class C { static int F(Option<int> p) => {|#0:p.Expect(\"mapped at exec\")|}; }",
            Verifier.Diagnostic("KRN003").WithLocation(0).WithMessage(
                "'p' is unwrapped with '.Expect(...)' on a path where its presence was not checked; match on it (is { } v, TryUnwrap) or check it first"));

    [Fact]
    public Task ForcedResultOfMayReturnNull() =>
        ExpectAsync(
            """
            unsafe struct Task { public int State; }
            class MayReturnNullAttribute : System.Attribute { }
            unsafe static class C
            {
                [MayReturnNull] static extern Task* FindTask(int pid);
                static int F(int pid) => {|#0:FindTask(pid)!|}->State;
            }
            """,
            Verifier.Diagnostic("KRN003").WithLocation(0).WithMessage(
                "'FindTask(pid)' is unwrapped with '!' on a path where 'FindTask' may return null; match on it (is { } v, TryUnwrap) or check it first"));

    [Fact]
    public Task ForcedResultAfterAnEarlierUnwrapInTheSameMethod() =>
        ExpectAsync(
            """
            unsafe struct Task { public int State; }
            class MayReturnNullAttribute : System.Attribute { }
            unsafe static class C
            {
                [MayReturnNull] static extern Task* FindTask(int pid);
                static int F(int? pid) => {|#0:pid.Value|} + {|#1:FindTask(1)!|}->State;
            }
            """,
            Verifier.Diagnostic("KRN003").WithLocation(0).WithArguments("pid", ".Value", "its presence was not checked"),
            Verifier.Diagnostic("KRN003").WithLocation(1).WithArguments("FindTask(1)", "!", "'FindTask' may return null"));

    [Theory]
    [InlineData("return {|KRN003:o.Value|};")]
    [InlineData("if (o.HasValue) return 0; return {|KRN003:o.Value|};")]
    [InlineData("if (flag) { if (!o.HasValue) return 0; } return {|KRN003:o.Value|};")]
    [InlineData("if (!o.HasValue) return 0; o = Lookup(1); return {|KRN003:o.Value|};")]
    [InlineData("int? x = null; return {|KRN003:x.Value|};")]
    [InlineData("int? x = default; return {|KRN003:(int)x|};")]
    [InlineData("return {|KRN003:Lookup(2).Value|};")]
    [InlineData("var a = {|KRN003:o.Value|}; var b = o.Value; return a + b;")]
    [InlineData("var sum = 0; for (var i = 0; i < 4; i++) { sum += {|KRN003:Lookup(i).Value|}; } return sum;")]
    [InlineData("switch (o) { case 1: return 1; default: return {|KRN003:o.Value|}; }")]
    [InlineData("if (o.HasValue || flag) return {|KRN003:o.Value|}; return 0;")]
    [InlineData("try { return {|KRN003:o.Value|}; } finally { flag = false; }")]
    [InlineData("System.Func<int?, int> f = x => {|KRN003:x.Value|}; return f(o);")]
    [InlineData("return Local(o); static int Local(int? x) => {|KRN003:x.Value|};")]
    [InlineData("while (flag) { if (o.HasValue) break; } return {|KRN003:o.Value|};")]
    [InlineData("if (o > 0) return 0; return {|KRN003:o.Value|};")]
    [InlineData("if (o != 5) return {|KRN003:o.Value|}; return 0;")]
    [InlineData("if (o is not > 0) return {|KRN003:o.Value|}; return 0;")]
    [InlineData("if (o is null or 0) return {|KRN003:o.Value|}; return 0;")]
    [InlineData("if (o.HasValue is false) return {|KRN003:o.Value|}; return 0;")]
    public Task NullableUnwraps(string body) =>
        ExpectAsync("static class C { static int? Lookup(int i) => null; static int F(int? o, bool flag) { " + body + " } }");

    [Theory]
    [InlineData("return {|KRN003:p.Unwrap()|};")]
    [InlineData("if (p.IsNone) return {|KRN003:p.Unwrap()|}; return 0;")]
    [InlineData("if (!p.IsSome) return {|KRN003:p.Expect(\"x\")|}; return 0;")]
    [InlineData("return {|KRN003:m.Get()|}.Pages;")]
    [InlineData("return {|KRN003:proc.CurrentVmar().Unwrap()|}.Pages;")]
    [InlineData("return {|KRN003:proc.Guard.Get()|}.Pages;")]
    [InlineData("if (p is { IsSome: false }) return {|KRN003:p.Unwrap()|}; return 0;")]
    [InlineData("var q = Option<int>.None; return {|KRN003:q.Unwrap()|};")]
    public Task OptionUnwraps(string body) =>
        ExpectAsync("static class C { static int F(Option<int> p, Maybe<Vmar> m, Process proc) { " + body + " } }");

    [Fact]
    public Task AsyncResult() =>
        ExpectAsync("""
            using System.Threading.Tasks;
            static class C
            {
                static Task<int?> ReadAsync() => Task.FromResult<int?>(null);
                static async Task<int> F() { var o = await ReadAsync(); return {|KRN003:o.Value|}; }
            }
            """);

    [Fact]
    public Task TypeMarkedOptionalResource() =>
        ExpectAsync("""
            class OptionalResourceAttribute : System.Attribute { }
            [OptionalResource]
            public struct ProcessVmarGuard
            {
                public bool Alive;
                public Vmar Unwrap() => default;
            }
            static class C { static long F(ProcessVmarGuard g) => {|KRN003:g.Unwrap()|}.Size; }
            """);

    [Fact]
    public Task ForcedLocalFromListenFamily() =>
        ExpectAsync("""
            unsafe struct Pcb { public int State; }
            unsafe static class C
            {
                static extern Pcb* tcp_listen_with_backlog(Pcb* pcb, byte backlog);
                static int F(Pcb* bound)
                {
                    var pcb = tcp_listen_with_backlog(bound, 4);
                    return {|KRN003:pcb!|}->State;
                }
            }
            """);

    [Fact]
    public Task ForcedInferredNullReturn() =>
        ExpectAsync("""
            class Sock { public int Port; }
            static class C
            {
                static Sock[] table = new Sock[4];
                static Sock Lookup(int port)
                {
                    foreach (var s in table) { if (s.Port == port) return s; }
                    return null;
                }
                static int F(int port) => {|KRN003:Lookup(port)!|}.Port;
            }
            """);

    // x.HasValue ? x.Value : d on a local skips the presence analysis; these near misses still report.
    [Fact]
    public Task ConditionalThatChecksAnotherLocal() =>
        ExpectAsync(
            "static class C { static int F(int? a, int? b) => a.HasValue ? {|KRN003:b.Value|} : 0; }");

    [Fact]
    public Task ConditionalThatUnwrapsOnTheAbsentBranch() =>
        ExpectAsync(
            "static class C { static int F(int? a) => a.HasValue ? 0 : {|KRN003:a.Value|}; }");
}
