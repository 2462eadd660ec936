using Kernel.Core.Threading;
using Kernel.Services.Boot;
using Kernel.Services.Net;

namespace Kernel.Core.Net
{
    /// <summary>
    /// Command <c>net-serve [ip=A.B.C.D] [gw=A.B.C.D]</c>: the kernel side of the QEMU network tests and the HTTP demo.
    /// TCP 7 echoes (one connection at a time, until the peer's FIN); TCP 8 takes one text command per connection:
    /// <c>ping IP</c>, <c>client IP PORT SIZE</c> (the kernel connects, sends SIZE pattern bytes, half-closes and checks
    /// the echo), <c>stats</c>, <c>quit</c>; TCP 80 answers any HTTP request with the uptime and the thread count.
    /// One-way streams for throughput: TCP 9 is a sink (reads to end of stream, checks every byte against the test
    /// pattern, then answers <c>ok BYTES</c> or <c>corrupt BYTES</c> and closes); TCP 19 is a source (reads a line
    /// <c>SIZE</c>, sends SIZE pattern bytes, closes).
    /// </summary>
    internal static class NetServe
    {
        private static readonly byte[] s_echo = new byte[8192];
        private static readonly byte[] s_line = new byte[256];
        private static readonly byte[] s_io = new byte[4096];
        private static int s_echoFd = -1;
        private static int s_echoHave;
        private static bool s_echoEof;
        private static long s_echoBytes;

        // the test pattern has period 2^17 (byte i = (i * 131) ^ (i >> 9)): one table, built once
        private const int PatternPeriod = 1 << 17;
        private static byte[]? s_pattern;

        private static readonly byte[] s_sink = new byte[16384];
        private static int s_sinkFd = -1;
        private static long s_sinkBytes;
        private static bool s_sinkCorrupt;

        private static readonly byte[] s_srcLine = new byte[24];
        private static int s_srcFd = -1;
        private static int s_srcLineLen;
        private static long s_srcSize = -1;
        private static long s_srcSent;

        internal static void Run(CommandLine args)
        {
            uint ip = KernelNet.ParseIp(KernelNet.Arg(args, "ip"), Wire.Ip(10, 0, 2, 15));
            uint gw = KernelNet.ParseIp(KernelNet.Arg(args, "gw"), Wire.Ip(10, 0, 2, 2));
            Sockets? s = KernelNet.Up(ip, gw);
            if (s == null)
            {
                Console.WriteLine("net: no network interface");
                Qemu.Exit(ExitCode.Panic);
                return;
            }
            int echo = s.Listen(7, 4);
            int again = s.Listen(7, 4);
            Console.WriteLine("net: second listen on port 7: " + (again < 0 ? NetErr.Name(again) : "accepted (wrong)"));
            int control = s.Listen(8, 2);
            int http = s.Listen(80, 4);
            int sink = s.Listen(9, 2);
            int source = s.Listen(19, 2);
            s_pattern = BuildPattern();
            if (echo < 0 || control < 0 || http < 0 || sink < 0 || source < 0)
            {
                Console.WriteLine("net: listen failed");
                Qemu.Exit(ExitCode.Panic);
                return;
            }
            long arp = KernelNet.WaitNeighbor(gw, 3000);
            Console.WriteLine(arp >= 0 ? "net: gateway answered ARP after " + arp.ToString() + " ms" : "net: gateway did not answer ARP in 3 s");
            Console.WriteLine("net: ready (echo 7, control 8, http 80, sink 9, source 19)");
            while (true)
            {
                bool busy = KernelNet.Pump();
                busy |= EchoStep(s, echo);
                busy |= SinkStep(s, sink);
                busy |= SourceStep(s, source);
                int h = s.Accept(http);
                if (h >= 0)
                {
                    Http(s, h);
                }
                int c = s.Accept(control);
                if (c >= 0 && Control(s, c))
                {
                    break;
                }
                if (!busy)
                {
                    Cpu.Pause();
                }
            }
            Console.WriteLine("net: quit, tcp blocks in use " + s.Stack.Tcp.InUse.ToString());
            Qemu.Exit(ExitCode.DemoDone);
        }

