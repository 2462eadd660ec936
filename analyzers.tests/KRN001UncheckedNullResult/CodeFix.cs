using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.UncheckedNullResultAnalyzer, Kernel.Analyzers.CodeFixes.UncheckedNullResultFixer>;

namespace Kernel.Analyzers.Tests.KRN001UncheckedNullResult;

/// <summary>KRN001's fixes, before and after; each run also checks Fix All in document, project and solution.</summary>
public class CodeFix
{
    private const string Lwip = """

        public unsafe struct TcpPcb { public int RefCount; }
        public static unsafe class Lwip
        {
            public static extern TcpPcb* tcp_listen_with_backlog(TcpPcb* pcb, byte backlog);
            public static extern TcpPcb* tcp_listen_with_backlog_and_err(TcpPcb* pcb, byte backlog, sbyte* err);
            public static extern TcpPcb* Accept(int port);
            public static extern TcpPcb* AcceptWithError(int port, out int error);
            public static void tcp_ref(TcpPcb* pcb) => pcb->RefCount++;
        }
        public static class Errno
        {
            public const int EINVAL = 22;
            public static int FromLwip(sbyte err) => err == -8 ? -98 : -12;
        }
        """;

    [Fact]
    public Task SeedUsesTheAndErrVariantAndReturnsTheMappedErrno() => Verifier.CodeFixAsync(
        """
        unsafe class NetSock
        {
            int netsock_listen(TcpPcb* pcb, int backlog)
            {
                TcpPcb* lw = Lwip.tcp_listen_with_backlog(pcb, (byte)backlog);
                Lwip.tcp_ref({|KRN001:lw|});
                return 0;
            }
        }
        """ + Lwip,
        """
        unsafe class NetSock
        {
            int netsock_listen(TcpPcb* pcb, int backlog)
            {
                sbyte err;
                TcpPcb* lw = Lwip.tcp_listen_with_backlog_and_err(pcb, (byte)backlog, &err);
                if (lw == null)
                {
                    return Errno.FromLwip(err);
                }

                Lwip.tcp_ref(lw);
                return 0;
            }
        }
        """ + Lwip,
        codeActionIndex: 0);

    [Fact]
    public Task SeedReturnEarlyUsesTheMethodsExistingErrorCode() => Verifier.CodeFixAsync(
        """
        unsafe class NetSock
        {
            int netsock_listen(TcpPcb* pcb, int backlog)
            {
                if (backlog < 0) return -Errno.EINVAL;
                TcpPcb* lw = Lwip.tcp_listen_with_backlog(pcb, (byte)backlog);
                Lwip.tcp_ref({|KRN001:lw|});
                return 0;
            }
        }
        """ + Lwip,
        """
        unsafe class NetSock
        {
            int netsock_listen(TcpPcb* pcb, int backlog)
            {
                if (backlog < 0) return -Errno.EINVAL;
                TcpPcb* lw = Lwip.tcp_listen_with_backlog(pcb, (byte)backlog);
                if (lw == null)
                {
                    return -Errno.EINVAL;
                }

                Lwip.tcp_ref(lw);
                return 0;
            }
        }
        """ + Lwip,
        codeActionIndex: 1);

    [Fact]
    public Task OutErrorVariantWithWithErrorSuffix() => Verifier.CodeFixAsync(
        """
        unsafe class Server
        {
            int Serve()
            {
                var conn = Lwip.Accept(80);
                conn->RefCount = 1;
                return 0;
            }
        }
        """.Replace("conn->", "{|KRN001:conn|}->") + Lwip,
        """
        unsafe class Server
        {
            int Serve()
            {
                int err;
                var conn = Lwip.AcceptWithError(80, out err);
                if (conn == null)
                {
                    return err;
                }

                conn->RefCount = 1;
                return 0;
            }
        }
        """ + Lwip,
        codeActionIndex: 0);

    [Theory]
    [InlineData("void", "return;")]
    [InlineData("bool", "return false;")]
    [InlineData("TcpPcb*", "return null;")]
    [InlineData("object", "return null;")]
    [InlineData("int", "return -1;")]
    [InlineData("long", "return -1;")]
    [InlineData("nint", "return 0;")]
    [InlineData("System.DateTime", "return default;")]
    public Task ReturnEarlyFollowsTheFailureConvention(string returnType, string exit)
    {
        var tail = returnType == "void" ? "" : " return default;";
        return Verifier.CodeFixAsync(
            $$"""
            unsafe class C
            {
                {{returnType}} M()
                {
                    TcpPcb* p = Lwip.tcp_listen_with_backlog(null, 1);
                    {|KRN001:p|}->RefCount = 1;{{tail}}
                }
            }
            """ + Lwip,
            $$"""
            unsafe class C
            {
                {{returnType}} M()
                {
                    TcpPcb* p = Lwip.tcp_listen_with_backlog(null, 1);
                    if (p == null)
                    {
                        {{exit}}
                    }

                    p->RefCount = 1;{{tail}}
                }
            }
            """ + Lwip,
            codeActionIndex: 1);
    }

