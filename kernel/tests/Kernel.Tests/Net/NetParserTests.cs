using System;
using Kernel.Services.Net;
using Xunit;

namespace Kernel.Tests.Net;

/// <summary>ARP, IPv4, ICMP and UDP, and random frames into the parser: no crash, no leak.</summary>
public sealed class NetParserTests
{
    [Fact]
    public void ArpRequestForUsGetsAReplyAndFillsTheCache()
    {
        var h = new SegmentHarness(learnPeer: false);
        Assert.Equal(0, h.Stack.ArpCount);
        h.Input(SegmentHarness.ArpFrame(1, SegmentHarness.PeerMac, SegmentHarness.PeerIp, 0, SegmentHarness.OurIp, 0));
        byte[] r = Assert.Single(h.Out);
        Assert.Equal(0x0806, SegmentHarness.G16(r, 12));
        Assert.Equal(2, SegmentHarness.G16(r, 20));
        Assert.Equal(SegmentHarness.OurIp, SegmentHarness.G32(r, 28));
        Assert.Equal(SegmentHarness.PeerIp, SegmentHarness.G32(r, 38));
        Assert.Equal(SegmentHarness.PeerMac, Mac.Read(r, 0));
        Assert.Equal(SegmentHarness.PeerMac, h.Stack.ArpLookup(SegmentHarness.PeerIp));
    }

    /// <summary>Ethernet: a frame for another MAC is not processed (even a valid SYN to a listener), an unknown
    /// EtherType is dropped and counted, a broadcast ARP request is taken.</summary>
    [Fact]
    public void EthernetFramesForOtherMacsAndUnknownTypesAreDropped()
    {
        var h = new SegmentHarness();
        int lfd = h.Sockets.Listen(80, 1);
        byte[] syn = SegmentHarness.TcpSegment(40000, 80, 1, 0, 0x02, 1000);
        SegmentHarness.PutMac(syn, 0, 0x02_00_00_00_00_77);
        h.Input(syn);
        Assert.Empty(h.Out);
        Assert.Equal(1, h.Stack.Stats.NotForUs);
        Assert.Equal(1, h.Stack.Tcp.InUse); // only the listener: no embryonic connection
        byte[] v6 = SegmentHarness.TcpSegment(40000, 80, 1, 0, 0x02, 1000);
        v6[12] = 0x86;
        v6[13] = 0xDD;
        h.Input(v6);
        Assert.Empty(h.Out);
        Assert.Equal(1, h.Stack.Stats.Dropped);
        h.Input(SegmentHarness.ArpFrame(1, SegmentHarness.PeerMac, SegmentHarness.PeerIp, 0, SegmentHarness.OurIp, 0)); // to ff:ff:..
        Assert.Single(h.Out);
        h.Out.Clear();
        h.Input(SegmentHarness.TcpSegment(40000, 80, 1, 0, 0x02, 1000)); // the same SYN to our MAC is answered
        Assert.Equal(0x12, h.TakeOne().Flags);
        h.Sockets.Close(lfd, h.Now);
    }

    /// <summary>The ARP cache holds 16 neighbours; a 17th replaces the least recently refreshed one, and a known
    /// neighbour's new MAC replaces its old one (RFC 826 merge).</summary>
    [Fact]
    public void ArpCacheEvictsTheOldestEntryAndMergesNewMacs()
    {
        var h = new SegmentHarness(learnPeer: false);
        for (int i = 1; i <= 17; i++)
        {
            h.Now = i;
            h.Input(SegmentHarness.ArpFrame(1, 0x02_00_00_00_10_00UL + (ulong)i, Wire.Ip(10, 0, 0, 100 + i), 0, SegmentHarness.OurIp, 0));
        }
        Assert.Equal(16, h.Stack.ArpCount);
        Assert.Equal(0UL, h.Stack.ArpLookup(Wire.Ip(10, 0, 0, 101))); // the oldest went
        Assert.Equal(0x02_00_00_00_10_02UL, h.Stack.ArpLookup(Wire.Ip(10, 0, 0, 102)));
        Assert.Equal(0x02_00_00_00_10_11UL, h.Stack.ArpLookup(Wire.Ip(10, 0, 0, 117)));
        h.Input(SegmentHarness.ArpFrame(2, 0x02_00_00_00_20_02UL, Wire.Ip(10, 0, 0, 102), SegmentHarness.OurMac, SegmentHarness.OurIp,
            SegmentHarness.OurMac));
        Assert.Equal(0x02_00_00_00_20_02UL, h.Stack.ArpLookup(Wire.Ip(10, 0, 0, 102)));
        Assert.Equal(16, h.Stack.ArpCount);
    }

    [Fact]
    public void ArpForSomeoneElseIsNotAnswered()
    {
        var h = new SegmentHarness(learnPeer: false);
        h.Input(SegmentHarness.ArpFrame(1, SegmentHarness.PeerMac, SegmentHarness.PeerIp, 0, Wire.Ip(10, 0, 0, 9), 0));
        Assert.Empty(h.Out);
        Assert.Equal(0, h.Stack.ArpCount);
    }

