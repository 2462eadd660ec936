using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.UncheckedNullResultAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN001UncheckedNullResult;

/// <summary>Dereferences of may-be-null results: exact spans, messages and additional locations.</summary>
public class Diagnostics
{
    private static Task Method(string body) =>
        Verifier.AnalyzerAsync("unsafe class C { void M(Pcb* bound, int port) { " + body + " } }" + Code.Prelude);

    [Fact]
    public Task SeedShapeListenResultPassedToDereferencingCallee()
    {
        const string source = """
            unsafe class NetSock
            {
                int netsock_listen(Pcb* bound, int backlog)
                {
                    Pcb* lw = {|#1:Net.tcp_listen_with_backlog(bound, (byte)backlog)|};
                    Net.Touch({|#0:lw|});
                    return 0;
                }
            }
            """;
        return Verifier.AnalyzerAsync(
            source + Code.Prelude,
            Verifier.Diagnostic("KRN001").WithLocation(0).WithLocation(1).WithMessage(
                "'lw' may be null: 'tcp_listen_with_backlog' returns null on failure (e.g. address in use); " +
                "check it before passing it to 'Touch', which dereferences it"));
    }

    [Fact]
    public Task ArrowDereferenceHasExactMessageAndCallLocation()
    {
        const string source = """
            unsafe class C
            {
                void M()
                {
                    Pcb* pcb = {|#1:Net.ListenWithBacklog(80, 4)|};
                    {|#0:pcb|}->State = 1;
                }
            }
            """;
        return Verifier.AnalyzerAsync(
            source + Code.Prelude,
            Verifier.Diagnostic("KRN001").WithLocation(0).WithLocation(1).WithMessage(
                "'pcb' may be null: 'ListenWithBacklog' returns null on failure (e.g. address in use); check it before use"));
    }

    [Fact]
    public Task AnnotatedSourceMessage()
    {
        const string source = """
            unsafe class C
            {
                void M()
                {
                    var p = {|#1:Net.Lookup(3)|};
                    {|#0:p|}->State = 1;
                }
            }
            """;
        return Verifier.AnalyzerAsync(
            source + Code.Prelude,
            Verifier.Diagnostic("KRN001").WithLocation(0).WithLocation(1).WithMessage(
                "'p' may be null: 'Lookup' is declared to return null on failure; check it before use"));
    }

    [Fact]
    public Task InferredSourceMessage()
    {
        const string source = """
            unsafe class C
            {
                void M(Pcb* list)
                {
                    var p = {|#1:Net.Find(list, 2)|};
                    {|#0:p|}->State = 1;
                }
            }
            """;
        return Verifier.AnalyzerAsync(
            source + Code.Prelude,
            Verifier.Diagnostic("KRN001").WithLocation(0).WithLocation(1).WithMessage(
                "'p' may be null: 'Find' returns null on some path; check it before use"));
    }

    /// <summary>Returned expressions that may be null through a branch are inferred sources (no shortcut hides them).</summary>
    [Theory]
    [InlineData("static string Pick(bool c) => c ? null : \"x\";")]
    [InlineData("static string Pick(bool c) => c ? \"x\" : (string)null;")]
    [InlineData("static string Pick(bool c) => c switch { true => \"x\", _ => null };")]
    [InlineData("static string Pick(bool c) => Other() ?? Inner(c);")]
    [InlineData("static string Pick(bool c) => Other() ?? (c ? null : \"y\");")]
    [InlineData("static string Pick(bool c) { if (c) return \"x\"; return null; }")]
    [InlineData("static string Pick(bool c) { string s = c ? \"x\" : null; return s; }")]
    [InlineData("static string Pick(bool c) => Inner(c);")]
    [InlineData("static string Pick(bool c) => new[] { \"x\" }.Length > 0 ? Inner(c) : \"y\";")]
    public Task ReturnedValueThatMayBeNullIsAnInferredSource(string pick) =>
        Verifier.AnalyzerAsync(
            "class C { " + pick + " static string Other() => \"o\"; static string Inner(bool c) => c ? null : \"i\"; int M() => {|KRN001:Pick(true)|}.Length; }");