        private static bool EchoStep(Sockets s, int listener)
        {
            long now = KernelNet.Now;
            if (s_echoFd < 0)
            {
                int a = s.Accept(listener);
                if (a < 0)
                {
                    return false;
                }
                s_echoFd = a;
                s_echoHave = 0;
                s_echoEof = false;
                s_echoBytes = 0;
            }
            int fd = s_echoFd;
            bool progress = false;
            while (true)
            {
                if (s_echoHave > 0)
                {
                    int w = s.Send(fd, s_echo, 0, s_echoHave, now);
                    if (w > 0)
                    {
                        Wire.Copy(s_echo, w, s_echo, 0, s_echoHave - w); // keep what is not sent yet
                        s_echoHave -= w;
                        progress = true;
                    }
                    else if (w != -NetErr.EAGAIN)
                    {
                        s_echoEof = true;
                        s_echoHave = 0;
                    }
                }
                if (s_echoEof || s_echoHave == s_echo.Length)
                {
                    break;
                }
                int r = s.Recv(fd, s_echo, s_echoHave, s_echo.Length - s_echoHave, now);
                if (r > 0)
                {
                    s_echoHave += r;
                    s_echoBytes += r;
                    progress = true;
                    continue;
                }
                if (r == 0 || r != -NetErr.EAGAIN)
                {
                    s_echoEof = true;
                    continue;
                }
                break;
            }
            if (s_echoEof && s_echoHave == 0)
            {
                s.Close(fd, now);
                Console.WriteLine("net: echo connection done, " + s_echoBytes.ToString() + " bytes");
                s_echoFd = -1;
            }
            return progress;
        }

        private static string NicCounters()
        {
            E1000? nic = KernelNet.Nic();
            return nic == null ? "" : nic.DeviceCounters();
        }

        private static byte[] BuildPattern()
        {
            var p = new byte[PatternPeriod];
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = KernelNet.Pattern(i);
            }
            return p;
        }

        /// <summary>TCP 9: reads everything, compares it with the pattern, answers the count at end of stream.</summary>
        private static bool SinkStep(Sockets s, int listener)
        {
            byte[]? pattern = s_pattern;
            if (pattern == null)
            {
                return false;
            }
            long now = KernelNet.Now;
            if (s_sinkFd < 0)
            {
                int a = s.Accept(listener);
                if (a < 0)
                {
                    return false;
                }
                s_sinkFd = a;
                s_sinkBytes = 0;
                s_sinkCorrupt = false;
            }
            int fd = s_sinkFd;
            bool progress = false;
            while (true)
            {
                int r = s.Recv(fd, s_sink, 0, s_sink.Length, now);
                if (r > 0)
                {
                    int p = (int)(s_sinkBytes % PatternPeriod);
                    for (int i = 0; i < r; i++)
                    {
                        if (s_sink[i] != pattern[p])
                        {
                            s_sinkCorrupt = true;
                        }
                        p++;
                        if (p == PatternPeriod)
                        {
                            p = 0;
                        }
                    }
                    s_sinkBytes += r;
                    progress = true;
                    continue;
                }
                if (r == -NetErr.EAGAIN)
                {
                    return progress;
                }
                break; // end of stream (0) or an error
            }
            string answer = (s_sinkCorrupt ? "corrupt " : "ok ") + s_sinkBytes.ToString();
            int wr = Reply(s, fd, answer, new KernelNet.Waiter(10_000));
            if (wr < 0)
            {
                Console.WriteLine("net: sink reply failed: " + NetErr.Name(wr));
            }
            s.Close(fd, KernelNet.Now);
            Console.WriteLine("net: sink connection done, " + answer);
            s_sinkFd = -1;
            return true;
        }

