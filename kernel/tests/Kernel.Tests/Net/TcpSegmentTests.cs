using System;
using System.Linq;
using Kernel.Services.Net;
using Xunit;

namespace Kernel.Tests.Net;

/// <summary>Send a segment, expect the exact segment out (smoltcp/lwIP style), for the TCP state transitions.</summary>
public sealed class TcpSegmentTests
{
    private const int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
    private const ushort P = 80, Peer = 40000;

    [Fact]
    public void SynToListenerGetsSynAckWithMssAndWindow()
    {
        var h = new SegmentHarness();
        int lfd = h.Sockets.Listen(P, 2);
        Assert.True(lfd >= 0);
        h.Tcp(Peer, P, 5000, 0, SYN, 8192, mss: 1200);
        Seg s = h.TakeOne();
        Assert.Equal(SYN | ACK, s.Flags);
        Assert.Equal(5001u, s.Ack);
        Assert.Equal(1460, s.Mss);
        Assert.Equal(16384, s.Window);
        Assert.Equal(P, s.SrcPort);
        Assert.Equal(Peer, s.DstPort);
        Assert.Equal(-NetErr.EAGAIN, h.Sockets.Accept(lfd)); // not established yet
        h.Tcp(Peer, P, 5001, s.Seq + 1, ACK, 8192);
        h.ExpectNothing();
        int fd = h.Sockets.Accept(lfd);
        Assert.True(fd >= 0);
        Assert.Equal(TcpState.Established, h.Sockets.State(fd));
        Assert.Equal(1200, h.Sockets.Connection(fd)!.PeerMss);
    }

    [Fact]
    public void SecondListenOnABoundPortIsEaddrinuseNeverAFault()
    {
        var h = new SegmentHarness();
        int a = h.Sockets.Listen(P, 1);
        Assert.True(a >= 0);
        Assert.Equal(-NetErr.EADDRINUSE, h.Sockets.Listen(P, 1));
        Assert.Null(h.Stack.Tcp.ListenWithBacklog(P, 1));
        Assert.Null(h.Stack.Tcp.ListenWithBacklogAndErr(P, 1, out int err));
        Assert.Equal(NetErr.EADDRINUSE, err);
        Assert.Equal(1, h.Stack.Tcp.InUse);
        Assert.Equal(0, h.Sockets.Close(a, 0));
        int b = h.Sockets.Listen(P, 1); // free again after close
        Assert.True(b >= 0);
        Assert.Equal(0, h.Sockets.Close(b, 0));
        Assert.Equal(0, h.Stack.Tcp.InUse);
    }

    [Fact]
    public void SynToClosedPortGetsRstAck()
    {
        var h = new SegmentHarness();
        h.Tcp(Peer, 81, 777, 0, SYN, 1000);
        Seg s = h.TakeOne();
        Assert.Equal(RST | ACK, s.Flags);
        Assert.Equal(0u, s.Seq);
        Assert.Equal(778u, s.Ack);
    }

    [Fact]
    public void AckToClosedPortGetsRstWithItsAckAsSeq()
    {
        var h = new SegmentHarness();
        h.Tcp(Peer, 81, 777, 123456, ACK, 1000);
        Seg s = h.TakeOne();
        Assert.Equal(RST, s.Flags);
        Assert.Equal(123456u, s.Seq);
        h.Tcp(Peer, 81, 777, 0, RST, 1000);
        h.ExpectNothing(); // never answer a reset
    }

