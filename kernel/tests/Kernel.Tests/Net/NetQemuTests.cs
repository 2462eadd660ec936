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
        string fwd = $"user,id=n0,hostfwd=tcp:127.0.0.1:{EchoPort}-:7,hostfwd=tcp:127.0.0.1:{ControlPort}-:8,hostfwd=tcp:127.0.0.1:{HttpPort}-:80";
        Qemu = NetQemu.Start("net-serve", new[] { "-netdev", fwd, "-device", "e1000,netdev=n0" });
        Ready = Qemu.WaitForLine(l => l.StartsWith("net: ready", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    public NetQemu Qemu { get; }

    public bool Ready { get; }

    public int EchoPort { get; }

    public int ControlPort { get; }

    public int HttpPort { get; }

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

/// <summary>Host client to the kernel's echo server and kernel client to a host server, through slirp; double
/// listen; the HTTP page. (Slirp cannot forward ICMP to the guest: host-to-kernel ping is in the tap test.)</summary>
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
            Thread.Sleep(3000); // TIME_WAIT (2 s in the kernel) runs out
            string stats = _k.Control("stats", TimeSpan.FromSeconds(10));
            // listeners 7, 8, 80 and the control connection itself
            Assert.StartsWith("ok tcp_in_use=4 handles=4", stats);
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