    [Fact]
    public void UnknownNeighbourTriggersAnArpRequestAndTcpResendsOnTheReply()
    {
        var h = new SegmentHarness(learnPeer: false);
        int fd = h.Sockets.Connect(SegmentHarness.PeerIp, 22, h.Now);
        byte[] req = Assert.Single(h.Out);
        h.Out.Clear();
        Assert.Equal(0x0806, SegmentHarness.G16(req, 12));
        Assert.Equal(1, SegmentHarness.G16(req, 20));
        Assert.Equal(SegmentHarness.PeerIp, SegmentHarness.G32(req, 38));
        h.Input(SegmentHarness.ArpFrame(2, SegmentHarness.PeerMac, SegmentHarness.PeerIp, SegmentHarness.OurMac, SegmentHarness.OurIp, SegmentHarness.OurMac));
        h.Advance(1);
        Seg syn = h.TakeOne(); // at once, not after the 1 s RTO, and without backoff
        Assert.Equal(0x02, syn.Flags);
        Assert.Equal(1000, h.Sockets.Connection(fd)!.CurrentRto);
    }

    [Fact]
    public void EchoRequestGetsAnEchoReplyWithTheSamePayload()
    {
        var h = new SegmentHarness();
        var icmp = new byte[8 + 56];
        icmp[0] = 8;
        SegmentHarness.Put16(icmp, 4, 0x1234);
        SegmentHarness.Put16(icmp, 6, 7);
        for (int i = 8; i < icmp.Length; i++)
        {
            icmp[i] = (byte)(i * 3);
        }
        SegmentHarness.Put16(icmp, 2, SegmentHarness.Csum(icmp, 0, icmp.Length, 0));
        h.Input(SegmentHarness.IpFrame(1, icmp, SegmentHarness.PeerIp, SegmentHarness.OurIp));
        byte[] r = Assert.Single(h.Out);
        Assert.Equal(0, SegmentHarness.Csum(r, 14, 20, 0));
        Assert.Equal(1, r[23]);
        Assert.Equal(SegmentHarness.PeerIp, SegmentHarness.G32(r, 30));
        Assert.Equal(0, r[34]);
        Assert.Equal(0, SegmentHarness.Csum(r, 34, icmp.Length, 0));
        Assert.Equal(icmp.AsSpan(4).ToArray(), r.AsSpan(38, icmp.Length - 4).ToArray());
        Assert.Equal(1, h.Stack.Stats.EchoRepliesSent);
    }

    [Fact]
    public void FragmentsAreDroppedCleanly()
    {
        var h = new SegmentHarness();
        h.Sockets.Listen(80, 1);
        byte[] seg = SegmentHarness.TcpSegment(40000, 80, 1, 0, 0x02, 1000);
        byte[] l4 = seg.AsSpan(34).ToArray();
        h.Input(SegmentHarness.IpFrame(6, l4, SegmentHarness.PeerIp, SegmentHarness.OurIp, fragField: 0x2000)); // MF
        h.Input(SegmentHarness.IpFrame(6, l4, SegmentHarness.PeerIp, SegmentHarness.OurIp, fragField: 0x0010)); // offset
        Assert.Empty(h.Out);
        Assert.Equal(2, h.Stack.Stats.FragmentsDropped);
        Assert.Equal(1, h.Stack.Tcp.InUse);
    }

    [Fact]
    public void BadIpHeaderChecksumIsDropped()
    {
        var h = new SegmentHarness();
        h.Sockets.Listen(80, 1);
        byte[] f = SegmentHarness.TcpSegment(40000, 80, 1, 0, 0x02, 1000);
        f[24] ^= 1;
        h.Input(f);
        Assert.Empty(h.Out);
        Assert.Equal(1, h.Stack.Stats.BadChecksum);
    }

    [Fact]
    public void UdpDatagramsGoBothWaysBetweenTwoStacks()
    {
        var link = new SimLink(3, LinkProfile.Clean);
        UdpSocket? a = link.A.Udp.BindAndErr(5000, out int e1);
        UdpSocket? b = link.B.Udp.BindAndErr(6000, out int e2);
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Null(link.A.Udp.BindAndErr(5000, out int e3));
        Assert.Equal(NetErr.EADDRINUSE, e3);
        byte[] msg = { 1, 2, 3, 4, 5, 6, 7 };
        // first send resolves ARP, the datagram waits for the caller to retry
        Assert.Equal(-NetErr.EAGAIN, link.A.Udp.SendTo(a, link.B.Ip, 6000, msg, 0, msg.Length));
        link.Run(5);
        Assert.Equal(7, link.A.Udp.SendTo(a, link.B.Ip, 6000, msg, 0, msg.Length));
        link.Run(5);
        var buf = new byte[100];
        Assert.Equal(7, link.B.Udp.RecvFrom(b, buf, 0, buf.Length, out uint ip, out ushort port));
        Assert.Equal(link.A.Ip, ip);
        Assert.Equal(5000, port);
        Assert.Equal(msg, buf.AsSpan(0, 7).ToArray());
        Assert.Equal(-NetErr.EAGAIN, link.B.Udp.RecvFrom(b, buf, 0, buf.Length, out _, out _));
        link.A.Udp.Unbind(a);
        link.B.Udp.Unbind(b);
        Assert.Equal(0, link.A.Udp.InUse + link.B.Udp.InUse);
    }