    [Fact]
    public void DataIsAcknowledgedAndDelivered()
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(P, 100);
        h.Tcp(Peer, P, 101, our, ACK | PSH, 65535, new byte[] { 1, 2, 3, 4, 5 });
        Seg s = h.TakeOne();
        Assert.Equal(ACK, s.Flags);
        Assert.Equal(106u, s.Ack);
        Assert.Equal(our, s.Seq);
        Assert.Equal(16384 - 5, s.Window);
        var buf = new byte[10];
        Assert.Equal(5, h.Sockets.Recv(fd, buf, 0, 10, h.Now));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, buf.Take(5));
        Assert.Equal(-NetErr.EAGAIN, h.Sockets.Recv(fd, buf, 0, 10, h.Now));
    }

    [Fact]
    public void OutOfOrderSegmentsAreQueuedAndReassembled()
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(P, 100);
        byte[] a = { 10, 11, 12 }, b = { 20, 21 }, c = { 30, 31, 32, 33 };
        h.Tcp(Peer, P, 106, our, ACK, 65535, c); // third piece first
        Assert.Equal(101u, h.TakeOne().Ack);   // duplicate ACK for the hole
        h.Tcp(Peer, P, 104, our, ACK, 65535, b);
        Assert.Equal(101u, h.TakeOne().Ack);
        var buf = new byte[16];
        Assert.Equal(-NetErr.EAGAIN, h.Sockets.Recv(fd, buf, 0, 16, h.Now)); // nothing in order yet
        h.Tcp(Peer, P, 101, our, ACK, 65535, a);
        Assert.Equal(110u, h.TakeOne().Ack);   // the hole is filled: everything acknowledged
        Assert.Equal(9, h.Sockets.Recv(fd, buf, 0, 16, h.Now));
        Assert.Equal(new byte[] { 10, 11, 12, 20, 21, 30, 31, 32, 33 }, buf.Take(9));
        // overlapping retransmission of old data: acknowledged, not delivered again
        h.Tcp(Peer, P, 103, our, ACK, 65535, new byte[] { 12, 20, 21, 30 });
        Assert.Equal(110u, h.TakeOne().Ack);
        Assert.Equal(-NetErr.EAGAIN, h.Sockets.Recv(fd, buf, 0, 16, h.Now));
    }

    [Fact]
    public void PassiveCloseDrainsDataThenEndOfStreamThenLastAck()
    {
        var h = new SegmentHarness();
        var (lfd, fd, our) = h.Establish(P, 100);
        h.Tcp(Peer, P, 101, our, ACK | FIN, 65535, new byte[] { 7, 8, 9 });
        Seg s = h.TakeOne();
        Assert.Equal(ACK, s.Flags);
        Assert.Equal(105u, s.Ack); // 3 bytes + FIN
        Assert.Equal(TcpState.CloseWait, h.Sockets.State(fd));
        var buf = new byte[2];
        Assert.Equal(2, h.Sockets.Recv(fd, buf, 0, 2, h.Now)); // buffered data first
        Assert.Equal(1, h.Sockets.Recv(fd, buf, 0, 2, h.Now));
        Assert.Equal(9, buf[0]);
        Assert.Equal(0, h.Sockets.Recv(fd, buf, 0, 2, h.Now)); // then end of stream
        Assert.Equal(0, h.Sockets.Close(fd, h.Now));
        Seg fin = h.TakeOne();
        Assert.Equal(FIN | ACK, fin.Flags);
        Assert.Equal(our, fin.Seq);
        h.Tcp(Peer, P, 105, our + 1, ACK, 65535);
        h.ExpectNothing();
        Assert.Equal(1, h.Stack.Tcp.InUse); // only the listener
        h.Sockets.Close(lfd, h.Now);
        Assert.Equal(0, h.Stack.Tcp.InUse);
    }

    [Fact]
    public void ActiveCloseGoesThroughFinWaitToTimeWaitAndIsFreedAfterTwoMsl()
    {
        var h = new SegmentHarness(c => c.TimeWaitMs = 1000);
        var (lfd, fd, our) = h.Establish(P, 100);
        h.Sockets.Close(lfd, h.Now);
        Assert.Equal(0, h.Sockets.Close(fd, h.Now));
        Seg fin = h.TakeOne();
        Assert.Equal(FIN | ACK, fin.Flags);
        Assert.Equal(101u, fin.Ack);
        h.Tcp(Peer, P, 101, our + 1, ACK, 65535);
        h.ExpectNothing();
        Assert.Equal(TcpState.FinWait2, h.Stack.Tcp.Block(1).State);
        h.Tcp(Peer, P, 101, our + 1, ACK | FIN, 65535);
        Seg last = h.TakeOne();
        Assert.Equal(ACK, last.Flags);
        Assert.Equal(102u, last.Ack);
        Assert.Equal(TcpState.TimeWait, h.Stack.Tcp.Block(1).State);
        h.Advance(500);
        h.Tcp(Peer, P, 101, our + 1, ACK | FIN, 65535); // retransmitted FIN: ACK again, 2 MSL restart
        Assert.Equal(102u, h.TakeOne().Ack);
        h.Advance(900);
        Assert.Equal(1, h.Stack.Tcp.InUse);
        h.Advance(200);
        Assert.Equal(0, h.Stack.Tcp.InUse);
    }

    [Fact]
    public void SimultaneousCloseGoesThroughClosing()
    {
        var h = new SegmentHarness(c => c.TimeWaitMs = 100);
        var (lfd, fd, our) = h.Establish(P, 100);
        h.Sockets.Close(fd, h.Now);
        Assert.Equal(FIN | ACK, h.TakeOne().Flags);
        h.Tcp(Peer, P, 101, our, ACK | FIN, 65535); // their FIN crosses ours (does not ack it)
        Assert.Equal(102u, h.TakeOne().Ack);
        Assert.Equal(TcpState.Closing, h.Stack.Tcp.Block(1).State);
        h.Tcp(Peer, P, 102, our + 1, ACK, 65535);
        Assert.Equal(TcpState.TimeWait, h.Stack.Tcp.Block(1).State);
        h.Advance(150);
        h.Sockets.Close(lfd, h.Now);
        Assert.Equal(0, h.Stack.Tcp.InUse);
    }

    [Fact]
    public void ExactRstResetsAndInWindowRstGetsAChallengeAck()
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(P, 100);
        h.Tcp(Peer, P, 150, 0, RST, 0); // in window, not RCV.NXT
        Seg ch = h.TakeOne();
        Assert.Equal(ACK, ch.Flags);
        Assert.Equal(101u, ch.Ack);
        Assert.Equal(TcpState.Established, h.Sockets.State(fd));
        h.Tcp(Peer, P, 101, 0, RST, 0);
        h.ExpectNothing();
        Assert.Equal(TcpState.Closed, h.Sockets.State(fd));
        var buf = new byte[4];
        Assert.Equal(-NetErr.ECONNRESET, h.Sockets.Recv(fd, buf, 0, 4, h.Now));
        Assert.Equal(-NetErr.ECONNRESET, h.Sockets.Send(fd, buf, 0, 4, h.Now));
        h.Sockets.Close(fd, h.Now);
        Assert.Equal(1, h.Stack.Tcp.InUse);
    }

    [Fact]
    public void DataBufferedBeforeAResetIsStillDelivered()
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(P, 100);
        h.Tcp(Peer, P, 101, our, ACK, 65535, new byte[] { 1, 2, 3 });
        h.TakeAll();
        h.Tcp(Peer, P, 104, 0, RST, 0);
        var buf = new byte[8];
        Assert.Equal(3, h.Sockets.Recv(fd, buf, 0, 8, h.Now));
        Assert.Equal(-NetErr.ECONNRESET, h.Sockets.Recv(fd, buf, 0, 8, h.Now));
    }

    /// <summary>A retransmitted FIN (entirely old: left of RCV.NXT) that carries a new ACK: the data is not taken
    /// again, a duplicate ACK goes back, and the ACK field is still processed (BSD/Linux; slirp sends these), so our
    /// data is not left to the retransmission timer.</summary>
    [Fact]
    public void RetransmittedFinWithANewAckStillAcknowledgesOurData()
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(P, 100);
        Assert.Equal(4, h.Sockets.Send(fd, new byte[] { 1, 2, 3, 4 }, 0, 4, h.Now));
        Assert.Equal(our, h.TakeOne().Seq);
        h.Tcp(Peer, P, 101, our, FIN | ACK, 65535, new byte[] { 9 }); // data + FIN, our data not yet acknowledged
        Assert.Equal(103u, h.TakeOne().Ack);
        Assert.Equal(TcpState.CloseWait, h.Sockets.State(fd));
        TcpConnection c = h.Sockets.Connection(fd)!;
        Assert.Equal(4, c.Unacked);
        h.Tcp(Peer, P, 102, our + 4, FIN | ACK, 65535); // the FIN again, now acknowledging our 4 bytes
        Seg dup = h.TakeOne();
        Assert.Equal(ACK, dup.Flags);
        Assert.Equal(103u, dup.Ack);
        Assert.Equal(0, c.Unacked);
        h.Advance(c.CurrentRto + 10);
        h.ExpectNothing(); // nothing left to retransmit
        var buf = new byte[4];
        Assert.Equal(1, h.Sockets.Recv(fd, buf, 0, 4, h.Now)); // the byte once, then end of stream
        Assert.Equal(0, h.Sockets.Recv(fd, buf, 0, 4, h.Now));
    }

    [Fact]
    public void OutOfWindowSegmentGetsAnAckAndIsDropped()
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(P, 100);
        h.Tcp(Peer, P, 101 + 100_000, our, ACK, 65535, new byte[] { 1 });
        Seg s = h.TakeOne();
        Assert.Equal(ACK, s.Flags);
        Assert.Equal(101u, s.Ack);
        Assert.Equal(0, h.Sockets.Connection(fd)!.Readable);
    }

    [Fact]
    public void ActiveOpenSendsSynWithMssAndCompletesOnSynAck()
    {
        var h = new SegmentHarness();
        int fd = h.Sockets.Connect(SegmentHarness.PeerIp, 22, h.Now);
        Seg syn = h.TakeOne();
        Assert.Equal(SYN, syn.Flags);
        Assert.Equal(1460, syn.Mss);
        Assert.Equal(-NetErr.EINPROGRESS, h.Sockets.ConnectStatus(fd));
        h.Input(SegmentHarness.TcpSegment(22, syn.SrcPort, 9000, syn.Seq + 1, SYN | ACK, 4000, mss: 1000));
        Seg ack = h.TakeOne();
        Assert.Equal(ACK, ack.Flags);
        Assert.Equal(9001u, ack.Ack);
        Assert.Equal(syn.Seq + 1, ack.Seq);
        Assert.Equal(0, h.Sockets.ConnectStatus(fd));
        Assert.Equal(1000, h.Sockets.Connection(fd)!.PeerMss);
        // data goes out in MSS-sized pieces within the peer's window
        var data = new byte[3500];
        Assert.Equal(3500, h.Sockets.Send(fd, data, 0, data.Length, h.Now));
        var segs = h.TakeAll();
        Assert.Equal(new[] { 1000, 1000, 1000, 500 }, segs.Select(x => x.Data.Length)); // window 4000 = cwnd (RFC 5681 IW 4 MSS)
        Assert.All(segs, x => Assert.Equal(9001u, x.Ack));
    }

    [Fact]
    public void RstToSynIsConnectionRefused()
    {
        var h = new SegmentHarness();
        int fd = h.Sockets.Connect(SegmentHarness.PeerIp, 22, h.Now);
        Seg syn = h.TakeOne();
        h.Input(SegmentHarness.TcpSegment(22, syn.SrcPort, 0, syn.Seq + 1, RST | ACK, 0));
        Assert.Equal(-NetErr.ECONNREFUSED, h.Sockets.ConnectStatus(fd));
        h.Sockets.Close(fd, h.Now);
        Assert.Equal(0, h.Stack.Tcp.InUse);
    }

    [Fact]
    public void SynIsRetransmittedWithBackoffThenConnectTimesOut()
    {
        var h = new SegmentHarness(c => c.MaxRetries = 3);
        int fd = h.Sockets.Connect(SegmentHarness.PeerIp, 22, h.Now);
        Seg syn = h.TakeOne();
        long[] gaps = { 1000, 2000, 4000 };
        foreach (long g in gaps)
        {
            h.Advance(g - 1);
            h.ExpectNothing();
            h.Advance(1);
            Seg again = h.TakeOne();
            Assert.Equal(SYN, again.Flags);
            Assert.Equal(syn.Seq, again.Seq);
        }
        h.Advance(8000);
        Assert.Equal(-NetErr.ETIMEDOUT, h.Sockets.ConnectStatus(fd));
        h.Sockets.Close(fd, h.Now);
        Assert.Equal(0, h.Stack.Tcp.InUse);
    }

    [Fact]
    public void UnacknowledgedDataIsRetransmittedAfterTheRto()
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(P, 100);
        Assert.Equal(4, h.Sockets.Send(fd, new byte[] { 1, 2, 3, 4 }, 0, 4, h.Now));
        Seg first = h.TakeOne();
        Assert.Equal(our, first.Seq);
        long rto = h.Sockets.Connection(fd)!.CurrentRto;
        h.Advance(rto - 1);
        h.ExpectNothing();
        h.Advance(1);
        Seg again = h.TakeOne();
        Assert.Equal(our, again.Seq);
        Assert.Equal(first.Data, again.Data);
        Assert.Equal(2 * rto, h.Sockets.Connection(fd)!.CurrentRto); // backed off
        h.Tcp(Peer, P, 101, our + 4, ACK, 65535);
        h.ExpectNothing();
        Assert.Equal(0, h.Sockets.Connection(fd)!.Unacked);
    }

    [Fact]
    public void ThreeDuplicateAcksTriggerFastRetransmit()
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(P, 100);
        var data = new byte[3 * 1460];
        h.Sockets.Send(fd, data, 0, data.Length, h.Now);
        Assert.Equal(3, h.TakeAll().Count); // RFC 5681 initial window: 4380 bytes
        for (int i = 0; i < 2; i++)
        {
            h.Tcp(Peer, P, 101, our, ACK, 65535);
            h.ExpectNothing();
        }
        h.Tcp(Peer, P, 101, our, ACK, 65535);
        Seg r = h.TakeOne();
        Assert.Equal(our, r.Seq);
        Assert.Equal(1460, r.Data.Length);
        Assert.Equal(1, h.Stack.Stats.TcpFastRetransmits);
    }

    [Fact]
    public void ZeroWindowIsProbedAndSendingResumesOnWindowUpdate()
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(P, 100, peerWindow: 0);
        Assert.Equal(10, h.Sockets.Send(fd, new byte[10], 0, 10, h.Now));
        h.ExpectNothing(); // window closed: nothing sent
        long rto = h.Sockets.Connection(fd)!.CurrentRto;
        h.Advance(rto);
        Seg probe = h.TakeOne();
        Assert.Single(probe.Data);
        Assert.Equal(our, probe.Seq);
        h.Tcp(Peer, P, 101, our, ACK, 0); // still closed
        h.ExpectNothing();
        h.Advance(2 * rto);
        Seg probe2 = h.TakeOne();
        Assert.Equal(our, probe2.Seq); // the same byte again, backed off
        Assert.Equal(2, h.Stack.Stats.TcpZeroWindowProbes);
        h.Tcp(Peer, P, 101, our + 1, ACK, 4000); // the byte fit; window open
        Seg rest = h.TakeOne();
        Assert.Equal(our + 1, rest.Seq);
        Assert.Equal(9, rest.Data.Length);
    }

    [Fact]
    public void FullReceiveBufferAdvertisesZeroThenAWindowUpdateAfterReading()
    {
        var h = new SegmentHarness(c => c.RecvBuffer = 2000);
        var (_, fd, our) = h.Establish(P, 100);
        h.Tcp(Peer, P, 101, our, ACK, 65535, new byte[1460]);
        Assert.Equal(540, h.TakeOne().Window);
        h.Tcp(Peer, P, 1561, our, ACK, 65535, new byte[540]);
        Seg full = h.TakeOne();
        Assert.Equal(0, full.Window);
        Assert.Equal(2101u, full.Ack);
        h.Tcp(Peer, P, 2101, our, ACK, 65535, new byte[1]); // beyond a zero window: dropped, ACKed
        Assert.Equal(2101u, h.TakeOne().Ack);
        var buf = new byte[2000];
        Assert.Equal(500, h.Sockets.Recv(fd, buf, 0, 500, h.Now));
        h.ExpectNothing(); // 500 < min(MSS, buffer/2): no update yet
        Assert.Equal(1000, h.Sockets.Recv(fd, buf, 0, 1000, h.Now));
        Seg upd = h.TakeOne();
        Assert.Equal(ACK, upd.Flags);
        Assert.Equal(1500, upd.Window);
    }

    [Fact]
    public void BacklogLimitsPendingConnections()
    {
        var h = new SegmentHarness();
        int lfd = h.Sockets.Listen(P, 1);
        h.Tcp(40001, P, 1, 0, SYN, 1000);
        Seg sa = h.TakeOne();
        h.Tcp(40002, P, 1, 0, SYN, 1000);
        h.ExpectNothing(); // backlog full: ignored, the client retries
        h.Tcp(40001, P, 2, sa.Seq + 1, ACK, 1000);
        int fd = h.Sockets.Accept(lfd);
        Assert.True(fd >= 0);
        h.Tcp(40002, P, 1, 0, SYN, 1000);
        Assert.Equal(SYN | ACK, h.TakeOne().Flags); // room again after accept
        h.Sockets.Close(lfd, h.Now); // the pending one is reset and freed
        Assert.Equal(RST, h.TakeOne().Flags);
        Assert.Equal(1, h.Stack.Tcp.InUse);
    }

    [Fact]
    public void LostSynAckIsRetransmittedAndADuplicateSynGetsItAgain()
    {
        var h = new SegmentHarness();
        h.Sockets.Listen(P, 1);
        h.Tcp(Peer, P, 1, 0, SYN, 1000);
        Seg sa = h.TakeOne();
        h.Tcp(Peer, P, 1, 0, SYN, 1000); // client retransmits its SYN
        Seg again = h.TakeOne();
        Assert.Equal(SYN | ACK, again.Flags);
        Assert.Equal(sa.Seq, again.Seq);
        h.Advance(1000);
        Assert.Equal(SYN | ACK, h.TakeOne().Flags);
    }

    [Fact]
    public void BadChecksumIsDropped()
    {
        var h = new SegmentHarness();
        h.Sockets.Listen(P, 1);
        byte[] f = SegmentHarness.TcpSegment(Peer, P, 1, 0, SYN, 1000);
        f[^1] ^= 0x55; // the last byte is in the TCP header: checksum now wrong
        h.Input(f);
        h.ExpectNothing();
        Assert.Equal(1, h.Stack.Stats.BadChecksum);
    }
    // ---- the remaining RFC 9293 transitions (figure 5), one segment at a time ----

    /// <summary>SYN_SENT -> SYN_RECEIVED (their SYN crosses ours) -> ESTABLISHED (their SYN-ACK), RFC 9293 figure 7.</summary>
    [Fact]
    public void SimultaneousOpenGoesThroughSynReceivedToEstablished()
    {
        var h = new SegmentHarness();
        int fd = h.Sockets.Connect(SegmentHarness.PeerIp, 22, h.Now);
        Seg syn = h.TakeOne();
        Assert.Equal(SYN, syn.Flags);
        h.Input(SegmentHarness.TcpSegment(22, syn.SrcPort, 300, 0, SYN, 8000, mss: 1000)); // their SYN, no ACK
        Seg synAck = h.TakeOne();
        Assert.Equal(SYN | ACK, synAck.Flags);
        Assert.Equal(syn.Seq, synAck.Seq); // our ISS again, now with an ACK
        Assert.Equal(301u, synAck.Ack);
        Assert.Equal(1460, synAck.Mss);
        Assert.Equal(TcpState.SynReceived, h.Sockets.State(fd));
        Assert.Equal(-NetErr.EINPROGRESS, h.Sockets.ConnectStatus(fd));
        h.Input(SegmentHarness.TcpSegment(22, syn.SrcPort, 300, syn.Seq + 1, SYN | ACK, 8000, mss: 1000)); // their SYN-ACK
        h.ExpectNothing(); // both sides are synchronized: nothing to answer
        Assert.Equal(TcpState.Established, h.Sockets.State(fd));
        Assert.Equal(0, h.Sockets.ConnectStatus(fd));
        Assert.Equal(1000, h.Sockets.Connection(fd)!.PeerMss);
        Assert.Equal(3, h.Sockets.Send(fd, new byte[] { 1, 2, 3 }, 0, 3, h.Now));
        Seg data = h.TakeOne();
        Assert.Equal(syn.Seq + 1, data.Seq);
        Assert.Equal(301u, data.Ack);
        Assert.Equal(new byte[] { 1, 2, 3 }, data.Data);
    }

    /// <summary>SYN_RECEIVED -> FIN_WAIT_1 on close: the FIN is queued until the handshake completes (RFC 9293
    /// 3.10.4, "queue for processing after entering ESTABLISHED"), then it goes out after the SYN is acknowledged;
    /// the ACK of the SYN alone does not count as the ACK of the FIN.</summary>
    [Fact]
    public void CloseInSynReceivedSendsTheFinOnceTheSynIsAcknowledged()
    {
        var h = new SegmentHarness(c => c.TimeWaitMs = 100);
        int fd = h.Sockets.Connect(SegmentHarness.PeerIp, 22, h.Now);
        Seg syn = h.TakeOne();
        h.Input(SegmentHarness.TcpSegment(22, syn.SrcPort, 300, 0, SYN, 8000));
        Assert.Equal(SYN | ACK, h.TakeOne().Flags);
        TcpConnection c = h.Sockets.Connection(fd)!;
        Assert.Equal(0, h.Sockets.Close(fd, h.Now));
        h.ExpectNothing(); // no FIN before our SYN is acknowledged
        Assert.Equal(TcpState.SynReceived, c.State);
        h.Input(SegmentHarness.TcpSegment(22, syn.SrcPort, 301, syn.Seq + 1, ACK, 8000)); // acknowledges the SYN only
        Seg fin = h.TakeOne();
        Assert.Equal(FIN | ACK, fin.Flags);
        Assert.Equal(syn.Seq + 1, fin.Seq);
        Assert.Equal(301u, fin.Ack);
        Assert.Equal(TcpState.FinWait1, c.State);
        h.Input(SegmentHarness.TcpSegment(22, syn.SrcPort, 301, syn.Seq + 2, ACK, 8000)); // now the FIN
        h.ExpectNothing();
        Assert.Equal(TcpState.FinWait2, c.State);
        h.Input(SegmentHarness.TcpSegment(22, syn.SrcPort, 301, syn.Seq + 2, FIN | ACK, 8000));
        Assert.Equal(302u, h.TakeOne().Ack);
        Assert.Equal(TcpState.TimeWait, c.State);
        h.Advance(100);
        Assert.Equal(0, h.Stack.Tcp.InUse);
    }

    /// <summary>SYN_SENT -> CLOSED on close: nothing is sent, the block is freed at once, and a late SYN-ACK finds no
    /// connection and is reset.</summary>
    [Fact]
    public void CloseInSynSentFreesTheBlockAndALateSynAckIsReset()
    {
        var h = new SegmentHarness();
        int fd = h.Sockets.Connect(SegmentHarness.PeerIp, 22, h.Now);
        Seg syn = h.TakeOne();
        Assert.Equal(1, h.Stack.Tcp.InUse);
        Assert.Equal(0, h.Sockets.Close(fd, h.Now));
        h.ExpectNothing();
        Assert.Equal(0, h.Stack.Tcp.InUse);
        h.Advance(5000);
        h.ExpectNothing(); // no SYN retransmission from a freed block
        h.Input(SegmentHarness.TcpSegment(22, syn.SrcPort, 9000, syn.Seq + 1, SYN | ACK, 4000));
        Seg rst = h.TakeOne();
        Assert.Equal(RST, rst.Flags);
        Assert.Equal(syn.Seq + 1, rst.Seq);
    }

    /// <summary>SYN_RECEIVED -> LISTEN on a RST (RFC 9293 3.10.7.4): the embryonic block is dropped, the listener
    /// stays, its backlog slot is free again.</summary>
    [Fact]
    public void RstInSynReceivedDropsTheEmbryonicConnectionAndTheListenerStays()
    {
        var h = new SegmentHarness();
        int lfd = h.Sockets.Listen(P, 1);
        h.Tcp(Peer, P, 5000, 0, SYN, 8192);
        Seg sa = h.TakeOne();
        Assert.Equal(2, h.Stack.Tcp.InUse);
        h.Tcp(Peer, P, 5001, 0, RST, 0);
        h.ExpectNothing();
        Assert.Equal(1, h.Stack.Tcp.InUse);
        Assert.Equal(-NetErr.EAGAIN, h.Sockets.Accept(lfd));
        h.Advance(3000);
        h.ExpectNothing(); // no SYN-ACK retransmission for the dropped block
        h.Tcp(Peer, P, 5001, sa.Seq + 1, ACK, 8192); // the old handshake's ACK: no connection, reset
        Assert.Equal(RST, h.TakeOne().Flags);
        h.Tcp(40001, P, 7000, 0, SYN, 8192); // backlog (1) has room again
        Assert.Equal(SYN | ACK, h.TakeOne().Flags);
    }

    /// <summary>FIN_WAIT_1 -> TIME_WAIT in one step: the peer's FIN acknowledges ours.</summary>
    [Fact]
    public void FinThatAcknowledgesOurFinGoesFromFinWait1StraightToTimeWait()
    {
        var h = new SegmentHarness(c => c.TimeWaitMs = 500);
        var (lfd, fd, our) = h.Establish(P, 100);
        TcpConnection c = h.Sockets.Connection(fd)!;
        Assert.Equal(0, h.Sockets.Close(fd, h.Now));
        Seg fin = h.TakeOne();
        Assert.Equal(FIN | ACK, fin.Flags);
        Assert.Equal(TcpState.FinWait1, c.State);
        h.Tcp(Peer, P, 101, our + 1, FIN | ACK, 65535);
        Seg ack = h.TakeOne();
        Assert.Equal(ACK, ack.Flags);
        Assert.Equal(our + 1, ack.Seq);
        Assert.Equal(102u, ack.Ack);
        Assert.Equal(TcpState.TimeWait, c.State);
        h.Advance(499);
        Assert.Equal(2, h.Stack.Tcp.InUse);
        h.Advance(1);
        Assert.Equal(1, h.Stack.Tcp.InUse);
        h.Sockets.Close(lfd, h.Now);
    }

    /// <summary>Half close: ESTABLISHED -> FIN_WAIT_1 -> FIN_WAIT_2 on shutdown, and data keeps arriving (ACKed and
    /// delivered) until the peer's FIN, then end of stream.</summary>
    [Fact]
    public void HalfClosedConnectionKeepsReceivingInFinWait2()
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(P, 100);
        Assert.Equal(0, h.Sockets.Shutdown(fd, h.Now));
        Assert.Equal(FIN | ACK, h.TakeOne().Flags);
        Assert.Equal(-NetErr.EPIPE, h.Sockets.Send(fd, new byte[1], 0, 1, h.Now));
        h.Tcp(Peer, P, 101, our + 1, ACK, 65535);
        h.ExpectNothing();
        Assert.Equal(TcpState.FinWait2, h.Sockets.State(fd));
        h.Tcp(Peer, P, 101, our + 1, ACK | PSH, 65535, new byte[] { 4, 5, 6 });
        Seg s = h.TakeOne();
        Assert.Equal(104u, s.Ack);
        Assert.Equal(our + 1, s.Seq);
        h.Tcp(Peer, P, 104, our + 1, FIN | ACK, 65535);
        Assert.Equal(105u, h.TakeOne().Ack);
        Assert.Equal(TcpState.TimeWait, h.Sockets.State(fd));
        var buf = new byte[8];
        Assert.Equal(3, h.Sockets.Recv(fd, buf, 0, 8, h.Now));
        Assert.Equal(new byte[] { 4, 5, 6 }, buf.Take(3));
        Assert.Equal(0, h.Sockets.Recv(fd, buf, 0, 8, h.Now));
    }

    /// <summary>FIN_WAIT_2 -> CLOSED when the application has closed and the peer never sends its FIN (the
    /// FIN_WAIT_2 timer); a later segment of that connection is reset.</summary>
    [Fact]
    public void FinWait2TimesOutAfterCloseWhenThePeerNeverFinishes()
    {
        var h = new SegmentHarness(c => c.FinWait2Ms = 5000);
        var (lfd, fd, our) = h.Establish(P, 100);
        Assert.Equal(0, h.Sockets.Close(fd, h.Now));
        h.TakeOne();
        h.Tcp(Peer, P, 101, our + 1, ACK, 65535);
        h.ExpectNothing();
        Assert.Equal(TcpState.FinWait2, h.Stack.Tcp.Block(1).State);
        h.Advance(4999);
        Assert.Equal(2, h.Stack.Tcp.InUse);
        h.Advance(1);
        Assert.Equal(1, h.Stack.Tcp.InUse);
        h.Tcp(Peer, P, 101, our + 1, ACK, 65535, new byte[] { 1 });
        Assert.Equal(RST, h.TakeOne().Flags); // reaches the listener: an ACK to a listening port is reset
        h.Sockets.Close(lfd, h.Now);
        Assert.Equal(0, h.Stack.Tcp.InUse);
    }

    /// <summary>ESTABLISHED -> CLOSED when retransmissions run out: a RST goes to the peer, the application sees
    /// ETIMEDOUT, the block is freed at close.</summary>
    [Fact]
    public void DataRetransmissionsGiveUpWithAResetAndEtimedout()
    {
        var h = new SegmentHarness(c => c.MaxRetries = 2);
        var (lfd, fd, our) = h.Establish(P, 100);
        Assert.Equal(2, h.Sockets.Send(fd, new byte[] { 1, 2 }, 0, 2, h.Now));
        Assert.Equal(our, h.TakeOne().Seq);
        TcpConnection c = h.Sockets.Connection(fd)!;
        for (int i = 0; i < 2; i++)
        {
            h.Advance(c.CurrentRto);
            Seg again = h.TakeOne();
            Assert.Equal(our, again.Seq);
            Assert.Equal(2, again.Data.Length);
        }
        h.Advance(c.CurrentRto);
        Seg rst = h.TakeOne();
        Assert.Equal(RST, rst.Flags);
        Assert.Equal(our + 2, rst.Seq);
        Assert.Equal(TcpState.Closed, c.State);
        var buf = new byte[4];
        Assert.Equal(-NetErr.ETIMEDOUT, h.Sockets.Recv(fd, buf, 0, 4, h.Now));
        Assert.Equal(-NetErr.ETIMEDOUT, h.Sockets.Send(fd, buf, 0, 4, h.Now));
        Assert.Equal(0, h.Sockets.Close(fd, h.Now));
        h.Sockets.Close(lfd, h.Now);
        Assert.Equal(0, h.Stack.Tcp.InUse);
    }

    /// <summary>CLOSE_WAIT: the side that got the FIN can still send (RFC 9293 half-open data after the peer's FIN).</summary>
    [Fact]
    public void CloseWaitStillSendsDataThenTheFin()
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(P, 100);
        h.Tcp(Peer, P, 101, our, FIN | ACK, 65535);
        Assert.Equal(102u, h.TakeOne().Ack);
        Assert.Equal(TcpState.CloseWait, h.Sockets.State(fd));
        Assert.Equal(4, h.Sockets.Send(fd, new byte[] { 9, 8, 7, 6 }, 0, 4, h.Now));
        Seg d = h.TakeOne();
        Assert.Equal(our, d.Seq);
        Assert.Equal(102u, d.Ack);
        Assert.Equal(new byte[] { 9, 8, 7, 6 }, d.Data);
        Assert.Equal(0, h.Sockets.Close(fd, h.Now));
        Seg fin = h.TakeOne();
        Assert.Equal(FIN | ACK, fin.Flags);
        Assert.Equal(our + 4, fin.Seq);
        h.Tcp(Peer, P, 102, our + 5, ACK, 65535);
        h.ExpectNothing();
        Assert.Equal(1, h.Stack.Tcp.InUse);
    }
}
