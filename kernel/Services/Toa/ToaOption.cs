namespace Kernel.Services.Toa
{
    /// <summary>An IPv6 address (network byte order, as two big-endian halves) and a port.</summary>
    public struct Ipv6Endpoint
    {
        public ulong High;
        public ulong Low;
        public ushort Port;

        public Ipv6Endpoint(ulong high, ulong low, ushort port)
        {
            High = high;
            Low = low;
            Port = port;
        }

        /// <summary>::ffff:a.b.c.d, how an IPv4 client shows on an IPv6 socket.</summary>
        public static Ipv6Endpoint MappedV4(uint address, ushort port) => new Ipv6Endpoint(0, 0x0000FFFF00000000UL | address, port);

        public bool SameAs(Ipv6Endpoint other) => High == other.High && Low == other.Low && Port == other.Port;
    }

    /// <summary>The TOA ("TCP option address") option a load balancer (DPVS, LVS FULLNAT) adds to the first
    /// segments of a connection so the real server can learn the original client: kind 254, length 8 for
    /// IPv4 (port, address) or 20 for IPv6 (port, address), all in network byte order. Pure parsing of a TCP
    /// header's option bytes: malformed options are rejected, never read past.</summary>
    public static class ToaOption
    {
        public const byte Kind = 254;
        public const byte LengthV4 = 8;
        public const byte LengthV6 = 20;
        private const byte EndOfOptions = 0;
        private const byte NoOperation = 1;

        /// <summary>Finds a TOA option in options[offset..offset+length).</summary>
        public static bool TryParse(byte[] options, int offset, int length, out Ipv6Endpoint client)
        {
            client = default;
            if (offset < 0 || length < 0 || offset > options.Length || length > options.Length - offset)
            {
                return false;
            }
            int i = offset;
            int end = offset + length;
            while (i < end)
            {
                byte kind = options[i];
                if (kind == EndOfOptions)
                {
                    return false;
                }
                if (kind == NoOperation)
                {
                    i++;
                    continue;
                }
                if (i + 1 >= end)
                {
                    return false;
                }
                int size = options[i + 1];
                if (size < 2 || size > end - i)
                {
                    return false;
                }
                if (kind == Kind)
                {
                    ushort port = (ushort)((options[i + 2] << 8) | options[i + 3]);
                    if (size == LengthV4)
                    {
                        client = Ipv6Endpoint.MappedV4(ReadUInt32(options, i + 4), port);
                        return true;
                    }
                    if (size == LengthV6)
                    {
                        client = new Ipv6Endpoint(ReadUInt64(options, i + 4), ReadUInt64(options, i + 12), port);
                        return true;
                    }
                    return false;
                }
                i += size;
            }
            return false;
        }

        /// <summary>Writes an IPv6 TOA option at options[offset] (20 bytes); returns its length.</summary>
        public static int WriteV6(byte[] options, int offset, Ipv6Endpoint client)
        {
            options[offset] = Kind;
            options[offset + 1] = LengthV6;
            options[offset + 2] = (byte)(client.Port >> 8);
            options[offset + 3] = (byte)client.Port;
            for (int k = 0; k < 8; k++)
            {
                options[offset + 4 + k] = (byte)(client.High >> (56 - 8 * k));
                options[offset + 12 + k] = (byte)(client.Low >> (56 - 8 * k));
            }
            return LengthV6;
        }

        private static uint ReadUInt32(byte[] b, int at) =>
            ((uint)b[at] << 24) | ((uint)b[at + 1] << 16) | ((uint)b[at + 2] << 8) | b[at + 3];

        private static ulong ReadUInt64(byte[] b, int at) => ((ulong)ReadUInt32(b, at) << 32) | ReadUInt32(b, at + 4);
    }
}
