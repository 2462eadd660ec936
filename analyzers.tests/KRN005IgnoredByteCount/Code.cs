namespace Kernel.Analyzers.Tests.KRN005IgnoredByteCount;

/// <summary>Declarations the KRN005 cases share: a socket with kernel-style reads and writes, a stream, an attribute.</summary>
internal static class Code
{
    public const string Prelude = """

        [System.AttributeUsage(System.AttributeTargets.All)]
        sealed class ReturnsByteCountAttribute : System.Attribute { }

        unsafe class Sock
        {
            public int Recv(byte[] buffer, int offset, int count) => 0;
            public int Send(byte[] buffer, int offset, int count) => 0;
            public int Receive(System.Span<byte> buffer) => 0;
            public int ReadExact(byte[] buffer, int offset, int count) => count;
            public int ReadByte() => 0;
            public long ReadAtLeast(byte[] buffer, int minimum) => minimum;
            [ReturnsByteCount] public int Pull(byte[] into, int len) => 0;
            public System.Threading.Tasks.Task<int> ReceiveAsync(byte[] buffer, int offset, int count) => System.Threading.Tasks.Task.FromResult(0);
        }

        static unsafe class Net
        {
            public static int tcp_read(Sock s, byte* buf, int len) => 0;
            public static int tcp_write(Sock s, byte* buf, int len) => 0;
            public static sbyte tcp_output(Sock s, byte* buf, int len) => 0;
            public static void Consume(byte[] data) { }
            public static void Consume(byte[] data, int offset, int count) { }
            public static void Consume(byte* data, int count) { }
            public static void Log(int n) { }
        }
        """;
}
