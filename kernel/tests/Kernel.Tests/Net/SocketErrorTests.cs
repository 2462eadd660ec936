using System;
using Kernel.Services.Net;
using Xunit;

namespace Kernel.Tests.Net;

/// <summary>The socket layer's errno-style results: every call on a bad handle, a bad range, a full handle table,
/// an exhausted connection pool and a wrong state returns the documented negative value, never a fault.</summary>
public sealed class SocketErrorTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(int.MaxValue)]
    public void EveryCallOnABadHandleIsEbadf(int fd)
    {
        var h = new SegmentHarness();
        var buf = new byte[4];
        Assert.Equal(-NetErr.EBADF, h.Sockets.Accept(fd));
        Assert.Equal(-NetErr.EBADF, h.Sockets.ConnectStatus(fd));
        Assert.Equal(-NetErr.EBADF, h.Sockets.Send(fd, buf, 0, 4, h.Now));
        Assert.Equal(-NetErr.EBADF, h.Sockets.Recv(fd, buf, 0, 4, h.Now));
        Assert.Equal(-NetErr.EBADF, h.Sockets.Shutdown(fd, h.Now));
        Assert.Equal(-NetErr.EBADF, h.Sockets.Close(fd, h.Now));
        Assert.Equal(TcpState.Closed, h.Sockets.State(fd));
        Assert.Null(h.Sockets.Connection(fd));
    }

    [Fact]
    public void ClosedHandleIsEbadfAndDoubleCloseIsEbadf()
    {
        var h = new SegmentHarness();
        int lfd = h.Sockets.Listen(80, 1);
        Assert.Equal(0, h.Sockets.Close(lfd, h.Now));
        Assert.Equal(-NetErr.EBADF, h.Sockets.Close(lfd, h.Now));
        Assert.Equal(-NetErr.EBADF, h.Sockets.Accept(lfd));
        Assert.Equal(0, h.Sockets.Open);
    }

    [Theory]
    [InlineData(-1, 2)]
    [InlineData(0, -1)]
    [InlineData(3, 2)]
    [InlineData(0, 5)]
    [InlineData(int.MaxValue, 1)]
    public void ARangeOutsideTheBufferIsEinval(int off, int len)
    {
        var h = new SegmentHarness();
        var (_, fd, our) = h.Establish(80, 100);
        var buf = new byte[4];
        Assert.Equal(-NetErr.EINVAL, h.Sockets.Send(fd, buf, off, len, h.Now));
        Assert.Equal(-NetErr.EINVAL, h.Sockets.Recv(fd, buf, off, len, h.Now));
        h.ExpectNothing();
        _ = our;
    }

    [Theory]
    [InlineData(-1, 2)]
    [InlineData(0, -1)]
    [InlineData(3, 2)]
    [InlineData(int.MaxValue, 1)]
    public void AUdpRangeOutsideTheBufferIsEinval(int off, int len)
    {
        var h = new SegmentHarness();
        UdpSocket? u = h.Stack.Udp.BindAndErr(5000, out int err);
        Assert.NotNull(u);
        Assert.Equal(0, err);
        h.Input(SegmentHarness.IpFrame(17, new byte[] { 0x17, 0x70, 0x13, 0x88, 0, 10, 0, 0, 1, 2 }, SegmentHarness.PeerIp,
            SegmentHarness.OurIp)); // one queued datagram (checksum 0: none)
        Assert.Equal(1, u.Queued);
        var buf = new byte[4];
        Assert.Equal(-NetErr.EINVAL, h.Stack.Udp.SendTo(u, SegmentHarness.PeerIp, 6000, buf, off, len));
        Assert.Equal(-NetErr.EINVAL, h.Stack.Udp.RecvFrom(u, buf, off, len, out _, out _));
        Assert.Empty(h.Out);
        Assert.Equal(1, u.Queued); // a refused receive takes nothing
        Assert.Equal(2, h.Stack.Udp.RecvFrom(u, buf, 0, 4, out uint ip, out ushort port));
        Assert.Equal(SegmentHarness.PeerIp, ip);
        Assert.Equal(6000, port);
        h.Stack.Udp.Unbind(u);
    }

    [Fact]
    public void ListenArgumentsAndStates()
    {
        var h = new SegmentHarness();
        Assert.Equal(-NetErr.EINVAL, h.Sockets.Listen(0, 1));
        Assert.Equal(-NetErr.EINVAL, h.Sockets.Listen(80, 0));
        int lfd = h.Sockets.Listen(80, 1);
        var buf = new byte[4];
        Assert.Equal(-NetErr.ENOTCONN, h.Sockets.Recv(lfd, buf, 0, 4, h.Now));
        Assert.Equal(-NetErr.ENOTCONN, h.Sockets.Send(lfd, buf, 0, 4, h.Now));
        Assert.Equal(-NetErr.ENOTCONN, h.Sockets.Shutdown(lfd, h.Now));
        Assert.Equal(-NetErr.ENOTCONN, h.Sockets.ConnectStatus(lfd));
        int cfd = h.Sockets.Connect(SegmentHarness.PeerIp, 22, h.Now);
        Assert.Equal(-NetErr.EINVAL, h.Sockets.Accept(cfd)); // not a listener
        Assert.Equal(-NetErr.EAGAIN, h.Sockets.Accept(lfd));
        Assert.Equal(0, h.Sockets.Close(cfd, h.Now));
        Assert.Equal(0, h.Sockets.Close(lfd, h.Now));
        Assert.Equal(0, h.Stack.Tcp.InUse);
    }

    [Fact]
    public void FullHandleTableIsEmfileAndExhaustedPoolIsEnobufs()
    {
        var h = new SegmentHarness(c => c.MaxConnections = 3);
        var small = new Sockets(h.Stack, 2);
        int a = small.Listen(1, 1);
        int b = small.Listen(2, 1);
        Assert.True(a >= 0 && b >= 0);
        Assert.Equal(-NetErr.EMFILE, small.Listen(3, 1));
        Assert.Equal(-NetErr.EMFILE, small.Connect(SegmentHarness.PeerIp, 22, h.Now));
        int c3 = h.Sockets.Listen(3, 1); // the third and last block of the pool
        Assert.True(c3 >= 0);
        Assert.Equal(-NetErr.ENOBUFS, h.Sockets.Listen(4, 1));
        Assert.Equal(-NetErr.ENOBUFS, h.Sockets.Connect(SegmentHarness.PeerIp, 22, h.Now));
        Assert.Equal(2, h.Stack.Tcp.AllocationFailures);
        Assert.Equal(0, small.Close(a, h.Now));
        Assert.True(h.Sockets.Listen(4, 1) >= 0); // a freed block is reused
        Assert.Equal(3, h.Stack.Tcp.InUse);
    }

    [Fact]
    public void SendOnAFullBufferIsEagainAndCountsAreExact()
    {
        var h = new SegmentHarness(c => c.SendBuffer = 3000);
        var (_, fd, our) = h.Establish(80, 100, peerWindow: 0);
        var data = new byte[5000];
        Assert.Equal(3000, h.Sockets.Send(fd, data, 0, data.Length, h.Now)); // queued, not all
        Assert.Equal(-NetErr.EAGAIN, h.Sockets.Send(fd, data, 3000, 2000, h.Now));
        Assert.Equal(0, h.Sockets.Send(fd, data, 0, 0, h.Now)); // nothing asked, nothing queued
        Assert.Equal(3000, h.Sockets.Connection(fd)!.Unacked);
        h.ExpectNothing();
        _ = our;
    }
}
