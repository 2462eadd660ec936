using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Kernel.Tests.Net;

/// <summary>A fact that needs a network namespace with a tap device: skipped, with the reason, when this machine
/// cannot create one (never reported as passed).</summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> s_reason = new(Probe);

    public NetnsFactAttribute()
    {
        if (s_reason.Value is string reason)
        {
            Skip = reason;
        }
    }

    private static string? Probe()
    {
        string ns = "krnprobe" + Environment.ProcessId;
        var (code, output) = Sh.Run("ip", $"netns add {ns}");
        if (code != 0)
        {
            return "cannot create a network namespace (`ip netns add` exit " + code + "): " + output.Trim();
        }
        try
        {
            var (tcode, toutput) = Sh.Run("ip", $"netns exec {ns} ip tuntap add dev ktapprobe mode tap");
            if (tcode != 0)
            {
                return "cannot create a tap device in a namespace: " + toutput.Trim();
            }
            return null;
        }
        finally
        {
            Sh.Run("ip", $"netns del {ns}");
        }
    }
}

public static class Sh
{
    public static (int Code, string Output) Run(string file, string args, int timeoutMs = 60_000)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using Process p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            string o = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(timeoutMs))
            {
                p.Kill(entireProcessTree: true);
                return (-1, o + "(timeout)");
            }
            return (p.ExitCode, o + err.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}

/// <summary>A real Linux TCP/IP stack as the peer: the kernel's e1000 on a tap device inside a network namespace
/// this test creates (10.0.3.1 = Linux, 10.0.3.2 = our kernel). Linux pings the kernel, a Linux client talks to the
/// kernel's echo server, Linux sends into the kernel's sink and reads its source (timed, a MEASURE line for
/// measure-net.sh), and the kernel's client talks to a Linux server; 1 byte to 4 MiB.</summary>
[Collection("qemu-net")]
public sealed class TapLinuxPeerTests
{
    private const string Helper = """
import socket, sys, threading, time
PERIOD = bytes(((i * 131) ^ (i >> 9)) & 255 for i in range(1 << 17))  # the pattern has period 2^17
def pattern(n):
    return (PERIOD * (n // len(PERIOD) + 1))[:n]
mode = sys.argv[1]
if mode == "echo-client":
    host, port, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    data = pattern(n)
    s = socket.create_connection((host, port), timeout=120)
    got = bytearray()
    def rd():
        while True:
            b = s.recv(65536)
            if not b:
                break
            got.extend(b)
    t = threading.Thread(target=rd)
    t.start()
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    t.join()
    print("ok" if bytes(got) == data else "bad %d of %d" % (len(got), n))
elif mode == "echo-server":
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((sys.argv[2], int(sys.argv[3])))
    l.listen(1)
    print("listening", flush=True)
    c, _ = l.accept()
    total = 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        total += len(b)
        c.sendall(b)
    c.shutdown(socket.SHUT_WR)
    print("served %d" % total, flush=True)
elif mode == "ping":
    import struct, time, select
    def csum(b):
        if len(b) % 2:
            b += b"\0"
        s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
        while s >> 16:
            s = (s & 0xFFFF) + (s >> 16)
        return ~s & 0xFFFF
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    replies = 0
    for seq in range(1, 6):
        payload = bytes(range(32))
        h = struct.pack("!BBHHH", 8, 0, 0, 0x4b4e, seq)
        h = struct.pack("!BBHHH", 8, 0, csum(h + payload), 0x4b4e, seq)
        r.sendto(h + payload, (sys.argv[2], 0))
        end = time.time() + 1.0
        while time.time() < end:
            if not select.select([r], [], [], max(0, end - time.time()))[0]:
                break
            pkt, addr = r.recvfrom(2048)
            ihl = (pkt[0] & 15) * 4
            t, _, _, ident, sq = struct.unpack("!BBHHH", pkt[ihl:ihl + 8])
            if t == 0 and ident == 0x4b4e and sq == seq and csum(pkt[ihl:]) == 0 and pkt[ihl + 8:] == payload:
                replies += 1
                break
    print("replies %d" % replies)
elif mode == "sink":
    host, port, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    data = pattern(n)
    t = time.time()
    s = socket.create_connection((host, port), timeout=120)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    answer = s.makefile().readline().strip()
    print("%s %.6f" % (answer, time.time() - t))
elif mode == "source":
    host, port, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    t = time.time()
    s = socket.create_connection((host, port), timeout=120)
    s.sendall(b"%d\n" % n)
    got = bytearray()
    while True:
        b = s.recv(1 << 16)
        if not b:
            break
        got.extend(b)
    dt = time.time() - t
    print("%s %.6f" % ("ok" if bytes(got) == pattern(n) else "bad %d of %d" % (len(got), n), dt))
elif mode == "rtt":
    host, port, count = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    s = socket.create_connection((host, port), timeout=30)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    times = []
    for i in range(count + 50):
        msg = bytes((i + k) & 255 for k in range(32))
        t = time.perf_counter()
        s.sendall(msg)
        got = b""
        while len(got) < 32:
            b = s.recv(32 - len(got))
            if not b:
                raise SystemExit("echo closed")
            got += b
        if got != msg:
            raise SystemExit("echo differs in round trip %d" % i)
        times.append((time.perf_counter() - t) * 1e6)
    times = sorted(times[50:])
    print("ok %.0f %.0f %.0f" % (times[len(times) // 2], times[len(times) // 10], times[len(times) * 9 // 10]))
elif mode == "control":
    s = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=150)
    s.sendall((sys.argv[4] + "\n").encode())
    f = s.makefile()
    print(f.readline().strip())
""";