    /// <summary>A zero returned as a pointer or native integer is a null return, however it is written.</summary>
    [Theory]
    [InlineData("static int* Pick(bool c) => (int*)0;")]
    [InlineData("static int* Pick(bool c) { if (c) return (int*)0; return (int*)8; }")]
    [InlineData("static int* Pick(bool c) => c ? (int*)0 : (int*)8;")]
    [InlineData("static int* Pick(bool c) => (int*)Raw(c);")]
    [InlineData("static int* Pick(bool c) => (int*)System.IntPtr.Zero;")]
    public Task ReturnedZeroPointerIsAnInferredSource(string pick) =>
        Verifier.AnalyzerAsync(
            "unsafe class C { " + pick + " static nint Raw(bool c) { if (c) return 0; return 8; } void M() { var p = Pick(true); {|KRN001:*p|} = 1; } }");

    [Theory]
    [InlineData("var p = Net.tcp_listen_with_backlog(bound, 1); {|KRN001:p|}->State = 1;")]
    [InlineData("var p = Net.ListenWithBacklog(port, 1); {|KRN001:p|}->State = 1;")]
    [InlineData("var p = Net.Accept(bound); {|KRN001:p|}->State = 1;")]
    [InlineData("var p = (Pcb*)Net.UdpListenV4(port); {|KRN001:p|}->State = 1;")]
    [InlineData("var c = Net.AcceptConn(port); {|KRN001:c|}.Send(null);")]
    [InlineData("var p = Net.Lookup(port); {|KRN001:p|}->State = 1;")]
    [InlineData("var c = Net.Open(port); {|KRN001:c|}.Flags = 1;")]
    [InlineData("var p = Net.Find(bound, 1); {|KRN001:p|}->State = 1;")]
    [InlineData("var p = Net.FindOrFail(bound, 1); {|KRN001:p|}->State = 1;")]
    public Task EachSourceKind(string body) => Method(body);

    [Theory]
    [InlineData("var p = Net.Accept(bound); {|KRN001:p|}->State = 1;")]
    [InlineData("var p = Net.Accept(bound); {|KRN001:*p|} = default;")]
    [InlineData("var p = Net.Accept(bound); var s = ({|KRN001:*p|}).State;")]
    [InlineData("var p = Net.Accept(bound); var s = {|KRN001:p|}[0].State;")]
    [InlineData("var p = Net.Accept(bound); ref Pcb r = ref {|KRN001:*p|};")]
    [InlineData("var p = Net.Accept(bound); byte* n = {|KRN001:p|}->Name;")]
    [InlineData("var c = Net.AcceptConn(port); var f = {|KRN001:c|}.Flags;")]
    [InlineData("var c = Net.AcceptConn(port); {|KRN001:c|}.Send(null);")]
    [InlineData("var c = Net.AcceptConn(port); fixed (int* f = &{|KRN001:c|}.Flags) { }")]
    [InlineData("var c = Net.AcceptConn(port); var peer = {|KRN001:c|}.Peer;")]
    [InlineData("var p = Net.Accept(bound); Net.Touch({|KRN001:p|});")]
    [InlineData("var p = Net.Accept(bound); Net.Forward({|KRN001:p|});")]
    [InlineData("{|KRN001:Net.Accept(bound)|}->State = 1;")]
    [InlineData("Net.Touch({|KRN001:Net.Accept(bound)|});")]
    public Task EachSinkKind(string body) => Method(body);

    [Theory]
    [InlineData("var c = Net.AcceptConn(port); c?.Send(null); {|KRN001:c|}.Send(null);")]
    [InlineData("var p = Net.Accept(bound); if (port > 0) { if (p == null) return; } {|KRN001:p|}->State = 1;")]
    [InlineData("var p = Net.Accept(bound); if (p == null) { {|KRN001:p|}->State = 1; }")]
    [InlineData("var p = Net.Accept(bound); if (p != null) { p->State = 1; } {|KRN001:p|}->State = 2;")]
    [InlineData("var p = Net.Accept(bound); var q = p; {|KRN001:q|}->State = 1;")]
    [InlineData("var p = Net.Accept(bound); if (p == null) return; p->State = 1; p = Net.Accept(bound); {|KRN001:p|}->State = 2;")]
    [InlineData("var p = Net.Accept(bound); if (p != null || port > 0) {|KRN001:p|}->State = 1;")]
    [InlineData("var p = Net.Accept(bound); var s = port > 0 ? {|KRN001:p|}->State : 0;")]
    public Task PathSensitivity(string body) => Method(body);

