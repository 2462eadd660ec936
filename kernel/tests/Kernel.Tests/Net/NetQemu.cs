using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Kernel.Tests.Net;

/// <summary>A kernel booted with a NIC, kept running while the host talks to it; the serial log is collected.</summary>
public sealed class NetQemu : IDisposable
{
    private readonly Process _p;
    private readonly List<string> _lines = new();

    private NetQemu(Process p) => _p = p;

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>Boots the multiboot image with the given NIC arguments; <paramref name="prefix"/> runs QEMU under
    /// another program (e.g. <c>ip netns exec NS</c>).</summary>
    public static NetQemu Start(string append, IEnumerable<string> nicArgs, IEnumerable<string>? prefix = null)
    {
        if (!File.Exists(KernelImage.Multiboot))
        {
            throw new FileNotFoundException("kernel image not built", KernelImage.Multiboot);
        }
        var pre = prefix?.ToList() ?? new List<string>();
        var psi = new ProcessStartInfo(pre.Count > 0 ? pre[0] : "qemu-system-x86_64")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in pre.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }
        if (pre.Count > 0)
        {
            psi.ArgumentList.Add("qemu-system-x86_64");
        }
        foreach (string a in new[] { "-serial", "stdio", "-display", "none", "-no-reboot", "-m", "128M",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", KernelImage.Multiboot, "-append", append })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (string a in nicArgs)
        {
            psi.ArgumentList.Add(a);
        }
        var p = new Process { StartInfo = psi };
        var q = new NetQemu(p);
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                lock (q._lines)
                {
                    q._lines.Add(e.Data.TrimEnd('\r'));
                    Monitor.PulseAll(q._lines);
                }
            }
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                lock (q._lines)
                {
                    q._lines.Add("[qemu stderr] " + e.Data);
                }
            }
        };
        p.Start();
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return q;
    }

    public string Log
    {
        get
        {
            lock (_lines)
            {
                return string.Join("\n", _lines);
            }
        }
    }

    public bool HasExited => _p.HasExited;

    public bool WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        lock (_lines)
        {
            while (true)
            {
                if (_lines.Any(match))
                {
                    return true;
                }
                if (sw.Elapsed > timeout || _p.HasExited)
                {
                    return _lines.Any(match);
                }
                Monitor.Wait(_lines, 200);
            }
        }
    }

    /// <summary>Waits for QEMU to exit; its exit code, or -1 after killing it on timeout.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (_p.WaitForExit((int)timeout.TotalMilliseconds))
        {
            _p.WaitForExit();
            return _p.ExitCode;
        }
        Kill();
        return -1;
    }

    private void Kill()
    {
        try
        {
            if (!_p.HasExited)
            {
                _p.Kill(entireProcessTree: true);
                _p.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        _p.Dispose();
    }

    /// <summary>Sends <paramref name="data"/> to the kernel's sink (TCP 9), half-closes and reads its one-line
    /// answer (<c>ok N</c> / <c>corrupt N</c>); the seconds from connect to the answer.</summary>
    public static (string Answer, double Seconds) Sink(int port, byte[] data, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        using var c = new TcpClient();
        c.Connect(IPAddress.Loopback, port);
        c.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        c.SendTimeout = (int)timeout.TotalMilliseconds;
        NetworkStream s = c.GetStream();
        s.Write(data);
        c.Client.Shutdown(SocketShutdown.Send);
        using var r = new StreamReader(s, System.Text.Encoding.ASCII);
        string answer = r.ReadLine() ?? "(closed without an answer)";
        return (answer, sw.Elapsed.TotalSeconds);
    }

    /// <summary>Asks the kernel's source (TCP 19) for <paramref name="size"/> bytes and reads them to end of
    /// stream; the bytes and the seconds from connect to end of stream.</summary>
    public static (byte[] Data, double Seconds) Source(int port, long size, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        using var c = new TcpClient();
        c.Connect(IPAddress.Loopback, port);
        c.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        NetworkStream s = c.GetStream();
        s.Write(System.Text.Encoding.ASCII.GetBytes(size + "\n"));
        var got = new MemoryStream();
        var buf = new byte[1 << 16];
        int n;
        while ((n = s.Read(buf, 0, buf.Length)) > 0)
        {
            got.Write(buf, 0, n);
        }
        return (got.ToArray(), sw.Elapsed.TotalSeconds);
    }

    /// <summary>Ping-pong over the kernel's echo (TCP 7) with Nagle off: <paramref name="count"/> messages of
    /// <paramref name="payload"/> bytes, each sent once the previous one is back; the wall microseconds of each
    /// round trip. Throws when an echo differs from what was sent.</summary>
    public static double[] EchoRoundTrips(int port, int count, int payload, TimeSpan timeout)
    {
        using var c = new TcpClient { NoDelay = true };
        c.Connect(IPAddress.Loopback, port);
        c.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        NetworkStream s = c.GetStream();
        var msg = new byte[payload];
        var back = new byte[payload];
        var times = new double[count];
        for (int i = 0; i < count; i++)
        {
            for (int k = 0; k < payload; k++)
            {
                msg[k] = (byte)(i + k);
            }
            long t0 = Stopwatch.GetTimestamp();
            s.Write(msg);
            int got = 0;
            while (got < payload)
            {
                int n = s.Read(back, got, payload - got);
                if (n <= 0)
                {
                    throw new IOException($"echo closed after {got} of {payload} bytes in round trip {i}");
                }
                got += n;
            }
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            if (!back.AsSpan().SequenceEqual(msg))
            {
                throw new IOException($"round trip {i}: the echo differs from the message");
            }
        }
        c.Client.Shutdown(SocketShutdown.Send);
        while (s.Read(back, 0, back.Length) > 0)
        {
        }
        return times;
    }

    public static double Percentile(double[] xs, double p)
    {
        var sorted = xs.OrderBy(x => x).ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Round(p * (sorted.Length - 1)))];
    }

    public static byte[] Pattern(int n)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++)
        {
            b[i] = (byte)((i * 131) ^ (i >> 9));
        }
        return b;
    }
}
