using System;
using System.Collections.Generic;
using System.Linq;
using Kernel.Services.Net;
using Xunit;

namespace Kernel.Tests.Net;

/// <summary>A parsed outgoing TCP segment (parsed by the test's own code, not the stack's).</summary>
public sealed record Seg(ushort SrcPort, ushort DstPort, uint Seq, uint Ack, int Flags, int Window, int Mss, byte[] Data)
{
    public bool Is(int flags) => Flags == flags;

    public override string ToString() => $"{SrcPort}->{DstPort} seq={Seq} ack={Ack} flags={FlagNames(Flags)} wnd={Window} len={Data.Length}";

    public static string FlagNames(int f) =>
        string.Join("|", new[] { (0x02, "SYN"), (0x10, "ACK"), (0x01, "FIN"), (0x04, "RST"), (0x08, "PSH") }.Where(x => (f & x.Item1) != 0).Select(x => x.Item2));
}

/// <summary>lwIP-style segment tests: one stack, frames built and injected by hand, every frame it sends captured.
/// The peer is 10.0.0.2 (MAC 02:..:02); the stack is 10.0.0.1.</summary>
public sealed class SegmentHarness
{
    public const ulong PeerMac = 0x02_00_00_00_00_02;
    public const ulong OurMac = 0x02_00_00_00_00_01;
    public static readonly uint PeerIp = Wire.Ip(10, 0, 0, 2);
    public static readonly uint OurIp = Wire.Ip(10, 0, 0, 1);

    public readonly List<byte[]> Out = new();

    private sealed class Capture : INetDevice
    {
        private readonly SegmentHarness _h;

        public Capture(SegmentHarness h) => _h = h;

        public bool Transmit(byte[] frame, int length)
        {
            _h.Out.Add(frame.AsSpan(0, length).ToArray());
            return true;
        }
    }

    public SegmentHarness(Action<NetConfig>? configure = null, bool learnPeer = true)
    {
        var cfg = new NetConfig { Mac = OurMac, Ip = OurIp, IssSeed = 1000, MaxConnections = 8 };
        configure?.Invoke(cfg);
        Stack = new NetStack(cfg, new Capture(this));
        Sockets = new Sockets(Stack, 16);
        if (learnPeer)
        {
            Input(ArpFrame(1, PeerMac, PeerIp, 0, OurIp, OurMac));
            Out.Clear();
        }
    }

    public NetStack Stack { get; }

    public Sockets Sockets { get; }

    public long Now { get; set; }

    public void Input(byte[] frame) => Stack.Input(frame, frame.Length, Now);

    public void Advance(long ms)
    {
        Now += ms;
        Stack.Poll(Now);
    }

    // ---- frame builders (independent of the stack's code) ----

    public static byte[] ArpFrame(int op, ulong sha, uint spa, ulong tha, uint tpa, ulong dstMac)
    {
        var b = new byte[42];
        PutMac(b, 0, dstMac == 0 ? 0xFFFFFFFFFFFF : dstMac);
        PutMac(b, 6, sha);
        b[12] = 0x08; b[13] = 0x06;
        b[14] = 0; b[15] = 1; b[16] = 8; b[17] = 0; b[18] = 6; b[19] = 4; b[20] = 0; b[21] = (byte)op;
        PutMac(b, 22, sha);
        Put32(b, 28, spa);
        PutMac(b, 32, tha);
        Put32(b, 38, tpa);
        return b;
    }

    public static byte[] IpFrame(int proto, byte[] l4, uint src, uint dst, int fragField = 0x4000, ulong dstMac = OurMac)
    {
        var b = new byte[34 + l4.Length];
        PutMac(b, 0, dstMac);
        PutMac(b, 6, PeerMac);
        b[12] = 0x08; b[13] = 0x00;
        b[14] = 0x45;
        Put16(b, 16, 20 + l4.Length);
        Put16(b, 18, 77);
        Put16(b, 20, fragField);
        b[22] = 64;
        b[23] = (byte)proto;
        Put32(b, 26, src);
        Put32(b, 30, dst);
        Put16(b, 24, Csum(b, 14, 20, 0));
        l4.CopyTo(b, 34);
        return b;
    }

    public static byte[] TcpSegment(ushort sport, ushort dport, uint seq, uint ack, int flags, int wnd, byte[]? data = null, int mss = 0,
        uint src = 0, uint dst = 0)
    {
        src = src == 0 ? PeerIp : src;
        dst = dst == 0 ? OurIp : dst;
        data ??= Array.Empty<byte>();
        int hl = mss != 0 ? 24 : 20;
        var t = new byte[hl + data.Length];
        Put16(t, 0, sport);
        Put16(t, 2, dport);
        Put32(t, 4, seq);
        Put32(t, 8, ack);
        t[12] = (byte)((hl / 4) << 4);
        t[13] = (byte)flags;
        Put16(t, 14, wnd);
        if (mss != 0)
        {
            t[20] = 2; t[21] = 4;
            Put16(t, 22, mss);
        }
        data.CopyTo(t, hl);
        Put16(t, 16, Csum(t, 0, t.Length, Pseudo(src, dst, 6, t.Length)));
        return IpFrame(6, t, src, dst);
    }

