using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.IgnoredByteCountAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN005IgnoredByteCount;

/// <summary>Ignored and misused byte counts: exact spans and messages.</summary>
public partial class Diagnostics
{
    private static Task Async(string body) =>
        Verifier.AnalyzerAsync(
            "class C { async System.Threading.Tasks.Task M(System.IO.Stream s, Sock k, byte[] buf, int len) { " + body + " } }" + Code.Prelude);

    private static Task Method(string body) =>
        Verifier.AnalyzerAsync(
            "unsafe class C { void M(System.IO.Stream s, Sock k, byte[] buf, int len, byte* p, int total) { " + body + " } }" + Code.Prelude);

    [Fact]
    public Task SeedShapeExactSizeReadDiscardsTheCount()
    {
        const string source = """
            class Server
            {
                void Handle(System.IO.Stream conn)
                {
                    var payload = new byte[4 * 1024 * 1024];
                    {|#0:conn.Read(payload, 0, payload.Length)|};
                    Net.Consume(payload);
                }
            }
            """;
        return Verifier.AnalyzerAsync(
            source + Code.Prelude,
            Verifier.Diagnostic("KRN005").WithLocation(0).WithMessage(
                "'Read' returns how many bytes it read, and the count is discarded; a short read leaves the rest of the buffer " +
                "unfilled: read until the requested length or the end of the stream"));
    }

    [Fact]
    public Task DiscardedWriteCountMessage() =>
        Verifier.AnalyzerAsync(
            "class C { void M(Sock k, byte[] b) { {|#0:k.Send(b, 0, b.Length)|}; } }" + Code.Prelude,
            Verifier.Diagnostic("KRN005").WithLocation(0).WithMessage(
                "'Send' returns how many bytes it accepted, and the count is discarded; it may accept fewer bytes than requested: " +
                "write the rest until everything is accepted"));

    [Fact]
    public Task UnreadCountMessage() =>
        Verifier.AnalyzerAsync(
            "class C { void M(Sock k, byte[] b) { int got = {|#0:k.Recv(b, 0, 16)|}; Net.Consume(b); } }" + Code.Prelude,
            Verifier.Diagnostic("KRN005").WithLocation(0).WithMessage(
                "'got' holds how many bytes 'Recv' delivered but is never read; use the count or read until the requested length"));

    [Fact]
    public Task BufferUsedAsFullMessage() =>
        Verifier.AnalyzerAsync(
            "class C { void M(Sock k, byte[] b) { int n = {|#1:k.Recv(b, 0, b.Length)|}; if (n <= 0) return; Net.Consume({|#0:b|}); } }" + Code.Prelude,
            Verifier.Diagnostic("KRN005").WithLocation(0).WithLocation(1).WithMessage(
                "'b' is used as if 'Recv' filled it, but its count was only compared to zero; use the returned count"));

    [Fact]
    public Task AdvanceByRequestedMessage() =>
        Verifier.AnalyzerAsync(
            "class C { void M(Sock k, byte[] b, int chunk) { for (int off = 0; off < b.Length; {|#0:off += chunk|}) { int n = k.Recv(b, off, chunk); if (n == 0) break; } } }" + Code.Prelude,
            Verifier.Diagnostic("KRN005").WithLocation(0).WithMessage(
                "'off' advances by the requested length 'chunk' instead of the count 'Recv' returned; a short read leaves a gap"));

    [Fact]
    public Task StopAtShortReadMessage() =>
        Verifier.AnalyzerAsync(
            "class C { void M(Sock k, byte[] b, int chunk) { int off = 0; while (true) { int n = k.Recv(b, off, chunk); off += n; if ({|#0:n < chunk|}) break; } Net.Log(off); } }" + Code.Prelude,
            Verifier.Diagnostic("KRN005").WithLocation(0).WithMessage(
                "The loop stops when 'Recv' delivers fewer bytes than requested; a short read is not the end of the stream (only 0 is): keep reading"));

    [Fact]
    public Task DiscardedStreamRead() => Method("{|KRN005:s.Read(buf, 0, len)|};");

    [Fact]
    public Task DiscardedStreamReadSpan() => Method("{|KRN005:s.Read(new System.Span<byte>(buf))|};");

    [Fact]
    public Task DiscardedAwaitedReadAsync() => Async("await {|KRN005:s.ReadAsync(buf, 0, len)|};");

    [Fact]
    public Task DiscardedAwaitedMemoryReadAsync() => Async("await {|KRN005:s.ReadAsync(new System.Memory<byte>(buf))|};");

    [Fact]
    public Task DiscardedWithDiscardAssignment() => Method("_ = {|KRN005:s.Read(buf, 0, len)|};");

    [Fact]
    public Task DiscardedConditionalAccess() => Method("s?{|KRN005:.Read(buf, 0, len)|};");

