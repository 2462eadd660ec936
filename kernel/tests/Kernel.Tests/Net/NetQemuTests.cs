using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Kernel.Tests.Net;

/// <summary>One kernel boot with QEMU user networking (slirp) and forwarded ports, shared by the tests below.</summary>
public sealed class SlirpKernel : IDisposable
{
    public SlirpKernel()
    {
        EchoPort = NetQemu.FreePort();
        ControlPort = NetQemu.FreePort();
        HttpPort = NetQemu.FreePort();
        SinkPort = NetQemu.FreePort();
        SourcePort = NetQemu.FreePort();
        string fwd = $"user,id=n0,hostfwd=tcp:127.0.0.1:{EchoPort}-:7,hostfwd=tcp:127.0.0.1:{ControlPort}-:8,hostfwd=tcp:127.0.0.1:{HttpPort}-:80"
            + $",hostfwd=tcp:127.0.0.1:{SinkPort}-:9,hostfwd=tcp:127.0.0.1:{SourcePort}-:19";
        Qemu = NetQemu.Start("net-serve", new[] { "-netdev", fwd, "-device", "e1000,netdev=n0" });
        Ready = Qemu.WaitForLine(l => l.StartsWith("net: ready", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    public NetQemu Qemu { get; }

    public bool Ready { get; }

    public int EchoPort { get; }

    public int ControlPort { get; }

    public int HttpPort { get; }

    public int SinkPort { get; }

    public int SourcePort { get; }

    /// <summary>The kernel serves one control connection at a time; tests may run in parallel.</summary>
    public readonly SemaphoreSlim Gate = new(1, 1);

    public string Control(string command, TimeSpan timeout)
    {
        using var c = new TcpClient();
        c.Connect(IPAddress.Loopback, ControlPort);
        c.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        NetworkStream s = c.GetStream();
        s.Write(Encoding.ASCII.GetBytes(command + "\n"));
        using var r = new StreamReader(s, Encoding.ASCII);
        return r.ReadLine() ?? "(connection closed)";
    }

    public void Dispose()
    {
        if (Ready && !Qemu.HasExited)
        {
            try
            {
                Control("quit", TimeSpan.FromSeconds(20));
            }
            catch (IOException)
            {
            }
            catch (SocketException)
            {
            }
            Qemu.WaitForExit(TimeSpan.FromSeconds(20));
        }
        Qemu.Dispose();
    }
}

/// <summary>Host client to the kernel's echo server and kernel client to a host server, host to kernel only (sink)
/// and kernel to host only (source), through slirp; double listen; the HTTP page; the throughput and round-trip
/// figures. (Slirp cannot forward ICMP to the guest: host-to-kernel ping is in the tap test.)</summary>
[Collection("qemu-net")]
public sealed class NetQemuTests : IClassFixture<SlirpKernel>
{
    private readonly SlirpKernel _k;

    public NetQemuTests(SlirpKernel k)
    {
        _k = k;
        Assert.True(k.Ready, "kernel did not get to `net: ready`:\n" + k.Qemu.Log);
    }

    public static TheoryData<int> Sizes() => new() { 1, 1461, 54_240, 100_003, 1 << 20, 4 << 20 };

    private static byte[] EchoThrough(int port, byte[] data, TimeSpan timeout)
    {
        using var c = new TcpClient();
        c.Connect(IPAddress.Loopback, port);
        c.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        c.SendTimeout = (int)timeout.TotalMilliseconds;
        NetworkStream s = c.GetStream();
        var got = new MemoryStream();
        var reader = Task.Run(() =>
        {
            var buf = new byte[65536];
            int n;
            while ((n = s.Read(buf, 0, buf.Length)) > 0)
            {
                got.Write(buf, 0, n);
            }
        });
        s.Write(data);
        c.Client.Shutdown(SocketShutdown.Send);
        Assert.True(reader.Wait(timeout), $"echo of {data.Length} bytes: only {got.Length} back in time");
        return got.ToArray();
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void HostClientToKernelEchoServer(int size)
    {
        _k.Gate.Wait();
        try
        {
            byte[] data = NetQemu.Pattern(size);
            var sw = Stopwatch.StartNew();
            byte[] got = EchoThrough(_k.EchoPort, data, TimeSpan.FromSeconds(120));
            Assert.Equal(data.Length, got.Length);
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(got));
            Console.WriteLine($"echo {size} bytes in {sw.ElapsedMilliseconds} ms");
        }
        finally
        {
            _k.Gate.Release();
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void KernelClientToHostServer(int size)
    {
        _k.Gate.Wait();
        try
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            long received = 0;
            byte[] expect = NetQemu.Pattern(size);
            bool same = true;
            var server = new Thread(() =>
            {
                using TcpClient c = l.AcceptTcpClient();
                NetworkStream s = c.GetStream();
                var buf = new byte[65536];
                int n;
                while ((n = s.Read(buf, 0, buf.Length)) > 0)
                {
                    for (int i = 0; i < n; i++)
                    {
                        same &= received + i < expect.Length && buf[i] == expect[received + i];
                    }
                    received += n;
                    s.Write(buf, 0, n); // echo back: the kernel checks what it reads
                }
                c.Client.Shutdown(SocketShutdown.Send);
            });
            server.Start();
            string answer = _k.Control($"client 10.0.2.2 {port} {size}", TimeSpan.FromSeconds(150));
            Assert.True(server.Join(TimeSpan.FromSeconds(30)), "host server did not finish");
            l.Stop();
            Assert.Equal(size, received);
            Assert.True(same, "host received corrupt data");
            Assert.Equal("ok " + size, answer);
        }
        finally
        {
            _k.Gate.Release();
        }
    }

    public static TheoryData<int> OneWaySizes() => new() { 0, 1, 1461, 54_240, 100_003, 1 << 20, 4 << 20 };

    /// <summary>Host to kernel only: the kernel's sink checks every byte against the pattern and answers the count.</summary>
    [Theory]
    [MemberData(nameof(OneWaySizes))]
    public void HostToKernelSinkGetsEveryByte(int size)
    {
        _k.Gate.Wait();
        try
        {
            var (answer, seconds) = NetQemu.Sink(_k.SinkPort, NetQemu.Pattern(size), TimeSpan.FromSeconds(120));
            Assert.Equal("ok " + size, answer);
            Console.WriteLine($"sink {size} bytes in {seconds * 1000:F0} ms");
        }
        finally
        {
            _k.Gate.Release();
        }
    }

    /// <summary>The sink's check can fail: bytes that are not the pattern are reported as corrupt.</summary>
    [Fact]
    public void SinkReportsBytesThatAreNotThePattern()
    {
        _k.Gate.Wait();
        try
        {
            byte[] data = NetQemu.Pattern(5000);
            data[4321] ^= 0x40;
            Assert.Equal("corrupt 5000", NetQemu.Sink(_k.SinkPort, data, TimeSpan.FromSeconds(60)).Answer);
        }
        finally
        {
            _k.Gate.Release();
        }
    }

    /// <summary>Kernel to host only: the kernel's source sends exactly the bytes asked for, then closes.</summary>
    [Theory]
    [MemberData(nameof(OneWaySizes))]
    public void KernelToHostSourceSendsEveryByte(int size)
    {
        _k.Gate.Wait();
        try
        {
            var (data, seconds) = NetQemu.Source(_k.SourcePort, size, TimeSpan.FromSeconds(120));
            Assert.Equal(size, data.Length);
            Assert.Equal(SHA256.HashData(NetQemu.Pattern(size)), SHA256.HashData(data));
            Console.WriteLine($"source {size} bytes in {seconds * 1000:F0} ms");
        }
        finally
        {
            _k.Gate.Release();
        }
    }

    /// <summary>The figures for docs/performance.md (kernel/scripts/measure-net.sh parses the MEASURE line): host to
    /// kernel and kernel to host throughput through the e1000 and slirp under TCG (KERNEL_NET_MEASURE_MIB MiB each
    /// way, default 8, best of three), and the round-trip time of 32-byte echoes. Every byte is checked.</summary>
    [Fact]
    public void ThroughputAndRoundTripThroughTheNic()
    {
        _k.Gate.Wait();
        try
        {
            int mib = int.TryParse(Environment.GetEnvironmentVariable("KERNEL_NET_MEASURE_MIB"), out int m) && m > 0 ? m : 8;
            int size = mib << 20;
            byte[] data = NetQemu.Pattern(size);
            byte[] hash = SHA256.HashData(data);
            var timeout = TimeSpan.FromSeconds(60 + 30 * mib);
            double sink = double.MaxValue, source = double.MaxValue;
            for (int run = 0; run < 3; run++)
            {
                var (answer, s1) = NetQemu.Sink(_k.SinkPort, data, timeout);
                Assert.Equal("ok " + size, answer);
                sink = Math.Min(sink, s1);
                var (got, s2) = NetQemu.Source(_k.SourcePort, size, timeout);
                Assert.Equal(size, got.Length);
                Assert.Equal(hash, SHA256.HashData(got));
                source = Math.Min(source, s2);
            }
            const int warm = 50, count = 1000, payload = 32;
            double[] rtt = NetQemu.EchoRoundTrips(_k.EchoPort, warm + count, payload, TimeSpan.FromSeconds(30)).Skip(warm).ToArray();
            string stats = _k.Control("stats", TimeSpan.FromSeconds(10));
            Console.WriteLine(FormattableString.Invariant(
                $"MEASURE qemu mib={mib} sink_MBps={size / 1e6 / sink:F2} source_MBps={size / 1e6 / source:F2} rtt_n={count} rtt_payload={payload} rtt_median_us={NetQemu.Percentile(rtt, 0.5):F0} rtt_p10_us={NetQemu.Percentile(rtt, 0.1):F0} rtt_p90_us={NetQemu.Percentile(rtt, 0.9):F0}"));
            Console.WriteLine("MEASURE qemu-stats " + stats);
            Assert.StartsWith("ok ", stats);
        }
        finally
        {
            _k.Gate.Release();
        }
    }

    [Fact]
    public void SecondListenOnTheEchoPortIsEaddrinuse()
    {
        Assert.Contains("net: second listen on port 7: EADDRINUSE", _k.Qemu.Log);
    }

    [Fact]
    public void KernelPingsTheSlirpGateway()
    {
        _k.Gate.Wait();
        try
        {
            Assert.StartsWith("ok reply", _k.Control("ping 10.0.2.2", TimeSpan.FromSeconds(30)));
        }
        finally
        {
            _k.Gate.Release();
        }
    }

    [Fact]
    public void HttpPageFromTheKernel()
    {
        _k.Gate.Wait();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using HttpResponseMessage resp = http.Send(new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_k.HttpPort}/"));
            Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
            string body = new StreamReader(resp.Content.ReadAsStream()).ReadToEnd();
            Assert.Contains("kernel: hello from C#", body);
            Assert.Contains("uptime_ms ", body);
            Assert.Contains("threads live_stacks ", body);
        }
        finally
        {
            _k.Gate.Release();
        }
    }

    [Fact]
    public void NoBlocksLeakAcrossConnections()
    {
        _k.Gate.Wait();
        try
        {
            EchoThrough(_k.EchoPort, NetQemu.Pattern(3000), TimeSpan.FromSeconds(30));
            Assert.Equal("ok 3000", NetQemu.Sink(_k.SinkPort, NetQemu.Pattern(3000), TimeSpan.FromSeconds(30)).Answer);
            Assert.Equal(3000, NetQemu.Source(_k.SourcePort, 3000, TimeSpan.FromSeconds(30)).Data.Length);
            Thread.Sleep(3000); // TIME_WAIT (2 s in the kernel) runs out
            string stats = _k.Control("stats", TimeSpan.FromSeconds(10));
            // listeners 7, 8, 9, 19, 80 and the control connection itself
            Assert.StartsWith("ok tcp_in_use=6 handles=6", stats);
        }
        finally
        {
            _k.Gate.Release();
        }
    }
}

/// <summary>The in-kernel NIC tests are registered only when the boot has an e1000: the multiboot boots of the
/// host runner have one (QEMU's default NIC), so they must be listed there.</summary>
public sealed class InKernelNetListTests
{
    [Fact]
    public void NicTestsAreListedInTheMultibootBoot()
    {
        BootResult list = global::Kernel.Tests.Qemu.BootMultiboot("list", TimeSpan.FromSeconds(30));
        Assert.Equal(BootOutcome.Listed, list.Outcome);
        var names = SerialLog.TestNames(list.Lines).ToList();
        Assert.Contains("net.pci_finds_e1000", names);
        Assert.Contains("net.gateway_arp_and_ping", names);
        Assert.Contains("net.stack_to_stack_54240", names);
        Assert.Contains("net.double_listen_eaddrinuse", names);
    }
}
