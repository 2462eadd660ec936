using System;
using System.Security.Cryptography;
using Kernel.Services.Net;
using Xunit;

namespace Kernel.Tests.Net;

/// <summary>Two stacks over the simulated link: echo transfers of 0 bytes and 1 byte to 4 MiB (around the MSS and
/// buffer sizes, exactly 54,240) with the "kernel" stack (A) as server and as client, byte-exact (SHA-256), and the
/// seed-001 case: a peer that sends exactly N bytes and closes at once while the reader is slow. Every test ends with every pool back to zero.</summary>
public sealed class TcpTransferTests
{
    private const ushort Port = 7;

    private static byte[] Data(int size, int seed)
    {
        var b = new byte[size];
        new Random(seed).NextBytes(b);
        return b;
    }

    /// <summary>Client sends the data, half-closes, reads the echo to end of stream; the server echoes until the
    /// client's FIN, then closes. Returns the bytes the client got back.</summary>
    private static byte[] Echo(SimLink link, bool kernelIsServer, byte[] data, long maxMs, int readChunk = 1 << 16)
    {
        Sockets server = kernelIsServer ? link.SocketsA : link.SocketsB;
        Sockets client = kernelIsServer ? link.SocketsB : link.SocketsA;
        NetStack serverStack = kernelIsServer ? link.A : link.B;
        int lfd = server.Listen(Port, 4);
        Assert.True(lfd >= 0, "listen: " + NetErr.Name(lfd));
        int cfd = client.Connect(serverStack.Ip, Port, link.Now);
        Assert.True(cfd >= 0, "connect: " + NetErr.Name(cfd));

        int sfd = -1;
        var echoBuf = new byte[8192];
        int echoHave = 0;
        bool serverEof = false;
        bool serverClosed = false;
        int sent = 0;
        bool shut = false;
        var got = new byte[data.Length];
        int gotN = 0;
        bool clientEof = false;
        var chunk = new byte[readChunk];

        link.OnStep = () =>
        {
            long now = link.Now;
            // server: accept, echo
            if (sfd < 0)
            {
                int a = server.Accept(lfd);
                if (a >= 0)
                {
                    sfd = a;
                }
            }
            if (sfd >= 0 && !serverClosed)
            {
                while (true)
                {
                    if (echoHave > 0)
                    {
                        int w = server.Send(sfd, echoBuf, 0, echoHave, now);
                        if (w > 0)
                        {
                            Buffer.BlockCopy(echoBuf, w, echoBuf, 0, echoHave - w);
                            echoHave -= w;
                        }
                        else
                        {
                            Assert.Equal(-NetErr.EAGAIN, w);
                        }
                    }
                    if (serverEof || echoHave == echoBuf.Length)
                    {
                        break;
                    }
                    int r = server.Recv(sfd, echoBuf, echoHave, echoBuf.Length - echoHave, now);
                    if (r > 0)
                    {
                        echoHave += r;
                        continue;
                    }
                    if (r == 0)
                    {
                        serverEof = true;
                        continue;
                    }
                    Assert.Equal(-NetErr.EAGAIN, r);
                    break;
                }
                if (serverEof && echoHave == 0)
                {
                    Assert.Equal(0, server.Close(sfd, now));
                    serverClosed = true;
                }
            }
            // client: send, half-close, read the echo
            if (client.ConnectStatus(cfd) == 0 || client.State(cfd) != TcpState.SynSent)
            {
                while (sent < data.Length)
                {
                    int w = client.Send(cfd, data, sent, data.Length - sent, now);
                    if (w <= 0)
                    {
                        Assert.Equal(-NetErr.EAGAIN, w);
                        break;
                    }
                    sent += w;
                }
                if (sent == data.Length && !shut)
                {
                    Assert.Equal(0, client.Shutdown(cfd, now));
                    shut = true;
                }
                while (!clientEof)
                {
                    int r = client.Recv(cfd, chunk, 0, chunk.Length, now);
                    if (r > 0)
                    {
                        Assert.True(gotN + r <= got.Length, "more bytes echoed than sent");
                        Buffer.BlockCopy(chunk, 0, got, gotN, r);
                        gotN += r;
                        continue;
                    }
                    if (r == 0)
                    {
                        clientEof = true;
                        break;
                    }
                    Assert.Equal(-NetErr.EAGAIN, r);
                    break;
                }
            }
        };
        bool done = link.RunUntil(() => clientEof && serverClosed, maxMs);
        link.OnStep = null;
        Assert.True(done, $"transfer did not finish by t={link.Now}: sent {sent}, echoed back {gotN} of {data.Length}, " +
            $"client {client.State(cfd)}, server {(sfd >= 0 ? server.State(sfd).ToString() : "not accepted")}");
        Assert.Equal(0, client.Close(cfd, link.Now));
        Assert.Equal(0, server.Close(lfd, link.Now));
        Assert.Equal(data.Length, gotN);
        return got;
    }

