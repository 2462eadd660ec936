using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.IgnoredByteCountAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN005IgnoredByteCount;

/// <summary>Code that handles its byte counts: the rule stays silent.</summary>
public partial class Valid
{
    private static Task Async(string body) =>
        Verifier.AnalyzerAsync(
            "class C { async System.Threading.Tasks.Task M(System.IO.Stream s, Sock k, byte[] buf, int len) { " + body + " } }" + Code.Prelude);

    private static Task Method(string body, string? editorConfig = null) =>
        Verifier.AnalyzerAsync(
            "unsafe class C { void M(System.IO.Stream s, Sock k, byte[] buf, int len, byte* p, int total) { " + body + " } }" + Code.Prelude,
            editorConfig);

    [Fact]
    public Task ReadExactly() => Method("s.ReadExactly(buf, 0, len);");

    [Fact]
    public Task ReadExactlyAsync() => Async("await s.ReadExactlyAsync(buf, 0, len);");

    [Fact]
    public Task ReadAtLeast() => Method("s.ReadAtLeast(buf, len);");

    [Fact]
    public Task OwnReadExactHelper() => Method("k.ReadExact(buf, 0, len);");

    [Fact]
    public Task OwnReadAtLeastHelper() => Method("k.ReadAtLeast(buf, len);");

    [Fact]
    public Task StreamWriteReturnsNothing() => Method("s.Write(buf, 0, len);");

    [Fact]
    public Task ReadByteIsNotABufferRead() => Method("s.ReadByte(); k.ReadByte();");

    [Fact]
    public Task ErrorCodeWriteIsNotACount() => Method("Net.tcp_output(k, p, len);");

    [Fact]
    public Task AccumulatingLoop() =>
        Method("int off = 0; while (off < len) { int n = s.Read(buf, off, len - off); if (n == 0) break; off += n; }");

    [Fact]
    public Task AccumulatingForLoop() =>
        Method("for (int off = 0, n; off < len; off += n) { n = s.Read(buf, off, len - off); if (n <= 0) break; }");

    [Fact]
    public Task CopyLoopUsesCount() =>
        Method("int n; while ((n = s.Read(buf, 0, buf.Length)) > 0) { Net.Consume(buf, 0, n); }");

    [Fact]
    public Task CountCheckedAgainstRequestedSize() =>
        Method("int n = s.Read(buf, 0, 16); if (n != 16) throw new System.IO.EndOfStreamException(); Net.Consume(buf);");

    [Fact]
    public Task CountReturned() => Method("int n = k.Recv(buf, 0, len); Net.Log(n);");

    [Fact]
    public Task CountPassedOn() => Method("Net.Log(k.Recv(buf, 0, len));");

    [Fact]
    public Task CountAccumulatedDirectly() => Method("total += k.Recv(buf, 0, len); Net.Log(total);");

    [Fact]
    public Task ZeroCheckThenUseCount() => Method("int n = s.Read(buf, 0, len); if (n == 0) return; Net.Consume(buf, 0, n);");

    [Fact]
    public Task ZeroCheckOnlyWithoutConsumingTheBuffer() => Method("int n = s.Read(buf, 0, len); if (n == 0) return; Net.Log(1);");

    [Fact]
    public Task SingleByteReadIsFullWhenPositive() => Method("while (s.Read(buf, 0, 1) > 0) { Net.Consume(buf); }");

    [Fact]
    public Task CountUsedInLambda() => Method("int n = s.Read(buf, 0, len); System.Action a = () => Net.Log(n); a();");

    [Fact]
    public Task CountUsedAfterLoop() => Method("int n = 0; for (int i = 0; i < 2; i++) { n = s.Read(buf, 0, len); } Net.Log(n);");

    [Fact]
    public Task SendCountAccumulated() =>
        Method("int sent = 0; while (sent < len) { int n = k.Send(buf, sent, len - sent); if (n <= 0) break; sent += n; }");

    [Fact]
    public Task WritesCanBeTurnedOff() => Method("k.Send(buf, 0, len);", "dotnet_code_quality.KRN005.check_writes = false");

    [Fact]
    public Task BufferRefilledBeforeConsume() =>
        Method("int n = s.Read(buf, 0, len); if (n == 0) return; int m = s.Read(buf, 0, len); Net.Consume(buf, 0, m);");

    [Fact]
    public Task BufferReassignedBeforeConsume() =>
        Method("int n = s.Read(buf, 0, len); if (n == 0) return; buf = new byte[4]; Net.Consume(buf);");

    [Fact]
    public Task StopAtZeroIsEndOfStream() =>
        Method("int off = 0; while (true) { int n = s.Read(buf, off, len - off); if (n == 0) break; off += n; }");

    [Fact]
    public Task ShortCountCheckedThrows() =>
        Method("while (true) { int n = s.Read(buf, 0, 64); if (n < 64) throw new System.IO.EndOfStreamException(); Net.Consume(buf); }");

    [Fact]
    public Task ReadMethodsWithoutBuffersAreNotCounts() =>
        Method("long v = System.Threading.Interlocked.Read(ref total2); System.Console.Read(); long total2 = 0;".Replace("long total2 = 0;", string.Empty).Replace("ref total2", "ref t2").Insert(0, "long t2 = 0; "));

    [Fact]
    public Task MemoryMarshalReadIsAValue() => Method("int v = System.Runtime.InteropServices.MemoryMarshal.Read<int>(buf); Net.Log(v);");

    [Fact]
    public Task PointerWithoutLengthIsARegister() =>
        Verifier.AnalyzerAsync("unsafe class C { static uint Read(uint* reg) => *reg; void M(uint* r) { Read(r); } }");
}