    public void Tcp(ushort sport, ushort dport, uint seq, uint ack, int flags, int wnd = 65535, byte[]? data = null, int mss = 0) =>
        Input(TcpSegment(sport, dport, seq, ack, flags, wnd, data, mss));

    public static uint Pseudo(uint s, uint d, int proto, int len) => (s >> 16) + (s & 0xFFFF) + (d >> 16) + (d & 0xFFFF) + (uint)proto + (uint)len;

    public static ushort Csum(byte[] b, int o, int n, uint sum)
    {
        for (int i = 0; i + 1 < n; i += 2)
        {
            sum += (uint)(b[o + i] << 8 | b[o + i + 1]);
        }
        if ((n & 1) != 0)
        {
            sum += (uint)(b[o + n - 1] << 8);
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    public static void PutMac(byte[] b, int o, ulong m)
    {
        for (int i = 5; i >= 0; i--)
        {
            b[o + i] = (byte)m;
            m >>= 8;
        }
    }

    public static void Put16(byte[] b, int o, int v)
    {
        b[o] = (byte)(v >> 8);
        b[o + 1] = (byte)v;
    }

    public static void Put32(byte[] b, int o, uint v)
    {
        b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v;
    }

    public static int G16(byte[] b, int o) => b[o] << 8 | b[o + 1];

    public static uint G32(byte[] b, int o) => (uint)(b[o] << 24 | b[o + 1] << 16 | b[o + 2] << 8 | b[o + 3]);

    /// <summary>Parses one captured frame as IPv4/TCP and verifies both checksums.</summary>
    public static Seg ParseTcp(byte[] f)
    {
        Assert.Equal(0x0800, G16(f, 12));
        Assert.Equal(0, Csum(f, 14, 20, 0));
        Assert.Equal(6, f[23]);
        int total = G16(f, 16);
        int tl = total - 20;
        uint src = G32(f, 26), dst = G32(f, 30);
        Assert.Equal(0, Csum(f, 34, tl, Pseudo(src, dst, 6, tl)));
        int o = 34;
        int hl = (f[o + 12] >> 4) * 4;
        int mss = 0;
        for (int p = o + 20; p < o + hl;)
        {
            if (f[p] == 0) break;
            if (f[p] == 1) { p++; continue; }
            if (f[p] == 2) mss = G16(f, p + 2);
            p += f[p + 1];
        }
        return new Seg((ushort)G16(f, o), (ushort)G16(f, o + 2), G32(f, o + 4), G32(f, o + 8), f[o + 13], G16(f, o + 14), mss,
            f.AsSpan(o + hl, tl - hl).ToArray());
    }

    /// <summary>Every TCP segment sent since the last call.</summary>
    public List<Seg> TakeAll()
    {
        var segs = Out.Where(f => G16(f, 12) == 0x0800 && f[23] == 6).Select(ParseTcp).ToList();
        Out.Clear();
        return segs;
    }

    /// <summary>Exactly one segment was sent since the last call: that segment.</summary>
    public Seg TakeOne()
    {
        List<Seg> all = TakeAll();
        Assert.True(all.Count == 1, "expected one segment, got " + all.Count + ": " + string.Join("; ", all));
        return all[0];
    }

    public void ExpectNothing()
    {
        List<Seg> all = TakeAll();
        Assert.True(all.Count == 0, "expected no segment, got: " + string.Join("; ", all));
    }

    /// <summary>A passive open completed by hand: returns (listen fd, accepted fd, our ISS + 1).</summary>
    public (int Listen, int Conn, uint OurNext) Establish(ushort port, uint peerIss, int backlog = 4, int peerWindow = 65535)
    {
        int lfd = Sockets.Listen(port, backlog);
        Assert.True(lfd >= 0);
        Tcp(40000, port, peerIss, 0, 0x02, peerWindow, mss: 1460);
        Seg synAck = TakeOne();
        Assert.Equal(0x12, synAck.Flags);
        Tcp(40000, port, peerIss + 1, synAck.Seq + 1, 0x10, peerWindow);
        ExpectNothing();
        int fd = Sockets.Accept(lfd);
        Assert.True(fd >= 0, "accept: " + NetErr.Name(fd));
        return (lfd, fd, synAck.Seq + 1);
    }
}
