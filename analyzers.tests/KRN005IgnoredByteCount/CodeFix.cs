using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.IgnoredByteCountAnalyzer, Kernel.Analyzers.CodeFixes.IgnoredByteCountFixer>;

namespace Kernel.Analyzers.Tests.KRN005IgnoredByteCount;

/// <summary>KRN005's fixes, before and after, including Fix All.</summary>
public class CodeFix
{
    [Fact]
    public Task DiscardedStreamReadUsesReadExactly() =>
        Verifier.CodeFixAsync(
            """
            class C
            {
                void M(System.IO.Stream s, byte[] buf)
                {
                    {|KRN005:s.Read(buf, 0, buf.Length)|};
                }
            }
            """,
            """
            class C
            {
                void M(System.IO.Stream s, byte[] buf)
                {
                    s.ReadExactly(buf, 0, buf.Length);
                }
            }
            """);

    [Fact]
    public Task DiscardedReadAsyncUsesReadExactlyAsync() =>
        Verifier.CodeFixAsync(
            """
            class C
            {
                async System.Threading.Tasks.Task M(System.IO.Stream s, byte[] buf)
                {
                    await {|KRN005:s.ReadAsync(buf, 0, 16)|};
                }
            }
            """,
            """
            class C
            {
                async System.Threading.Tasks.Task M(System.IO.Stream s, byte[] buf)
                {
                    await s.ReadExactlyAsync(buf, 0, 16);
                }
            }
            """);

    [Fact]
    public Task UnreadCountUsesReadExactly() =>
        Verifier.CodeFixAsync(
            """
            class C
            {
                void M(System.IO.Stream s, byte[] buf)
                {
                    int n = {|KRN005:s.Read(buf, 0, 8)|};
                }
            }
            """,
            """
            class C
            {
                void M(System.IO.Stream s, byte[] buf)
                {
                    s.ReadExactly(buf, 0, 8);
                }
            }
            """);

    [Fact]
    public Task DiscardedRecvBecomesALoop() =>
        Verifier.CodeFixAsync(
            """
            class C
            {
                void M(Sock k, byte[] buf, int len)
                {
                    {|KRN005:k.Recv(buf, 0, len)|};
                }
            }
            """ + Code.Prelude,
            """
            class C
            {
                void M(Sock k, byte[] buf, int len)
                {
                    for (int done = 0; done < len;)
                    {
                        var n = k.Recv(buf, 0 + done, len - done);
                        if (n <= 0)
                        {
                            break;
                        }

                        done += n;
                    }
                }
            }
            """ + Code.Prelude);

    [Fact]
    public Task DiscardedPointerReadBecomesALoop() =>
        Verifier.CodeFixAsync(
            """
            unsafe class C
            {
                void M(Sock k, byte* p, int n)
                {
                    {|KRN005:Net.tcp_read(k, p, n)|};
                }
            }
            """ + Code.Prelude,
            """
            unsafe class C
            {
                void M(Sock k, byte* p, int n)
                {
                    for (int done = 0; done < n;)
                    {
                        var n2 = Net.tcp_read(k, p + done, n - done);
                        if (n2 <= 0)
                        {
                            break;
                        }

                        done += n2;
                    }
                }
            }
            """ + Code.Prelude);

    [Fact]
    public Task DiscardedSendBecomesAWriteLoop() =>
        Verifier.CodeFixAsync(
            """
            class C
            {
                void M(Sock k, byte[] buf)
                {
                    {|KRN005:k.Send(buf, 4, buf.Length - 4)|};
                }
            }
            """ + Code.Prelude,
            """
            class C
            {
                void M(Sock k, byte[] buf)
                {
                    for (int done = 0; done < (buf.Length - 4);)
                    {
                        var n = k.Send(buf, 4 + done, (buf.Length - 4) - done);
                        if (n <= 0)
                        {
                            break;
                        }

                        done += n;
                    }
                }
            }
            """ + Code.Prelude);

    [Fact]
    public Task NoAdvanceFixWhenTheCountIsOutOfScope() =>
        Verifier.CodeFixAsync(
            "class C { void M(Sock k, byte[] b, int chunk) { for (int off = 0; off < b.Length; {|KRN005:off += chunk|}) { int n = k.Recv(b, off, chunk); if (n == 0) break; } } }" + Code.Prelude,
            "class C { void M(Sock k, byte[] b, int chunk) { for (int off = 0; off < b.Length; {|KRN005:off += chunk|}) { int n = k.Recv(b, off, chunk); if (n == 0) break; } } }" + Code.Prelude);

    [Fact]
    public Task WhileLoopAdvancesByReturnedCount() =>
        Verifier.CodeFixAsync(
            "class C { void M(Sock k, byte[] b, int len) { int off = 0; while (off < len) { int n = k.Recv(b, off, len - off); if (n == 0) break; {|KRN005:off += len - off|}; } } }" + Code.Prelude,
            "class C { void M(Sock k, byte[] b, int len) { int off = 0; while (off < len) { int n = k.Recv(b, off, len - off); if (n == 0) break; off += n; } } }" + Code.Prelude);

    [Fact]
    public Task StopOnlyAtEndOfStream() =>
        Verifier.CodeFixAsync(
            "class C { void M(Sock k, byte[] b, int chunk) { int off = 0; while (true) { int n = k.Recv(b, off, chunk); off += n; if ({|KRN005:n < chunk|}) break; } } }" + Code.Prelude,
            "class C { void M(Sock k, byte[] b, int chunk) { int off = 0; while (true) { int n = k.Recv(b, off, chunk); off += n; if (n <= 0) break; } } }" + Code.Prelude);

    [Fact]
    public Task ConsumeOnlyTheReturnedCount() =>
        Verifier.CodeFixAsync(
            "class C { void M(Sock k, byte[] b) { int n = k.Recv(b, 0, b.Length); if (n <= 0) return; Net.Consume({|KRN005:b|}, 0, b.Length); } }" + Code.Prelude,
            "class C { void M(Sock k, byte[] b) { int n = k.Recv(b, 0, b.Length); if (n <= 0) return; Net.Consume(b, 0, n); } }" + Code.Prelude);

    [Fact]
    public Task FixAllInDocument() =>
        Verifier.CodeFixAsync(
            """
            class C
            {
                void M(System.IO.Stream s, byte[] a, byte[] b)
                {
                    {|KRN005:s.Read(a, 0, 4)|};
                    {|KRN005:s.Read(b, 0, 8)|};
                }
            }
            """,
            """
            class C
            {
                void M(System.IO.Stream s, byte[] a, byte[] b)
                {
                    s.ReadExactly(a, 0, 4);
                    s.ReadExactly(b, 0, 8);
                }
            }
            """);
}
