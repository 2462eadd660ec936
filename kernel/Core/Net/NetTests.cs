using Kernel.Core.Mm;
using Kernel.Core.Testing;
using Kernel.Services.Net;
using Kernel.Services.Testing;

namespace Kernel.Core.Net
{
    /// <summary>In-kernel network tests: PCI and the e1000 (QEMU's default NIC with user networking), ARP and ping of
    /// the slirp gateway, and the Services stack under NativeAOT: two stacks over an in-memory link moving exactly
    /// 54,240 bytes without a single heap allocation per frame.</summary>
    internal static unsafe class NetTests
    {
        internal static void RegisterAll()
        {
            // the NIC tests need a boot with QEMU's default e1000 on user networking; the UEFI runner boots with
            // `-net none`, so there they are not registered (and the host checks that the multiboot list has them)
            if (Pci.Find(E1000.Vendor, E1000.Device) >= 0)
            {
                TestRunner.Add("net.pci_finds_e1000", &PciFindsE1000);
                TestRunner.Add("net.gateway_arp_and_ping", &GatewayPing);
            }
            else
            {
                Console.WriteLine("net: no e1000 on the PCI bus: NIC tests not registered");
            }
            TestRunner.Add("net.stack_to_stack_54240", &StackToStack);
            TestRunner.Add("net.double_listen_eaddrinuse", &DoubleListen);
        }

        private static void PciFindsE1000(TestContext t)
        {
            t.Check(Pci.List(false) > 0, "no PCI function at all");
            t.Check(Pci.Find(E1000.Vendor, E1000.Device) >= 0, "no e1000 on the bus");
            Sockets? s = KernelNet.Up(Wire.Ip(10, 0, 2, 15), Wire.Ip(10, 0, 2, 2));
            if (!t.Check(s != null, "e1000 init failed"))
            {
                return;
            }
            E1000? nic = KernelNet.Nic();
            t.Check(nic != null && nic.Mac != 0 && nic.Mac != 0xFFFFFFFFFFFF, "MAC address");
            t.Check(nic != null && nic.LinkUp, "link up");
        }

        private static void GatewayPing(TestContext t)
        {
            Sockets? s = KernelNet.Up(Wire.Ip(10, 0, 2, 15), Wire.Ip(10, 0, 2, 2));
            if (s == null)
            {
                t.Fail("no NIC");
                return;
            }
            NetStack st = s.Stack;
            uint gw = Wire.Ip(10, 0, 2, 2);
            long before = st.Stats.EchoRepliesReceived;
            var w = new KernelNet.Waiter(5000);
            ushort seq = 0;
            long next = 0;
            while (st.Stats.EchoRepliesReceived == before && w.Wait())
            {
                if (KernelNet.Now >= next)
                {
                    st.Ping(gw, 7, ++seq, 16); // the first goes out as an ARP request
                    next = KernelNet.Now + 100;
                }
            }
            t.Check(st.ArpLookup(gw) != 0, "gateway MAC not resolved");
            t.Check(st.Stats.EchoRepliesReceived > before, "no echo reply from 10.0.2.2");
        }

        /// <summary>An in-memory link between two stacks, with preallocated frame slots.</summary>
        private sealed class MemLink : INetDevice
        {
            private readonly byte[][] _frames;
            private readonly int[] _lengths;
            private int _head;
            private int _count;

            internal MemLink(int slots)
            {
                _frames = new byte[slots][];
                for (int i = 0; i < slots; i++)
                {
                    _frames[i] = new byte[NetStack.MaxFrame];
                }
                _lengths = new int[slots];
            }

            internal NetStack? Peer;

            public bool Transmit(byte[] frame, int length)
            {
                if (_count == _frames.Length)
                {
                    return false;
                }
                int slot = (_head + _count) % _frames.Length;
                Wire.Copy(frame, 0, _frames[slot], 0, length);
                _lengths[slot] = length;
                _count++;
                return true;
            }

            internal void Deliver(long now)
            {
                NetStack? peer = Peer;
                int n = _count;
                for (int i = 0; i < n && peer != null; i++)
                {
                    int slot = _head;
                    _head = (_head + 1) % _frames.Length;
                    _count--;
                    peer.Input(_frames[slot], _lengths[slot], now);
                }
            }
        }

        private static MemLink? s_ab;
        private static MemLink? s_ba;
        private static Sockets? s_a;
        private static Sockets? s_b;
        private static byte[]? s_data;
        private static byte[]? s_got;

