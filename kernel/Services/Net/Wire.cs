namespace Kernel.Services.Net
{
    /// <summary>Big-endian field access and the Internet checksum (RFC 1071) over byte arrays. Every read
    /// is bounds-checked by the caller against the frame length, never against the array size.</summary>
    public static class Wire
    {
        public static ushort U16(byte[] b, int o) => (ushort)((b[o] << 8) | b[o + 1]);

        public static uint U32(byte[] b, int o) => ((uint)b[o] << 24) | ((uint)b[o + 1] << 16) | ((uint)b[o + 2] << 8) | b[o + 3];

        public static void Put16(byte[] b, int o, int v)
        {
            b[o] = (byte)(v >> 8);
            b[o + 1] = (byte)v;
        }

        public static void Put32(byte[] b, int o, uint v)
        {
            b[o] = (byte)(v >> 24);
            b[o + 1] = (byte)(v >> 16);
            b[o + 2] = (byte)(v >> 8);
            b[o + 3] = (byte)v;
        }

        /// <summary>Copies n bytes (memmove; nothing for n &lt;= 0). The BCL's Buffer.BlockCopy on the host, the
        /// kernel corelib's (bounds-checked, then a word-wise move) in the kernel.</summary>
        public static void Copy(byte[] src, int so, byte[] dst, int d, int n)
        {
            if (n > 0)
            {
                System.Buffer.BlockCopy(src, so, dst, d, n);
            }
        }

        public static void Fill(byte[] dst, int d, int n, byte v)
        {
            for (int i = 0; i < n; i++)
            {
                dst[d + i] = v;
            }
        }

        /// <summary>Adds 16-bit big-endian words of b[o..o+n) to a running one's-complement sum (an odd last byte is
        /// the high half of a word). Sums 32-bit words into 64 bits, which is the same sum modulo 0xFFFF (RFC 1071
        /// 2.(B)), and returns it folded to at most 17 bits, so callers may add and fold as before.</summary>
        public static uint SumWords(uint sum, byte[] b, int o, int n)
        {
            ulong acc = sum;
            int i = 0;
            for (; i + 7 < n; i += 8)
            {
                int p = o + i;
                acc += ((uint)b[p] << 24) | ((uint)b[p + 1] << 16) | ((uint)b[p + 2] << 8) | b[p + 3];
                acc += ((uint)b[p + 4] << 24) | ((uint)b[p + 5] << 16) | ((uint)b[p + 6] << 8) | b[p + 7];
            }
            for (; i + 1 < n; i += 2)
            {
                acc += (uint)((b[o + i] << 8) | b[o + i + 1]);
            }
            if (i < n)
            {
                acc += (uint)(b[o + i] << 8);
            }
            acc = (acc & 0xFFFFFFFF) + (acc >> 32); // at most 33 bits
            acc = (acc & 0xFFFF) + ((acc >> 16) & 0xFFFF) + (acc >> 32); // at most 18 bits
            acc = (acc & 0xFFFF) + (acc >> 16); // at most 17 bits
            return (uint)acc;
        }

        public static ushort Fold(uint sum)
        {
            while ((sum >> 16) != 0)
            {
                sum = (sum & 0xFFFF) + (sum >> 16);
            }
            return (ushort)~sum;
        }

        public static ushort Checksum(byte[] b, int o, int n) => Fold(SumWords(0, b, o, n));

        /// <summary>The TCP/UDP pseudo-header sum (RFC 9293 3.1, RFC 768).</summary>
        public static uint PseudoHeader(uint src, uint dst, int protocol, int length)
        {
            uint s = (src >> 16) + (src & 0xFFFF) + (dst >> 16) + (dst & 0xFFFF);
            return s + (uint)protocol + (uint)length;
        }

        public static string IpToString(uint ip) =>
            (ip >> 24).ToString() + "." + ((ip >> 16) & 255).ToString() + "." + ((ip >> 8) & 255).ToString() + "." + (ip & 255).ToString();

        public static uint Ip(int a, int b, int c, int d) => ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | (uint)d;

        /// <summary>Sequence-number comparisons modulo 2^32 (RFC 9293 3.4).</summary>
        public static bool SeqLt(uint a, uint b) => (int)(a - b) < 0;

        public static bool SeqLe(uint a, uint b) => (int)(a - b) <= 0;

        public static bool SeqGt(uint a, uint b) => (int)(a - b) > 0;

        public static bool SeqGe(uint a, uint b) => (int)(a - b) >= 0;

        public static int Min(int a, int b) => a < b ? a : b;

        public static int Max(int a, int b) => a > b ? a : b;

        public static long MinL(long a, long b) => a < b ? a : b;

        public static long MaxL(long a, long b) => a > b ? a : b;
    }

    /// <summary>A MAC address as a 48-bit value in a ulong (0 = unknown).</summary>
    public static class Mac
    {
        public const ulong Broadcast = 0xFFFFFFFFFFFFUL;

        public static ulong Read(byte[] b, int o)
        {
            ulong v = 0;
            for (int i = 0; i < 6; i++)
            {
                v = (v << 8) | b[o + i];
            }
            return v;
        }

        public static void Write(byte[] b, int o, ulong mac)
        {
            for (int i = 5; i >= 0; i--)
            {
                b[o + i] = (byte)mac;
                mac >>= 8;
            }
        }
    }

    /// <summary>The link a stack transmits on: the NIC driver in the kernel, an in-memory link in host tests.
    /// <c>Transmit</c> copies the frame before it returns (the stack reuses its buffer).</summary>
    public interface INetDevice
    {
        /// <summary>Queues one Ethernet frame (without FCS); false when the device had no room (the frame is lost,
        /// as on a real link).</summary>
        bool Transmit(byte[] frame, int length);
    }

    /// <summary>A byte ring of constant capacity (no allocation after construction).</summary>
    public sealed class ByteRing
    {
        private readonly byte[] _buf;
        private int _head;
        private int _count;

        public ByteRing(int capacity)
        {
            _buf = new byte[capacity];
        }

        public int Capacity => _buf.Length;

        public int Count => _count;

        public int Free => _buf.Length - _count;

        public void Clear()
        {
            _head = 0;
            _count = 0;
        }

        /// <summary>Appends up to n bytes, returns how many it took.</summary>
        public int Append(byte[] src, int o, int n)
        {
            int take = n < Free ? n : Free;
            if (take <= 0)
            {
                return 0;
            }
            WriteAt(_count, src, o, take);
            _count += take;
            return take;
        }

        /// <summary>Writes n bytes at logical offset off (from the head), which may lie beyond Count (out-of-order data);
        /// off + n must not exceed Capacity. At most two block copies (before and after the wrap).</summary>
        public void WriteAt(int off, byte[] src, int o, int n)
        {
            int cap = _buf.Length;
            int p = _head + off;
            if (p >= cap)
            {
                p -= cap;
            }
            int first = cap - p < n ? cap - p : n;
            Wire.Copy(src, o, _buf, p, first);
            Wire.Copy(src, o + first, _buf, 0, n - first);
        }

        /// <summary>Marks n bytes written beyond Count by WriteAt as present.</summary>
        public void Commit(int n) => _count += n;

        /// <summary>Copies n bytes starting at logical offset off into dst (at most two block copies).</summary>
        public void Peek(int off, byte[] dst, int d, int n)
        {
            int cap = _buf.Length;
            int p = _head + off;
            if (p >= cap)
            {
                p -= cap;
            }
            int first = cap - p < n ? cap - p : n;
            Wire.Copy(_buf, p, dst, d, first);
            Wire.Copy(_buf, 0, dst, d + first, n - first);
        }

        public void Drop(int n)
        {
            if (n > _count)
            {
                n = _count;
            }
            _head += n;
            if (_head >= _buf.Length)
            {
                _head -= _buf.Length;
            }
            _count -= n;
        }
    }
}