        /// <summary>TCP 19: reads the size line, then sends that many pattern bytes straight from the table and closes.</summary>
        private static bool SourceStep(Sockets s, int listener)
        {
            byte[]? pattern = s_pattern;
            if (pattern == null)
            {
                return false;
            }
            long now = KernelNet.Now;
            if (s_srcFd < 0)
            {
                int a = s.Accept(listener);
                if (a < 0)
                {
                    return false;
                }
                s_srcFd = a;
                s_srcLineLen = 0;
                s_srcSize = -1;
                s_srcSent = 0;
            }
            int fd = s_srcFd;
            bool progress = false;
            bool done = false;
            while (s_srcSize < 0 && !done)
            {
                if (s_srcLineLen == s_srcLine.Length)
                {
                    done = true; // no newline in a line this long: give up on this client
                    break;
                }
                int r = s.Recv(fd, s_srcLine, s_srcLineLen, 1, now);
                if (r == -NetErr.EAGAIN)
                {
                    return progress;
                }
                if (r <= 0)
                {
                    done = true;
                    break;
                }
                progress = true;
                if (s_srcLine[s_srcLineLen] == (byte)'\n')
                {
                    s_srcSize = ParseLong(s_srcLine, s_srcLineLen);
                    done = s_srcSize < 0;
                    break;
                }
                s_srcLineLen += r;
            }
            while (!done && s_srcSent < s_srcSize)
            {
                int p = (int)(s_srcSent % PatternPeriod);
                int chunk = (int)Wire.MinL(PatternPeriod - p, s_srcSize - s_srcSent);
                int w = s.Send(fd, pattern, p, chunk, now);
                if (w == -NetErr.EAGAIN)
                {
                    return progress;
                }
                if (w <= 0)
                {
                    done = true;
                    break;
                }
                s_srcSent += w;
                progress = true;
            }
            s.Close(fd, KernelNet.Now);
            Console.WriteLine("net: source connection done, " + s_srcSent.ToString() + " bytes");
            s_srcFd = -1;
            return true;
        }

        /// <summary>Decimal digits of line[0..len) (a trailing '\r' allowed); -1 when it is not a number.</summary>
        private static long ParseLong(byte[] line, int len)
        {
            if (len > 0 && line[len - 1] == (byte)'\r')
            {
                len--;
            }
            if (len == 0 || len > 15)
            {
                return -1;
            }
            long v = 0;
            for (int i = 0; i < len; i++)
            {
                int d = line[i] - '0';
                if (d < 0 || d > 9)
                {
                    return -1;
                }
                v = v * 10 + d;
            }
            return v;
        }

        /// <summary>Reads one line (up to '\n' or end of stream); returns its length or a negative error.</summary>
        private static int ReadLine(Sockets s, int fd, INetWait wait)
        {
            int n = 0;
            while (n < s_line.Length)
            {
                int r = NetIo.ReadExact(s, fd, s_line, n, 1, wait);
                if (r < 0)
                {
                    return r;
                }
                if (r == 0 || s_line[n] == (byte)'\n')
                {
                    return n;
                }
                n++;
            }
            return n;
        }

        private static string Word(int len, int index)
        {
            int w = 0;
            int i = 0;
            while (i < len)
            {
                while (i < len && s_line[i] == (byte)' ')
                {
                    i++;
                }
                int start = i;
                while (i < len && s_line[i] != (byte)' ' && s_line[i] != (byte)'\r')
                {
                    i++;
                }
                if (i > start)
                {
                    if (w == index)
                    {
                        string r = "";
                        for (int k = start; k < i; k++)
                        {
                            r = r + CharString(s_line[k]);
                        }
                        return r;
                    }
                    w++;
                }
                else
                {
                    i++;
                }
            }
            return "";
        }

        private static string CharString(byte b)
        {
            const string printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
            return b >= 32 && b < 127 ? printable.Substring(b - 32, 1) : "?";
        }

