namespace Samples.KRN005;

/// <summary>Seed 001's server with every count honoured: reads until the requested length or the end of the stream.</summary>
public static class ExactReadServerFixed
{
    public const int Chunk = 64 * 1024;

    /// <summary>Reads until the payload is complete; a short payload is an error, not silent data loss.</summary>
    public static byte[] ReceivePayload(TcpConnection conn, int size)
    {
        var payload = new byte[size];
        for (int done = 0; done < size;)
        {
            var n = conn.Recv(payload, 0 + done, size - done);
            if (n <= 0)
            {
                throw new System.IO.EndOfStreamException($"connection closed after {done} of {size} bytes");
            }

            done += n;
        }

        return payload;
    }

    /// <summary>The fill loop advances by what arrived.</summary>
    public static long ReceiveInChunks(TcpConnection conn, byte[] payload)
    {
        long checksum = 0;
        for (int off = 0; off < payload.Length;)
        {
            int n = conn.Recv(payload, off, System.Math.Min(Chunk, payload.Length - off));
            if (n == 0)
            {
                break;
            }

            off += n;
        }

        foreach (var b in payload)
        {
            checksum += b;
        }

        return checksum;
    }

    /// <summary>Forwards exactly what each read delivered.</summary>
    public static void Relay(System.IO.Stream from, System.IO.Stream to)
    {
        var buffer = new byte[Chunk];
        int n;
        while ((n = from.Read(buffer, 0, buffer.Length)) > 0)
        {
            to.Write(buffer, 0, n);
        }
    }

    /// <summary>The stream's own exact read, for streams.</summary>
    public static void ReadHeader(System.IO.Stream from, byte[] header) => from.ReadExactly(header, 0, header.Length);
}