    private static void AssertNoLeaks(SimLink link)
    {
        // TIME_WAIT ends, then every block is back in its pool
        Assert.True(link.RunUntil(() => link.A.Tcp.InUse == 0 && link.B.Tcp.InUse == 0, 20_000),
            $"leak: A holds {link.A.Tcp.InUse} ({link.A.Tcp.Describe()}), B holds {link.B.Tcp.InUse} ({link.B.Tcp.Describe()}) TCP blocks");
        Assert.Equal(0, link.SocketsA.Open);
        Assert.Equal(0, link.SocketsB.Open);
        Assert.Equal(link.A.Tcp.Allocations, link.A.Tcp.Frees);
        Assert.Equal(link.B.Tcp.Allocations, link.B.Tcp.Frees);
    }

    public static TheoryData<int, bool> Sizes()
    {
        var d = new TheoryData<int, bool>();
        foreach (int size in new[] { 0, 1, 2, 535, 1459, 1460, 1461, 2920, 4097, 16_384, 16_385, 54_239, 54_240, 54_241, 65_535, 65_536, 100_003, 1 << 20, (4 << 20) - 1, 4 << 20 })
        {
            d.Add(size, true);
            d.Add(size, false);
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void EchoIsByteExactOverACleanLink(int size, bool kernelIsServer)
    {
        var link = new SimLink(size ^ (kernelIsServer ? 1 : 2), LinkProfile.Clean);
        byte[] data = Data(size, size);
        byte[] got = Echo(link, kernelIsServer, data, 600_000);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(got));
        AssertNoLeaks(link);
    }

    public static TheoryData<int, bool, int> LossySizes()
    {
        var d = new TheoryData<int, bool, int>();
        foreach (int size in new[] { 1, 1461, 54_240, 200_001, 1 << 20 })
        {
            for (int seed = 1; seed <= 2; seed++)
            {
                d.Add(size, true, seed);
                d.Add(size, false, seed);
            }
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(LossySizes))]
    public void EchoIsByteExactWithLossDuplicationAndReordering(int size, bool kernelIsServer, int seed)
    {
        var link = new SimLink(seed * 1000 + size % 997, LinkProfile.Lossy);
        byte[] data = Data(size, seed + size);
        byte[] got = Echo(link, kernelIsServer, data, 3_600_000);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(got));
        Assert.True(link.FramesLost > 0 || size < 10_000, "the lossy link lost nothing");
        AssertNoLeaks(link);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FourMiBWithLossAndSmallBuffers(bool kernelIsServer)
    {
        var link = new SimLink(kernelIsServer ? 4242 : 4343, new LinkProfile(Loss: 0.01, Duplicate: 0.01, Reorder: 0.02, DelayMs: 1, JitterMs: 2),
            c => { c.RecvBuffer = 4096; c.SendBuffer = 4096; }, c => { c.RecvBuffer = 6000; c.SendBuffer = 3000; });
        byte[] data = Data(4 << 20, 99);
        byte[] got = Echo(link, kernelIsServer, data, 7_200_000);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(got));
        AssertNoLeaks(link);
    }