    /// <summary>The guards that prove presence on one outcome only leave the other outcome unchecked.</summary>
    [Theory]
    [InlineData("var c = Net.AcceptConn(port); if (c?.Flags > 0) return; {|KRN001:c|}.Send(null);")]
    [InlineData("var c = Net.AcceptConn(port); if (c?.Flags != 1) {|KRN001:c|}.Send(null);")]
    [InlineData("var c = Net.AcceptConn(port); if (c?.Flags == null) {|KRN001:c|}.Send(null);")]
    [InlineData("var c = Net.AcceptConn(port); if (c?.Flags is not 1) {|KRN001:c|}.Send(null);")]
    [InlineData("var c = Net.AcceptConn(port); if (c is null or { Flags: 0 }) {|KRN001:c|}.Send(null);")]
    [InlineData("var c = Net.AcceptConn(port); if (c is Conn) return; {|KRN001:c|}.Send(null);")]
    [InlineData("var c = Net.AcceptConn(port); if (ReferenceEquals(c, null)) {|KRN001:c|}.Send(null);")]
    [InlineData("var p = Net.Accept(bound); if ((ulong)p != 0) return; {|KRN001:p|}->State = 1;")]
    [InlineData("var p = Net.Accept(bound); if ((ulong)p == 1) return; {|KRN001:p|}->State = 1;")]
    public Task OneSidedGuards(string body) => Method(body);

    [Theory]
    [InlineData("if (Helpers.Sometimes(p)) {|KRN001:p|}->State = 1;")]
    [InlineData("if (!Helpers.Log(p != null)) return; {|KRN001:p|}->State = 1;")]
    public Task BoolHelpersThatProveNothingDoNotCount(string body) => Verifier.AnalyzerAsync(
        "unsafe class C { void M() { Pcb* p = Net.Accept(null); " + body + " } }" + """

        public static unsafe class Helpers
        {
            public static bool Sometimes(Pcb* p) => p == null || p->State > 0;
            public static bool Log(bool condition) { System.Console.WriteLine(condition); return true; }
        }
        """ + Code.Prelude);

    [Fact]
    public Task OneDiagnosticPerPathNotPerUse() => Method(
        "var p = Net.Accept(bound); {|KRN001:p|}->State = 1; p->State = 2; Net.Touch(p);");

    [Theory]
    [InlineData("for (var i = 0; i < port; i++) { var p = Net.Accept(bound); {|KRN001:p|}->State = i; }")]
    [InlineData("Pcb* p = null; while (port-- > 0) { p = Net.Accept(bound); } if (p != null) p->State = 1; var q = Net.Accept(bound); {|KRN001:q|}->State = 1;")]
    [InlineData("var p = Net.Accept(bound); try { {|KRN001:p|}->State = 1; } finally { port = 0; }")]
    [InlineData("var p = Net.Accept(bound); try { port = 1; } finally { {|KRN001:p|}->State = 1; }")]
    [InlineData("var p = Net.Accept(bound); try { port = 1; } catch (System.Exception) { {|KRN001:p|}->State = 1; }")]
    [InlineData("var p = Net.Accept(bound); switch (port) { case 1: if (p == null) return; break; default: {|KRN001:p|}->State = 1; break; }")]
    [InlineData("var p = Net.Accept(bound); using (var d = new System.IO.MemoryStream()) { {|KRN001:p|}->State = 1; }")]
    public Task LoopsTrySwitch(string body) => Method(body);

    [Fact]
    public Task LocalFunction() => Method(
        "void Local() { var p = Net.Accept(null); {|KRN001:p|}->State = 1; } Local();");

    [Fact]
    public Task Lambda() => Verifier.AnalyzerAsync(
        "class C { System.Action M() => () => { var c = Net.AcceptConn(1); {|KRN001:c|}.Send(null); }; }" + Code.Prelude);

    [Fact]
    public Task AsyncMethod() => Verifier.AnalyzerAsync(
        "class C { async System.Threading.Tasks.Task M() { var c = Net.AcceptConn(1); await System.Threading.Tasks.Task.Yield(); {|KRN001:c|}.Send(null); } }" + Code.Prelude);

    [Fact]
    public Task GenericContainingType() => Verifier.AnalyzerAsync(
        "unsafe class C<T> { T value; void M() { var p = Net.Accept(null); {|KRN001:p|}->State = value.GetHashCode(); } }" + Code.Prelude);

    [Fact]
    public Task ConstrainedTypeParameterReturnIsListenFamily() => Verifier.AnalyzerAsync("""
        class Pool<T> where T : class { public T Accept() => null; }
        class C { void M(Pool<string> pool) { var s = pool.Accept(); _ = {|KRN001:s|}.Length; } }
        """);