    [Fact]
    public Task DiscardedRecv() => Method("{|KRN005:k.Recv(buf, 0, len)|};");

    [Fact]
    public Task DiscardedReceiveSpan() => Method("{|KRN005:k.Receive(buf)|};");

    [Fact]
    public Task DiscardedReceiveAsync() => Async("await {|KRN005:k.ReceiveAsync(buf, 0, len)|};");

    [Fact]
    public Task DiscardedSnakeCaseRead() => Method("{|KRN005:Net.tcp_read(k, p, len)|};");

    [Fact]
    public Task DiscardedSnakeCaseWrite() => Method("{|KRN005:Net.tcp_write(k, p, len)|};");

    [Fact]
    public Task DiscardedAttributedRead() => Method("{|KRN005:k.Pull(buf, len)|};");

    [Fact]
    public Task DiscardedSend() => Method("{|KRN005:k.Send(buf, 0, len)|};");

    [Fact]
    public Task DiscardedInsideLoop() => Method("for (int off = 0; off < len; off += 512) { {|KRN005:s.Read(buf, off, 512)|}; }");

    [Fact]
    public Task DiscardedInLambda() => Method("System.Action a = () => { {|KRN005:s.Read(buf, 0, len)|}; }; a();");

    [Fact]
    public Task DiscardedInLocalFunction() => Method("void Fill() { {|KRN005:s.Read(buf, 0, len)|}; } Fill();");

    [Fact]
    public Task UnreadDeclaredCount() => Method("int n = {|KRN005:s.Read(buf, 0, len)|}; Net.Consume(buf);");

    [Fact]
    public Task UnreadAssignedCount() => Method("int n; n = {|KRN005:s.Read(buf, 0, len)|};");

    [Fact]
    public Task UnreadAwaitedCount() => Async("var n = await {|KRN005:s.ReadAsync(buf, 0, len)|};");

    [Fact]
    public Task UnreadOverwrittenCount() => Method("int n = {|KRN005:s.Read(buf, 0, len)|}; n = 4; Net.Log(n);");

    [Fact]
    public Task ZeroCheckedThenWholeBufferConsumed() => Method("int n = s.Read(buf, 0, buf.Length); if (n == 0) return; Net.Consume({|KRN005:buf|});");

    [Fact]
    public Task ZeroCheckedThenRequestedLengthConsumed() => Method("int n = s.Read(buf, 0, len); if (n <= 0) return; Net.Consume({|KRN005:buf|}, 0, len);");

    [Fact]
    public Task DirectZeroComparisonInLoopCondition() => Method("while (s.Read(buf, 0, buf.Length) > 0) { Net.Consume({|KRN005:buf|}, 0, buf.Length); }");

    [Fact]
    public Task ZeroCheckedPointerReadConsumed() => Method("int n = Net.tcp_read(k, p, len); if (n < 0) return; Net.Consume({|KRN005:p|}, len);");

    [Fact]
    public Task ZeroPatternThenConsumed() => Method("int n = k.Recv(buf, 0, len); if (n is 0) return; Net.Consume({|KRN005:buf|});");

    [Fact]
    public Task AdvanceByRequestedInWhileLoop() =>
        Method("int off = 0; while (off < len) { int n = s.Read(buf, off, len - off); if (n == 0) break; {|KRN005:off += len - off|}; }");

    [Fact]
    public Task AdvanceByRequestedPointer() =>
        Method("for (int off = 0; off < len; {|KRN005:off += 64|}) { int n = Net.tcp_read(k, p + off, 64); if (n <= 0) break; }");

    [Fact]
    public Task StopsAtShortReadWithNotEquals() =>
        Method("int off = 0; while (off < len) { int n = s.Read(buf, off, 512); off += n; if ({|KRN005:n != 512|}) break; }");

    [Fact]
    public Task StopsAtShortReadInDoWhileCondition() =>
        Method("int off = 0; int n; do { n = s.Read(buf, off, 512); off += n; } while ({|KRN005:n == 512|}); Net.Log(off);");

    [Fact]
    public Task StopsAtShortReadComparedToBufferLength() =>
        Method("int total2 = 0; while (true) { int n = s.Read(buf, 0, buf.Length); total2 += n; if ({|KRN005:n < buf.Length|}) break; } Net.Log(total2);");

    [Fact]
    public Task AdvanceByTheChunkOfAMinRequest() =>
        Method("for (int off = 0; off < len; {|KRN005:off += 512|}) { int n = s.Read(buf, off, System.Math.Min(512, len - off)); if (n == 0) break; }");

    [Fact]
    public Task AssignedInLoopConditionComparedToZeroThenWholeBufferWritten() =>
        Method("int n; while ((n = s.Read(buf, 0, buf.Length)) > 0) { s.Write({|KRN005:buf|}, 0, buf.Length); }");
}