    [Fact]
    public Task ReferenceResultGetsAnIsNullCheck() => Verifier.CodeFixAsync(
        """
        class Conn { public void Send() { } public static Conn Accept(int port) => null; }
        class C
        {
            bool M()
            {
                Conn c;
                c = Conn.Accept(1);
                {|KRN001:c|}.Send();
                return true;
            }
        }
        """,
        """
        class Conn { public void Send() { } public static Conn Accept(int port) => null; }
        class C
        {
            bool M()
            {
                Conn c;
                c = Conn.Accept(1);
                if (c is null)
                {
                    return false;
                }

                c.Send();
                return true;
            }
        }
        """);

    [Fact]
    public Task AsyncTaskOfBoolReturnsFalse() => Verifier.CodeFixAsync(
        """
        class Conn { public void Send() { } public static Conn Accept(int port) => null; }
        class C
        {
            async System.Threading.Tasks.Task<bool> M()
            {
                await System.Threading.Tasks.Task.Yield();
                var c = Conn.Accept(1);
                {|KRN001:c|}.Send();
                return true;
            }
        }
        """,
        """
        class Conn { public void Send() { } public static Conn Accept(int port) => null; }
        class C
        {
            async System.Threading.Tasks.Task<bool> M()
            {
                await System.Threading.Tasks.Task.Yield();
                var c = Conn.Accept(1);
                if (c is null)
                {
                    return false;
                }

                c.Send();
                return true;
            }
        }
        """);

    [Fact]
    public Task IteratorYieldsBreak() => Verifier.CodeFixAsync(
        """
        class Conn { public int Id; public static Conn Accept(int port) => null; }
        class C
        {
            System.Collections.Generic.IEnumerable<int> M()
            {
                var c = Conn.Accept(1);
                yield return {|KRN001:c|}.Id;
            }
        }
        """,
        """
        class Conn { public int Id; public static Conn Accept(int port) => null; }
        class C
        {
            System.Collections.Generic.IEnumerable<int> M()
            {
                var c = Conn.Accept(1);
                if (c is null)
                {
                    yield break;
                }

                yield return c.Id;
            }
        }
        """);

    [Fact]
    public Task FixAllFixesEveryResultInTheDocumentOnce() => Verifier.CodeFixAsync(
        """
        unsafe class C
        {
            void A(int flag)
            {
                var p = Lwip.tcp_listen_with_backlog(null, 1);
                if (flag > 0) { {|KRN001:p|}->RefCount = 1; } else { {|KRN001:p|}->RefCount = 2; }
            }

            void B()
            {
                var q = Lwip.tcp_listen_with_backlog(null, 2);
                Lwip.tcp_ref({|KRN001:q|});
            }
        }
        """ + Lwip,
        """
        unsafe class C
        {
            void A(int flag)
            {
                var p = Lwip.tcp_listen_with_backlog(null, 1);
                if (p == null)
                {
                    return;
                }

                if (flag > 0) { p->RefCount = 1; } else { p->RefCount = 2; }
            }

            void B()
            {
                var q = Lwip.tcp_listen_with_backlog(null, 2);
                if (q == null)
                {
                    return;
                }

                Lwip.tcp_ref(q);
            }
        }
        """ + Lwip,
        codeActionIndex: 1);

    [Fact]
    public Task ErrorLocalNameDoesNotCollide() => Verifier.CodeFixAsync(
        """
        unsafe class C
        {
            int M(int err)
            {
                var p = Lwip.tcp_listen_with_backlog(null, (byte)err);
                {|KRN001:p|}->RefCount = 1;
                return 0;
            }
        }
        """ + Lwip,
        """
        unsafe class C
        {
            int M(int err)
            {
                sbyte err2;
                var p = Lwip.tcp_listen_with_backlog_and_err(null, (byte)err, &err2);
                if (p == null)
                {
                    return Errno.FromLwip(err2);
                }

                p->RefCount = 1;
                return 0;
            }
        }
        """ + Lwip,
        codeActionIndex: 0);
}
