using System;
using System.Diagnostics;
using Kernel.Services.Net;
using Xunit;
using Xunit.Abstractions;

namespace Kernel.Tests.Net;

/// <summary>Figures for docs (printed, one run): in-process stack-to-stack throughput over a clean simulated link
/// against memcpy bandwidth on the same machine, and the simulated round-trip time.</summary>
public sealed class NetMeasureTests
{
    private readonly ITestOutputHelper _out;

    public NetMeasureTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void StackToStackThroughputAgainstMemcpy()
    {
        const int size = 8 << 20;
        var link = new SimLink(1, LinkProfile.Clean, c => { c.RecvBuffer = 65535; c.SendBuffer = 65535; c.MaxConnections = 4; },
            c => { c.RecvBuffer = 65535; c.SendBuffer = 65535; c.MaxConnections = 4; });
        var data = new byte[size];
        new Random(1).NextBytes(data);
        var got = new byte[size];
        int lfd = link.SocketsB.Listen(5001, 1);
        int cfd = link.SocketsA.Connect(link.B.Ip, 5001, link.Now);
        Assert.Equal(0, NetIo.WaitConnected(link.SocketsA, cfd, link.Waiter(10_000)));
        int sfd = NetIo.AcceptWait(link.SocketsB, lfd, link.Waiter(10_000));
        int read = 0;
        link.OnStep = () =>
        {
            while (read < size)
            {
                int r = link.SocketsB.Recv(sfd, got, read, size - read, link.Now);
                if (r <= 0)
                {
                    break;
                }
                read += r;
            }
        };
        var sw = Stopwatch.StartNew();
        long t0 = link.Now;
        Assert.Equal(size, NetIo.WriteAll(link.SocketsA, cfd, data, 0, size, link.Waiter(10_000_000)));
        Assert.True(link.RunUntil(() => read == size, 10_000_000));
        sw.Stop();
        long simMs = link.Now - t0;
        Assert.Equal(data, got);

        var copy = new byte[size];
        var mc = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++)
        {
            Buffer.BlockCopy(data, 0, copy, 0, size);
        }
        mc.Stop();
        double stackMBs = size / 1e6 / sw.Elapsed.TotalSeconds;
        double memcpyMBs = 20 * size / 1e6 / mc.Elapsed.TotalSeconds;
        TcpConnection? c = link.SocketsA.Connection(cfd);
        _out.WriteLine($"stack-to-stack: {size} bytes in {sw.ElapsedMilliseconds} ms wall = {stackMBs:F1} MB/s; memcpy {memcpyMBs:F0} MB/s; ratio {stackMBs / memcpyMBs:P2}");
        _out.WriteLine($"simulated: {simMs} ms at 1 ms one-way delay, srtt {c?.SmoothedRtt} ms, frames {link.FramesCarried}");
        Assert.True(stackMBs > 0);
    }
}