        /// <summary>The two stacks live as long as the kernel (built once, never freed).</summary>
        private static void Setup()
        {
            if (s_a != null)
            {
                return;
            }
            var ab = new MemLink(64);
            var ba = new MemLink(64);
            var ca = new NetConfig { Mac = 0x020000000001, Ip = Wire.Ip(10, 9, 0, 1), MaxConnections = 4, RecvBuffer = 8192, SendBuffer = 8192 };
            var cb = new NetConfig { Mac = 0x020000000002, Ip = Wire.Ip(10, 9, 0, 2), MaxConnections = 4, RecvBuffer = 8192, SendBuffer = 8192 };
            var a = new NetStack(ca, ab);
            var b = new NetStack(cb, ba);
            ab.Peer = b;
            ba.Peer = a;
            s_ab = ab;
            s_ba = ba;
            s_a = new Sockets(a, 8);
            s_b = new Sockets(b, 8);
            s_data = new byte[54_240];
            s_got = new byte[54_240];
            for (int i = 0; i < s_data.Length; i++)
            {
                s_data[i] = KernelNet.Pattern(i);
            }
        }

        private static void StackToStack(TestContext t)
        {
            Setup();
            Sockets? a = s_a;
            Sockets? b = s_b;
            MemLink? ab = s_ab;
            MemLink? ba = s_ba;
            byte[]? data = s_data;
            byte[]? got = s_got;
            if (a == null || b == null || ab == null || ba == null || data == null || got == null)
            {
                t.Fail("setup");
                return;
            }
            ulong liveBefore = KernelHeap.Stats.LiveBlocks;
            long now = 1;
            int lfd = b.Listen(9, 1);
            int cfd = a.Connect(b.Stack.Ip, 9, now);
            int sfd = -1;
            int sent = 0, read = 0;
            bool closed = false, eof = false;
            for (int step = 0; step < 200_000 && !eof; step++)
            {
                now++;
                ab.Deliver(now);
                ba.Deliver(now);
                a.Stack.Poll(now);
                b.Stack.Poll(now);
                if (sfd < 0)
                {
                    sfd = b.Accept(lfd);
                }
                if (a.ConnectStatus(cfd) == 0 && !closed)
                {
                    int w = a.Send(cfd, data, sent, data.Length - sent, now);
                    if (w > 0)
                    {
                        sent += w;
                    }
                    if (sent == data.Length)
                    {
                        a.Close(cfd, now); // all queued: close at once (seed 001's peer)
                        closed = true;
                    }
                }
                if (sfd >= 0 && (step & 7) == 0)
                {
                    // a slow reader: 500 bytes every 8 steps
                    int r = b.Recv(sfd, got, read, Wire.Min(500, got.Length - read), now);
                    if (r > 0)
                    {
                        read += r;
                    }
                    else if (r == 0)
                    {
                        eof = true;
                    }
                }
            }
            t.Equal(54_240, read, "bytes read before end of stream");
            t.Check(eof, "end of stream");
            bool same = true;
            for (int i = 0; i < read; i++)
            {
                same &= got[i] == data[i];
            }
            t.Check(same, "data corrupted");
            b.Close(sfd, now);
            b.Close(lfd, now);
            for (int step = 0; step < 10_000; step++)
            {
                now += 10;
                ab.Deliver(now);
                ba.Deliver(now);
                a.Stack.Poll(now);
                b.Stack.Poll(now);
            }
            t.Equal(0, a.Stack.Tcp.InUse + b.Stack.Tcp.InUse, "TCP blocks still in use");
            t.Equal(liveBefore, KernelHeap.Stats.LiveBlocks, "heap blocks allocated by the transfer");
        }

        private static void DoubleListen(TestContext t)
        {
            Setup();
            Sockets? a = s_a;
            if (a == null)
            {
                t.Fail("setup");
                return;
            }
            int first = a.Listen(4444, 1);
            t.Check(first >= 0, "first listen");
            int second = a.Listen(4444, 1);
            t.Equal(-NetErr.EADDRINUSE, second, "second listen");
            TcpConnection? low = a.Stack.Tcp.ListenWithBacklogAndErr(4444, 1, out int err);
            t.Check(low == null, "low-level listen returns null");
            t.Equal(NetErr.EADDRINUSE, err, "low-level error");
            a.Close(first, 0);
            t.Equal(0, a.Stack.Tcp.InUse, "listener freed");
        }
    }
}