        private static int Reply(Sockets s, int fd, string text, INetWait wait)
        {
            int n = 0;
            for (int i = 0; i < text.Length && n < s_io.Length - 1; i++)
            {
                s_io[n++] = (byte)text[i];
            }
            s_io[n++] = (byte)'\n';
            return NetIo.WriteAll(s, fd, s_io, 0, n, wait);
        }

        /// <summary>One control connection; true for "quit".</summary>
        private static bool Control(Sockets s, int fd)
        {
            var wait = new KernelNet.Waiter(120_000);
            int len = ReadLine(s, fd, wait);
            string cmd = len > 0 ? Word(len, 0) : "";
            string answer;
            bool quit = false;
            switch (cmd)
            {
                case "ping":
                    answer = Ping(s, KernelNet.ParseIp(Word(len, 1), 0));
                    break;
                case "client":
                    answer = Client(s, KernelNet.ParseIp(Word(len, 1), 0), KernelNet.ParseInt(Word(len, 2), 0), KernelNet.ParseInt(Word(len, 3), -1));
                    break;
                case "stats":
                    answer = "ok tcp_in_use=" + s.Stack.Tcp.InUse.ToString() + " handles=" + s.Open.ToString()
                        + " retransmits=" + s.Stack.Stats.TcpRetransmits.ToString() + " heap_live=" + KernelNet.HeapLive.ToString()
                        + " frames_in=" + s.Stack.Stats.FramesIn.ToString() + " bad_checksum=" + s.Stack.Stats.BadChecksum.ToString()
                        + " malformed=" + s.Stack.Stats.Malformed.ToString() + " out_of_order=" + s.Stack.Stats.TcpOutOfOrder.ToString()
                        + " fast_retransmits=" + s.Stack.Stats.TcpFastRetransmits.ToString() + " segments_in=" + s.Stack.Stats.TcpSegmentsIn.ToString()
                        + " segments_out=" + s.Stack.Stats.TcpSegmentsOut.ToString() + " tx_failures=" + s.Stack.Stats.TransmitFailures.ToString()
                        + " arp_misses=" + s.Stack.Stats.ArpMisses.ToString() + " arp_requests=" + s.Stack.Stats.ArpRequestsSent.ToString()
                        + " " + NicCounters();
                    break;
                case "quit":
                    answer = "ok bye";
                    quit = true;
                    break;
                default:
                    answer = "error unknown command";
                    break;
            }
            int wr = Reply(s, fd, answer, wait);
            if (wr < 0)
            {
                Console.WriteLine("net: control reply failed: " + NetErr.Name(wr));
            }
            s.Close(fd, KernelNet.Now);
            Console.WriteLine("net: control '" + cmd + "' -> " + answer);
            if (quit)
            {
                // let the reply and FIN go out
                var drain = new KernelNet.Waiter(300);
                while (drain.Wait())
                {
                }
            }
            return quit;
        }

        private static string Ping(Sockets s, uint ip)
        {
            NetStack st = s.Stack;
            long before = st.Stats.EchoRepliesReceived;
            for (ushort seq = 1; seq <= 20; seq++)
            {
                st.Ping(ip, 0x4b4e, seq, 32);
                var w = new KernelNet.Waiter(200);
                while (w.Wait())
                {
                    if (st.Stats.EchoRepliesReceived > before)
                    {
                        return "ok reply seq " + st.LastEchoSeq.ToString();
                    }
                }
            }
            return "error no reply";
        }