    /// <summary>Seed 001: the peer sends exactly N bytes and closes at once; the kernel's reader is slow. It must get
    /// all N bytes, then end of stream (the FIN never discards buffered data).</summary>
    [Theory]
    [InlineData(54_240, 65_535, 0)]
    [InlineData(54_240, 4096, 0)]
    [InlineData(54_240, 16_384, 1)]
    [InlineData(100_000, 8192, 2)]
    [InlineData(1, 4096, 3)]
    [InlineData(1460, 1460, 4)]
    public void SlowReaderGetsEveryByteThenEndOfStreamAfterPeerCloses(int n, int recvBuffer, int seed)
    {
        var link = new SimLink(seed + 17, seed == 0 ? LinkProfile.Clean : LinkProfile.Lossy, c => c.RecvBuffer = recvBuffer,
            c => c.SendBuffer = Math.Max(n, 16_384)); // the peer queues all N bytes at once, then closes
        byte[] data = Data(n, seed);
        int lfd = link.SocketsA.Listen(8080, 1);
        Assert.True(lfd >= 0);
        int pfd = link.SocketsB.Connect(link.A.Ip, 8080, link.Now);
        int psent = 0;
        bool pclosed = false;
        link.OnStep = () =>
        {
            if (pclosed || link.SocketsB.ConnectStatus(pfd) != 0)
            {
                return;
            }
            while (psent < n)
            {
                int w = link.SocketsB.Send(pfd, data, psent, n - psent, link.Now);
                if (w <= 0)
                {
                    return;
                }
                psent += w;
            }
            Assert.Equal(0, link.SocketsB.Close(pfd, link.Now)); // all queued: close at once
            pclosed = true;
        };
        int kfd = NetIo.AcceptWait(link.SocketsA, lfd, link.Waiter(60_000));
        Assert.True(kfd >= 0, "accept: " + NetErr.Name(kfd));
        // let the peer finish and its FIN arrive before the reader reads anything
        Assert.True(link.RunUntil(() => pclosed, 600_000));
        link.Run(200);
        var got = new byte[n];
        int total = 0;
        while (total < n)
        {
            // a slow reader: at most 700 bytes, then 5 ms of doing something else
            int want = Math.Min(700, n - total);
            int r = NetIo.ReadExact(link.SocketsA, kfd, got, total, want, link.Waiter(600_000));
            Assert.True(r > 0, $"read returned {NetErr.Name(r)} ({r}) after {total} of {n} bytes");
            total += r;
            link.Run(5);
        }
        Assert.Equal(n, total);
        Assert.Equal(data, got);
        var one = new byte[1];
        Assert.Equal(0, NetIo.ReadExact(link.SocketsA, kfd, one, 0, 1, link.Waiter(10_000)));
        Assert.Equal(0, link.SocketsA.Recv(kfd, one, 0, 1, link.Now));
        link.OnStep = null;
        Assert.Equal(0, link.SocketsA.Close(kfd, link.Now));
        Assert.Equal(0, link.SocketsA.Close(lfd, link.Now));
        AssertNoLeaks(link);
    }

    [Fact]
    public void WriteAllAndReadExactMoveExactCounts()
    {
        var link = new SimLink(5, LinkProfile.Lossy, c => { c.SendBuffer = 3000; c.RecvBuffer = 3000; });
        byte[] data = Data(54_240, 5);
        int lfd = link.SocketsB.Listen(9000, 2);
        int cfd = link.SocketsA.Connect(link.B.Ip, 9000, link.Now);
        Assert.Equal(0, NetIo.WaitConnected(link.SocketsA, cfd, link.Waiter(30_000)));
        int sfd = NetIo.AcceptWait(link.SocketsB, lfd, link.Waiter(30_000));
        Assert.True(sfd >= 0);
        var got = new byte[data.Length];
        int read = 0;
        link.OnStep = () =>
        {
            while (read < got.Length)
            {
                int r = link.SocketsB.Recv(sfd, got, read, got.Length - read, link.Now);
                if (r <= 0)
                {
                    break;
                }
                read += r;
            }
        };
        Assert.Equal(data.Length, NetIo.WriteAll(link.SocketsA, cfd, data, 0, data.Length, link.Waiter(600_000)));
        Assert.True(link.RunUntil(() => read == data.Length, 600_000));
        link.OnStep = null;
        Assert.Equal(data, got);
        foreach (int fd in new[] { cfd })
        {
            Assert.Equal(0, link.SocketsA.Close(fd, link.Now));
        }
        Assert.Equal(0, link.SocketsB.Close(sfd, link.Now));
        Assert.Equal(0, link.SocketsB.Close(lfd, link.Now));
        AssertNoLeaks(link);
    }

    [Fact]
    public void RttEstimateFollowsTheLinkDelay()
    {
        var link = new SimLink(9, new LinkProfile(DelayMs: 20), c => c.MinRtoMs = 1, c => c.MinRtoMs = 1);
        byte[] got = Echo(link, true, Data(200_000, 9), 600_000);
        Assert.Equal(200_000, got.Length);
        // the estimator's state survives in no pool after close; check through a fresh connection's handshake
        int lfd = link.SocketsB.Listen(9, 1);
        int cfd = link.SocketsA.Connect(link.B.Ip, 9, link.Now);
        Assert.Equal(0, NetIo.WaitConnected(link.SocketsA, cfd, link.Waiter(10_000)));
        TcpConnection? c = link.SocketsA.Connection(cfd);
        Assert.NotNull(c);
        Assert.InRange(c.SmoothedRtt, 39, 43);
        Assert.InRange(c.CurrentRto, 40, 200);
        link.SocketsA.Close(cfd, link.Now);
        link.SocketsB.Close(lfd, link.Now);
        AssertNoLeaks(link);
    }
}
