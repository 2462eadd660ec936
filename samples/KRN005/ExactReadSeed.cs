namespace Samples.KRN005;

/// <summary>
/// Seed 001 as the application saw it (Hermit's TCP server benchmark): the server expects exactly N bytes and reads
/// them with calls that may deliver fewer. When the kernel's receive side hands over data in smaller pieces (or ends the
/// stream early), the reader treats a short read as a full buffer and a fixed 54,240 bytes go missing.
/// </summary>
public static class ExactReadServer
{
    public const int Chunk = 64 * 1024;

    /// <summary>One read for the whole payload: the count is thrown away.</summary>
    public static byte[] ReceivePayload(TcpConnection conn, int size)
    {
        var payload = new byte[size];
        conn.Recv(payload, 0, size); // expect: KRN005
        return payload;
    }

    /// <summary>A fill loop that advances by the chunk it asked for, not by what arrived.</summary>
    public static long ReceiveInChunks(TcpConnection conn, byte[] payload)
    {
        long checksum = 0;
        int off = 0;
        while (off < payload.Length)
        {
            int n = conn.Recv(payload, off, System.Math.Min(Chunk, payload.Length - off));
            if (n == 0)
            {
                break;
            }

            off += Chunk; // expect: KRN005
        }

        foreach (var b in payload)
        {
            checksum += b;
        }

        return checksum;
    }

    /// <summary>The count is only tested for end of stream, then the whole buffer is forwarded.</summary>
    public static void Relay(System.IO.Stream from, System.IO.Stream to)
    {
        var buffer = new byte[Chunk];
        int n;
        while ((n = from.Read(buffer, 0, buffer.Length)) > 0)
        {
            to.Write(buffer, 0, buffer.Length); // expect: KRN005
        }
    }
}

/// <summary>A kernel-style connection: Recv and Send return how many bytes they moved, which may be fewer than asked.</summary>
public sealed class TcpConnection
{
    private readonly System.Collections.Generic.Queue<byte> pending = new();

    public bool Closed { get; set; }

    public void Deliver(byte[] segment)
    {
        foreach (var b in segment)
        {
            pending.Enqueue(b);
        }
    }

    public int Recv(byte[] buffer, int offset, int count)
    {
        var n = 0;
        while (n < count && pending.Count > 0)
        {
            buffer[offset + n] = pending.Dequeue();
            n++;
        }

        return n;
    }

    public int Send(byte[] buffer, int offset, int count) => System.Math.Min(count, 1460);
}
