using Kernel.Core.Mm;
using Kernel.Core.Threading;
using Kernel.Services.Boot;
using Kernel.Services.Net;

namespace Kernel.Core.Net
{
    /// <summary>Glue between the e1000 and the stack in Services/Net: one interface, polled from the thread that
    /// uses the network (the stack is single-threaded: whoever waits drives it). Time is the PIT tick in ms.</summary>
    internal static class KernelNet
    {
        private static E1000? s_nic;
        private static NetStack? s_stack;
        private static Sockets? s_sockets;

        internal static long Now => (long)Scheduler.Ticks * 10;

        [MayReturnNull]
        internal static E1000? Nic() => s_nic;

        /// <summary>Brings the interface up once (later calls return the same stack); null when there is no NIC.</summary>
        [MayReturnNull]
        internal static Sockets? Up(uint ip, uint gateway)
        {
            Sockets? existing = s_sockets;
            if (existing != null)
            {
                return existing;
            }
            var nic = new E1000();
            if (!nic.Init())
            {
                return null;
            }
            var cfg = new NetConfig
            {
                Mac = nic.Mac,
                Ip = ip,
                Gateway = gateway,
                Netmask = 0xFFFFFF00,
                MaxConnections = 12,
                RecvBuffer = 32768,
                SendBuffer = 32768,
                ClockGranularityMs = 10,
                MinRtoMs = 200, // Linux's floor, not RFC 6298's 1 s: the QEMU tests are timed
                TimeWaitMs = 2000,
                IssSeed = (uint)Cpu.ReadTsc(),
            };
            var stack = new NetStack(cfg, nic);
            var sockets = new Sockets(stack, 16);
            s_nic = nic;
            s_stack = stack;
            s_sockets = sockets;
            Console.WriteLine("net: e1000 at " + nic.Location + " mac " + MacString(nic.Mac) + " ip " + Wire.IpToString(ip)
                + " gw " + Wire.IpToString(gateway) + (nic.LinkUp ? " link up" : " link down"));
            stack.ArpRequest(gateway);
            return sockets;
        }

        internal static string MacString(ulong mac)
        {
            string s = "";
            for (int i = 5; i >= 0; i--)
            {
                ulong b = (mac >> (8 * i)) & 0xFF;
                s = s + (b < 16 ? "0" : "") + Hex(b) + (i > 0 ? ":" : "");
            }
            return s;
        }

        private static string Hex(ulong v)
        {
            const string digits = "0123456789abcdef";
            string s = "";
            do
            {
                s = digits.Substring((int)(v & 15), 1) + s;
                v >>= 4;
            }
            while (v != 0);
            return s;
        }

        /// <summary>Receives what the NIC has and runs the stack's timers; true when frames arrived.</summary>
        internal static bool Pump()
        {
            E1000? nic = s_nic;
            NetStack? stack = s_stack;
            if (nic == null || stack == null)
            {
                return false;
            }
            long now = Now;
            int n = nic.Poll(stack, now);
            stack.Poll(now);
            return n > 0;
        }

        /// <summary>Pumps the NIC until the neighbour's MAC is known, asking again every 250 ms; the milliseconds it
        /// took, or -1 after <paramref name="timeoutMs"/>. QEMU's e1000 holds received frames back for 1 s after the
        /// receiver is enabled, so this is also how a caller knows that the interface receives.</summary>
        internal static long WaitNeighbor(uint ip, long timeoutMs)
        {
            NetStack? stack = s_stack;
            if (stack == null)
            {
                return -1;
            }
            long start = Now;
            long next = start + 250;
            var w = new Waiter(timeoutMs);
            while (stack.ArpLookup(stack.NextHop(ip)) == 0)
            {
                if (!w.Wait())
                {
                    return -1;
                }
                if (Now >= next)
                {
                    stack.ArpRequest(stack.NextHop(ip));
                    next = Now + 250;
                }
            }
            return Now - start;
        }

        /// <summary>A waiter that pumps the NIC until a deadline.</summary>
        internal sealed class Waiter : INetWait
        {
            private readonly long _deadline;

            internal Waiter(long timeoutMs)
            {
                _deadline = KernelNet.Now + timeoutMs;
            }

            public long Now => KernelNet.Now;

            public bool Wait()
            {
                if (!Pump())
                {
                    Cpu.Pause();
                }
                return KernelNet.Now < _deadline;
            }
        }

        internal static uint ParseIp(string s, uint fallback)
        {
            uint ip = 0;
            int part = 0;
            int parts = 0;
            bool digit = false;
            for (int i = 0; i <= s.Length; i++)
            {
                char c = i < s.Length ? s[i] : '.';
                if (c >= '0' && c <= '9')
                {
                    part = part * 10 + (c - '0');
                    digit = true;
                    if (part > 255)
                    {
                        return fallback;
                    }
                }
                else if (c == '.' && digit)
                {
                    ip = (ip << 8) | (uint)part;
                    part = 0;
                    digit = false;
                    parts++;
                }
                else
                {
                    return fallback;
                }
            }
            return parts == 4 ? ip : fallback;
        }

        internal static int ParseInt(string s, int fallback)
        {
            int v = 0;
            if (s.Length == 0)
            {
                return fallback;
            }
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c < '0' || c > '9')
                {
                    return fallback;
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }

        /// <summary>The value of "key=value" among the command words, or "".</summary>
        internal static string Arg(CommandLine args, string key)
        {
            for (int i = 1; i < args.Count; i++)
            {
                string w = args[i];
                if (w.Length > key.Length && w.StartsWith(key) && w[key.Length] == '=')
                {
                    return w.Substring(key.Length + 1);
                }
            }
            return "";
        }

        /// <summary>The test pattern both sides of the QEMU tests compute: byte i of a stream.</summary>
        internal static byte Pattern(int i) => (byte)((i * 131) ^ (i >> 9));

        internal static long HeapLive => (long)KernelHeap.Stats.LiveBlocks;
    }
}
