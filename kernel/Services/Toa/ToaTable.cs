using Kernel.Services.Memory;

namespace Kernel.Services.Toa
{
    /// <summary>The TOA module's IPv6 socket table: socket id -> original client endpoint, a chained hash over
    /// preallocated arrays handed in by the module (which allocated and checked them). Pure and unsynchronized: the
    /// module holds its spin lock around every call.</summary>
    public struct ToaTable
    {
        private const int None = -1;

        private readonly int[] _buckets;
        private readonly int[] _next;      // bucket chain, or the free list
        private readonly ulong[] _socket;  // 0: free slot
        private readonly ulong[] _high;
        private readonly ulong[] _low;
        private readonly int[] _port;
        private int _free;
        private int _count;

        /// <summary>Every array must be non-empty; next, socket, high, low and port of equal length.</summary>
        public ToaTable(int[] buckets, int[] next, ulong[] socket, ulong[] high, ulong[] low, int[] port)
        {
            _buckets = buckets;
            _next = next;
            _socket = socket;
            _high = high;
            _low = low;
            _port = port;
            _free = None;
            _count = 0;
            Clear();
        }

        public int Count => _count;

        public int Capacity => _next.Length;

        /// <summary>Empties the table.</summary>
        public void Clear()
        {
            for (int b = 0; b < _buckets.Length; b++)
            {
                _buckets[b] = None;
            }
            for (int i = 0; i < _next.Length; i++)
            {
                _socket[i] = 0;
                _next[i] = i + 1 < _next.Length ? i + 1 : None;
            }
            _free = _next.Length > 0 ? 0 : None;
            _count = 0;
        }

        /// <summary>Records (or replaces) the client of a socket: 0, -EINVAL (socket id 0), -ENOSPC (full).</summary>
        public int Record(ulong socket, Ipv6Endpoint client)
        {
            if (socket == 0)
            {
                return -Errno.EINVAL;
            }
            int slot = Find(socket, out int _);
            if (slot == None)
            {
                slot = _free;
                if (slot == None)
                {
                    return -Errno.ENOSPC;
                }
                _free = _next[slot];
                int bucket = BucketOf(socket);
                _next[slot] = _buckets[bucket];
                _buckets[bucket] = slot;
                _socket[slot] = socket;
                _count++;
            }
            _high[slot] = client.High;
            _low[slot] = client.Low;
            _port[slot] = client.Port;
            return 0;
        }

        public bool TryGet(ulong socket, out Ipv6Endpoint client)
        {
            client = default;
            int slot = Find(socket, out int _);
            if (slot == None)
            {
                return false;
            }
            client = new Ipv6Endpoint(_high[slot], _low[slot], (ushort)_port[slot]);
            return true;
        }

        public bool Remove(ulong socket)
        {
            int slot = Find(socket, out int previous);
            if (slot == None)
            {
                return false;
            }
            if (previous == None)
            {
                _buckets[BucketOf(socket)] = _next[slot];
            }
            else
            {
                _next[previous] = _next[slot];
            }
            _socket[slot] = 0;
            _next[slot] = _free;
            _free = slot;
            _count--;
            return true;
        }

        /// <summary>Hands every array to <paramref name="sink"/>; the table must not be used afterwards.</summary>
        public void ReturnStorage(IStorageSink sink)
        {
            sink.Free(_buckets);
            sink.Free(_next);
            sink.Free(_socket);
            sink.Free(_high);
            sink.Free(_low);
            sink.Free(_port);
        }

        private int BucketOf(ulong socket)
        {
            ulong h = socket * 0x9E3779B97F4A7C15UL;
            return (int)((h >> 32) % (ulong)_buckets.Length);
        }

        private int Find(ulong socket, out int previous)
        {
            previous = None;
            if (socket == 0)
            {
                return None;
            }
            for (int s = _buckets[BucketOf(socket)]; s != None; s = _next[s])
            {
                if (_socket[s] == socket)
                {
                    return s;
                }
                previous = s;
            }
            return None;
        }
    }
}