    [Fact]
    public void TwoStacksPingEachOther()
    {
        var link = new SimLink(4, LinkProfile.Clean);
        Assert.False(link.A.Ping(link.B.Ip, 1, 1, 32)); // ARP first
        link.Run(5);
        Assert.True(link.A.Ping(link.B.Ip, 1, 2, 32));
        link.Run(5);
        Assert.Equal(1, link.A.Stats.EchoRepliesReceived);
        Assert.Equal(2, link.A.LastEchoSeq);
    }

    /// <summary>The word-at-a-time checksum equals RFC 1071's 16-bit one's-complement sum (the harness's own) for
    /// every length 0..200 and large frames, at odd and even offsets, with a running pseudo-header sum, including
    /// all-0xFF data (the 0x0000/0xFFFF edge) and all zeros.</summary>
    [Fact]
    public void ChecksumMatchesTheSixteenBitReference()
    {
        var rng = new Random(7);
        var b = new byte[1600];
        for (int round = 0; round < 3000; round++)
        {
            int kind = round % 10;
            if (kind == 0)
            {
                Array.Fill(b, (byte)0xFF);
            }
            else if (kind == 1)
            {
                Array.Clear(b);
            }
            else
            {
                rng.NextBytes(b);
            }
            int n = round < 1000 ? round % 201 : rng.Next(0, 1515);
            int o = rng.Next(0, b.Length - n + 1);
            uint start = (uint)rng.Next(0, 0x40000) * (uint)(round & 1);
            Assert.Equal(SegmentHarness.Csum(b, o, n, start), Wire.Fold(Wire.SumWords(start, b, o, n)));
            Assert.Equal(SegmentHarness.Csum(b, o, n, 0), Wire.Checksum(b, o, n));
        }
    }

    /// <summary>Random frames, and valid frames with random bytes flipped, into one stack with a listener and an
    /// established connection: nothing throws, nothing leaks (the pool is back where it was once the connection is
    /// gone).</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomFramesNeverCrashAndNeverLeak(int seed)
    {
        var rng = new Random(seed);
        var h = new SegmentHarness(c => { c.TimeWaitMs = 100; c.MaxRetries = 2; c.FinWait2Ms = 1000; });
        var (lfd, fd, our) = h.Establish(80, 100);
        byte[][] templates =
        {
            SegmentHarness.TcpSegment(40000, 80, 101, our, 0x10, 65535, new byte[] { 1, 2, 3 }),
            SegmentHarness.TcpSegment(40001, 80, 5, 0, 0x02, 1000, mss: 1460),
            SegmentHarness.ArpFrame(1, SegmentHarness.PeerMac, SegmentHarness.PeerIp, 0, SegmentHarness.OurIp, 0),
            SegmentHarness.IpFrame(17, new byte[] { 0, 1, 0, 2, 0, 12, 0, 0, 9, 9, 9, 9 }, SegmentHarness.PeerIp, SegmentHarness.OurIp),
            SegmentHarness.IpFrame(1, new byte[] { 8, 0, 0xF7, 0xFF, 0, 0, 0, 0 }, SegmentHarness.PeerIp, SegmentHarness.OurIp),
        };
        var buf = new byte[2048];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] f;
            if (rng.Next(4) == 0)
            {
                f = new byte[rng.Next(0, 1600)];
                rng.NextBytes(f);
                if (f.Length >= 14 && rng.Next(2) == 0)
                {
                    SegmentHarness.PutMac(f, 0, SegmentHarness.OurMac);
                    f[12] = 8;
                    f[13] = (byte)(rng.Next(2) == 0 ? 0 : 6);
                }
            }
            else
            {
                f = (byte[])templates[rng.Next(templates.Length)].Clone();
                int flips = rng.Next(1, 4);
                for (int k = 0; k < flips; k++)
                {
                    f[rng.Next(f.Length)] = (byte)rng.Next(256);
                }
                if (rng.Next(5) == 0)
                {
                    Array.Resize(ref f, rng.Next(f.Length + 1));
                }
            }
            h.Stack.Input(f, f.Length, h.Now);
            if (rng.Next(50) == 0)
            {
                h.Advance(rng.Next(1, 200));
            }
            if (rng.Next(10) == 0)
            {
                h.Sockets.Recv(fd, buf, 0, buf.Length, h.Now);
            }
            h.Out.Clear();
        }
        // length beyond the array and a too-short frame are rejected, not read
        h.Stack.Input(new byte[10], 64, h.Now);
        h.Sockets.Close(fd, h.Now);
        h.Sockets.Close(lfd, h.Now);
        for (int i = 0; i < 200; i++)
        {
            h.Advance(1000);
        }
        Assert.True(h.Stack.Tcp.InUse == 0, "leak: " + h.Stack.Tcp.Describe());
        Assert.Equal(h.Stack.Tcp.Allocations, h.Stack.Tcp.Frees);
        Assert.Equal(0, h.Sockets.Open);
    }
}