    [NetnsFact]
    public void LinuxPeerOverTapPingsEchoesAndServes()
    {
        string ns = "krnnet" + Environment.ProcessId;
        string script = Path.Combine(Path.GetTempPath(), "krn-net-helper-" + Environment.ProcessId + ".py");
        File.WriteAllText(script, Helper);
        string exec = $"netns exec {ns} ";
        try
        {
            Assert.Equal(0, Sh.Run("ip", $"netns add {ns}").Code);
            Assert.Equal(0, Sh.Run("ip", exec + "ip link set lo up").Code);
            Assert.Equal(0, Sh.Run("ip", exec + "ip tuntap add dev ktap0 mode tap").Code);
            Assert.Equal(0, Sh.Run("ip", exec + "ip addr add 10.0.3.1/24 dev ktap0").Code);
            Assert.Equal(0, Sh.Run("ip", exec + "ip link set ktap0 up").Code);
            using NetQemu q = NetQemu.Start("net-serve ip=10.0.3.2 gw=10.0.3.1",
                new[] { "-netdev", "tap,id=n0,ifname=ktap0,script=no,downscript=no", "-device", "e1000,netdev=n0" },
                new[] { "ip", "netns", "exec", ns });
            Assert.True(q.WaitForLine(l => l.StartsWith("net: ready", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), q.Log);

            // ICMP echo from Linux (a raw socket: this machine has no ping binary), 5 requests
            var ping = Sh.Run("ip", exec + $"python3 {script} ping 10.0.3.2");
            Assert.True(ping.Output.Trim() is "replies 5" or "replies 4", "Linux pinging the kernel: " + ping.Output + "\n" + q.Log);

            foreach (int n in new[] { 1, 1461, 54_240, 100_003, 1 << 20, 4 << 20 })
            {
                var echo = Sh.Run("ip", exec + $"python3 {script} echo-client 10.0.3.2 7 {n}", 180_000);
                Assert.True(echo.Output.Trim() == "ok", $"Linux client -> kernel echo, {n} bytes: {echo.Output}\n{q.Log}");
            }

            // one way each: Linux -> the kernel's sink, the kernel's source -> Linux (timed: the Linux-peer figures)
            double sinkBest = double.MaxValue, sourceBest = double.MaxValue;
            foreach (int n in new[] { 0, 1, 54_240, 4 << 20, 4 << 20, 4 << 20 })
            {
                string[] sink = Sh.Run("ip", exec + $"python3 {script} sink 10.0.3.2 9 {n}", 180_000).Output.Trim().Split(' ');
                Assert.True(sink.Length == 3 && sink[0] == "ok" && sink[1] == n.ToString(), $"Linux -> kernel sink, {n} bytes: {string.Join(" ", sink)}\n{q.Log}");
                string[] source = Sh.Run("ip", exec + $"python3 {script} source 10.0.3.2 19 {n}", 180_000).Output.Trim().Split(' ');
                Assert.True(source.Length == 2 && source[0] == "ok", $"kernel source -> Linux, {n} bytes: {string.Join(" ", source)}\n{q.Log}");
                if (n == 4 << 20)
                {
                    sinkBest = Math.Min(sinkBest, double.Parse(sink[2], System.Globalization.CultureInfo.InvariantCulture));
                    sourceBest = Math.Min(sourceBest, double.Parse(source[1], System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            string[] rtt = Sh.Run("ip", exec + $"python3 {script} rtt 10.0.3.2 7 1000", 120_000).Output.Trim().Split(' ');
            Assert.True(rtt.Length == 4 && rtt[0] == "ok", "Linux <-> kernel 32-byte echoes: " + string.Join(" ", rtt));
            Console.WriteLine(FormattableString.Invariant(
                $"MEASURE tap mib=4 sink_MBps={(4 << 20) / 1e6 / sinkBest:F2} source_MBps={(4 << 20) / 1e6 / sourceBest:F2} rtt_n=1000 rtt_payload=32 rtt_median_us={rtt[1]} rtt_p10_us={rtt[2]} rtt_p90_us={rtt[3]}"));

            foreach (int n in new[] { 1, 54_240, 1 << 20, 4 << 20 })
            {
                var server = new Process
                {
                    StartInfo = new ProcessStartInfo("ip", exec + $"python3 {script} echo-server 10.0.3.1 9100")
                    {
                        RedirectStandardOutput = true,
                        UseShellExecute = false,
                    },
                };
                server.Start();
                Assert.Equal("listening", server.StandardOutput.ReadLine());
                var ctl = Sh.Run("ip", exec + $"python3 {script} control 10.0.3.2 8 \"client 10.0.3.1 9100 {n}\"", 180_000);
                Assert.True(server.WaitForExit(30_000), "Linux server did not finish");
                string served = server.StandardOutput.ReadToEnd().Trim();
                Assert.Equal("ok " + n, ctl.Output.Trim());
                Assert.Equal("served " + n, served);
            }

            var quit = Sh.Run("ip", exec + $"python3 {script} control 10.0.3.2 8 quit", 30_000);
            Assert.Equal("ok bye", quit.Output.Trim());
            Assert.Equal(global::Kernel.Tests.Qemu.DemoDone, q.WaitForExit(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            Sh.Run("ip", $"netns del {ns}");
            File.Delete(script);
        }
    }
}
