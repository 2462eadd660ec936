using System.Threading;
using Kernel.Core.Mm;
using Kernel.Core.Sync;
using Kernel.Services;
using Kernel.Services.Memory;
using Kernel.Services.Toa;

namespace Kernel.Core.Modules
{
    /// <summary>A TOA-like kernel module: records the original client address that a load balancer put in a
    /// TCP option (<see cref="ToaOption"/>) into an IPv6 socket table, so getpeername on the real server can
    /// answer with the client instead of the balancer. The table logic is <see cref="ToaTable"/>
    /// (Services, host tested); this is the module's lifetime and locking.
    ///
    /// Seed 004 (DPVS toa.ko): init_toa_ip6 took toa_ip6_sk_lock, then allocated toa_ip6_sk_tab, and only then
    /// initialized the lock; one kernel rebooted on load. Here <see cref="Load"/> allocates every array of the
    /// table and checks each allocation, unwinding what it already has on failure, initializes the lock,
    /// builds the table and only then publishes the module as loaded. <see cref="Unload"/> frees everything.
    /// The hooks take the lock only once the module is loaded, and re-check under it (an unload may have run
    /// in between).</summary>
    internal static class ToaModule
    {
        internal const int Buckets = 64;
        internal const int Capacity = 128;

        private static readonly SpinLock s_lock = new SpinLock();

        [RequiresInit]
        private static ToaTable s_table;

        private static int s_loaded;
        private static readonly HeapStorageSink s_sink = new HeapStorageSink();

        internal static bool IsLoaded => Volatile.Read(ref s_loaded) != 0;

        /// <summary>0, or -EBUSY (already loaded), -ENOMEM (an allocation failed: nothing is left allocated).</summary>
        internal static int Load()
        {
            if (IsLoaded)
            {
                return -Errno.EBUSY;
            }
            int[]? buckets = KernelArrays.TryInt32(Buckets);
            int[]? next = buckets == null ? null : KernelArrays.TryInt32(Capacity);
            ulong[]? socket = next == null ? null : KernelArrays.TryUInt64(Capacity);
            ulong[]? high = socket == null ? null : KernelArrays.TryUInt64(Capacity);
            ulong[]? low = high == null ? null : KernelArrays.TryUInt64(Capacity);
            int[]? port = low == null ? null : KernelArrays.TryInt32(Capacity);
            if (buckets == null || next == null || socket == null || high == null || low == null || port == null)
            {
                Unwind(buckets, next, socket, high, low, port);
                return -Errno.ENOMEM;
            }
            s_lock.Init();
            s_lock.Acquire();
            s_table = new ToaTable(buckets, next, socket, high, low, port);
            Volatile.Write(ref s_loaded, 1);
            s_lock.Release();
            return 0;
        }

        /// <summary>Frees the table: 0, or -ENODEV when the module is not loaded.</summary>
        internal static int Unload()
        {
            if (!IsLoaded)
            {
                return -Errno.ENODEV;
            }
            s_lock.Acquire();
            ToaTable table = s_table;
            s_table = default;
            Volatile.Write(ref s_loaded, 0);
            s_lock.Release();
            table.ReturnStorage(s_sink);
            return 0;
        }

        /// <summary>The receive hook for the first segments of a connection on an IPv6 socket: records the
        /// client from a TOA option. 1 if one was recorded, 0 if the segment carries none, -ENODEV (not
        /// loaded), -ENOSPC (table full), -EINVAL.</summary>
        internal static int OnSegment(ulong socket, byte[] options, int offset, int length)
        {
            if (!ToaOption.TryParse(options, offset, length, out Ipv6Endpoint client))
            {
                return 0;
            }
            if (!IsLoaded)
            {
                return -Errno.ENODEV;
            }
            s_lock.Acquire();
            if (Volatile.Read(ref s_loaded) == 0)
            {
                s_lock.Release();
                return -Errno.ENODEV;
            }
            int r = s_table.Record(socket, client);
            s_lock.Release();
            return r < 0 ? r : 1;
        }

        /// <summary>The getpeername hook: 0 with the original client, or -ENOENT (no TOA for this socket),
        /// -ENODEV.</summary>
        internal static int PeerOf(ulong socket, out Ipv6Endpoint client)
        {
            client = default;
            if (!IsLoaded)
            {
                return -Errno.ENODEV;
            }
            s_lock.Acquire();
            if (Volatile.Read(ref s_loaded) == 0)
            {
                s_lock.Release();
                return -Errno.ENODEV;
            }
            bool found = s_table.TryGet(socket, out client);
            s_lock.Release();
            return found ? 0 : -Errno.ENOENT;
        }

        /// <summary>The socket-close hook: forgets the socket. 1 if it had an entry, 0 if not, -ENODEV.</summary>
        internal static int OnClose(ulong socket)
        {
            if (!IsLoaded)
            {
                return -Errno.ENODEV;
            }
            s_lock.Acquire();
            if (Volatile.Read(ref s_loaded) == 0)
            {
                s_lock.Release();
                return -Errno.ENODEV;
            }
            bool removed = s_table.Remove(socket);
            s_lock.Release();
            return removed ? 1 : 0;
        }

        /// <summary>Entries recorded (0 when not loaded).</summary>
        internal static int Count
        {
            get
            {
                if (!IsLoaded)
                {
                    return 0;
                }
                s_lock.Acquire();
                int n = Volatile.Read(ref s_loaded) == 0 ? 0 : s_table.Count;
                s_lock.Release();
                return n;
            }
        }

        private static void Unwind(int[]? buckets, int[]? next, ulong[]? socket, ulong[]? high, ulong[]? low, int[]? port)
        {
            if (port != null)
            {
                s_sink.Free(port);
            }
            if (low != null)
            {
                s_sink.Free(low);
            }
            if (high != null)
            {
                s_sink.Free(high);
            }
            if (socket != null)
            {
                s_sink.Free(socket);
            }
            if (next != null)
            {
                s_sink.Free(next);
            }
            if (buckets != null)
            {
                s_sink.Free(buckets);
            }
        }
    }
}