    [Fact]
    public Task FieldOfThisHoldingResult() => Verifier.AnalyzerAsync(
        "unsafe class C { Pcb* listener; void M() { listener = Net.Accept(null); {|KRN001:listener|}->State = 1; } }" + Code.Prelude);

    [Fact]
    public Task MultiLineDereferenceStartsAtTheReceiver() => Verifier.AnalyzerAsync("""
        unsafe class C
        {
            void M()
            {
                var p = Net.Accept(null);
                var s =
                    {|KRN001:p|}
                        ->State;
            }
        }
        """ + Code.Prelude);

    [Fact]
    public Task ConfiguredNullReturningMethod() => Verifier.AnalyzerAsync(
        "unsafe class C { void M() { var p = Net.Create(1); {|KRN001:p|}->State = 1; } }" + Code.Prelude,
        "dotnet_code_quality.KRN001.null_returning_methods = Net.Create");

    [Theory]
    [InlineData("Create")]
    [InlineData("Net.Create")]
    [InlineData("M:Net.Create(System.Int32)")]
    [InlineData("M:Net.Create")]
    [InlineData("Net.Cre*")]
    [InlineData("Other.Thing|Net.Create")]
    public Task ConfiguredNameForms(string names) => Verifier.AnalyzerAsync(
        "unsafe class C { void M() { var p = Net.Create(1); {|KRN001:p|}->State = 1; } }" + Code.Prelude,
        "dotnet_code_quality.KRN001.null_returning_methods = " + names);

    [Fact]
    public Task MayReturnNullOverridesNullableAnnotation() => Verifier.AnalyzerAsync("""
        #nullable enable
        class MayReturnNullAttribute : System.Attribute { }
        class Server { [MayReturnNull] public static Server? Listen(int port) => null; public void Run() { } }
        class C { void M() { var s = Server.Listen(1); {|KRN001:s|}.Run(); } }
        """);

    [Theory]
    [InlineData("tcp_listen_with_backlog")]
    [InlineData("ListenWithBacklog")]
    [InlineData("UdpListenV4")]
    [InlineData("do_accept4")]
    [InlineData("SOCK_ACCEPT")]
    [InlineData("listen")]
    [InlineData("HTTPListen")]
    public Task ListenFamilyNameForms(string name) => Verifier.AnalyzerAsync(
        $"unsafe class C {{ static extern Pcb* {name}(); void M() {{ var p = {name}(); {{|KRN001:p|}}->State = 1; }} }}" + Code.Prelude);

    [Theory]
    [InlineData("FindListeners")]
    [InlineData("NewListener")]
    [InlineData("Acceptance")]
    [InlineData("WasAccepted")]
    [InlineData("Listener")]
    public Task OtherWordsAreNotTheListenFamily(string name) => Verifier.AnalyzerAsync(
        $"unsafe class C {{ static extern Pcb* {name}(); void M() {{ var p = {name}(); p->State = 1; }} }}" + Code.Prelude);

    // The idioms that skip the flow analysis, at their edges: each of these still reports.
    [Fact]
    public Task UseInTheNullBranchOfAnImmediateCheck() => Method("""
        Pcb* pcb = Net.ListenWithBacklog(port, 4);
        if (pcb == null)
        {
            {|KRN001:pcb|}->State = 0;
            return;
        }

        pcb->State = 1;
        """);

    [Fact]
    public Task ImmediateCheckThatDoesNotLeave() => Method("""
        var pcb = Net.ListenWithBacklog(port, 4);
        if (pcb == null)
        {
            port = 0;
        }

        {|KRN001:pcb|}->State = 1;
        """);

    [Fact]
    public Task ImmediateCheckThatJumpsForward() => Method("""
        var pcb = Net.ListenWithBacklog(port, 4);
        if (pcb == null) goto done;
        pcb->State = 1;
        done:
        {|KRN001:pcb|}->State = 2;
        """);

    [Fact]
    public Task OverwrittenAfterTheImmediateCheck() => Method("""
        var pcb = Net.ListenWithBacklog(port, 4);
        if (pcb is null) return;
        pcb = Net.Accept(pcb);
        {|KRN001:pcb|}->State = 1;
        """);

    [Fact]
    public Task UseAfterTheAcceptLoopEnds() => Method("""
        Pcb* conn;
        while ((conn = Net.Accept(bound)) != null)
        {
            conn->State = 1;
        }

        {|KRN001:conn|}->State = 2;
        """);
}