        /// <summary>Kernel as client: connect, send size pattern bytes while reading the echo, half-close, read to EOF.</summary>
        private static string Client(Sockets s, uint ip, int port, int size)
        {
            byte[]? pattern = s_pattern;
            if (ip == 0 || port <= 0 || port > 65535 || size < 0 || pattern == null)
            {
                return "error bad arguments";
            }
            var wait = new KernelNet.Waiter(300_000);
            int fd = s.Connect(ip, (ushort)port, KernelNet.Now);
            if (fd < 0)
            {
                return "error connect " + NetErr.Name(fd);
            }
            int st = NetIo.WaitConnected(s, fd, wait);
            if (st < 0)
            {
                s.Close(fd, KernelNet.Now);
                return "error connect " + NetErr.Name(st);
            }
            int sent = 0;
            int got = 0;
            bool shut = false;
            bool mismatch = false;
            while (true)
            {
                long now = KernelNet.Now;
                while (sent < size)
                {
                    int p = sent % PatternPeriod;
                    int chunk = Wire.Min(PatternPeriod - p, size - sent);
                    int w = s.Send(fd, pattern, p, chunk, now); // straight from the pattern table
                    if (w <= 0)
                    {
                        break;
                    }
                    sent += w;
                }
                if (sent == size && !shut)
                {
                    s.Shutdown(fd, now);
                    shut = true;
                }
                int r = s.Recv(fd, s_echo, 0, s_echo.Length, now);
                if (r > 0)
                {
                    int p = got % PatternPeriod;
                    for (int i = 0; i < r; i++)
                    {
                        if (s_echo[i] != pattern[p])
                        {
                            mismatch = true;
                        }
                        p = p + 1 == PatternPeriod ? 0 : p + 1;
                    }
                    got += r;
                    continue;
                }
                if (r == 0)
                {
                    break;
                }
                if (r != -NetErr.EAGAIN)
                {
                    s.Close(fd, KernelNet.Now);
                    return "error recv " + NetErr.Name(r) + " after " + got.ToString();
                }
                if (!wait.Wait())
                {
                    s.Close(fd, KernelNet.Now);
                    return "error timeout after " + got.ToString() + " of " + size.ToString();
                }
            }
            s.Close(fd, KernelNet.Now);
            if (got != size || mismatch)
            {
                return "error got " + got.ToString() + " of " + size.ToString() + (mismatch ? " (corrupt)" : "");
            }
            return "ok " + got.ToString();
        }

        private static void Http(Sockets s, int fd)
        {
            var wait = new KernelNet.Waiter(10_000);
            // read the request head (up to the blank line)
            int n = 0;
            int crlf = 0;
            while (n < s_io.Length && crlf < 4)
            {
                int r = NetIo.ReadExact(s, fd, s_io, n, 1, wait);
                if (r <= 0)
                {
                    break;
                }
                byte b = s_io[n++];
                crlf = b == (byte)'\r' || b == (byte)'\n' ? crlf + 1 : 0;
            }
            NetStack st = s.Stack;
            string body = "kernel: hello from C# (NativeAOT, own corelib)\n"
                + "uptime_ms " + KernelNet.Now.ToString() + "\n"
                + "threads live_stacks " + Scheduler.LiveStacks.ToString() + " current " + Scheduler.CurrentId.ToString() + "\n"
                + "tcp blocks_in_use " + st.Tcp.InUse.ToString() + " segments_in " + st.Stats.TcpSegmentsIn.ToString()
                + " segments_out " + st.Stats.TcpSegmentsOut.ToString() + " retransmits " + st.Stats.TcpRetransmits.ToString() + "\n"
                + "heap live_blocks " + KernelNet.HeapLive.ToString() + "\n";
            string head = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.Length.ToString() + "\r\nConnection: close\r\n\r\n";
            string all = head + body;
            int len = 0;
            for (int i = 0; i < all.Length && len < s_io.Length; i++)
            {
                s_io[len++] = (byte)all[i];
            }
            int wr = NetIo.WriteAll(s, fd, s_io, 0, len, wait);
            if (wr < 0)
            {
                Console.WriteLine("net: http reply failed: " + NetErr.Name(wr));
            }
            s.Close(fd, KernelNet.Now);
            Console.WriteLine("net: http request served");
        }
    }
}
