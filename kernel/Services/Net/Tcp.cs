namespace Kernel.Services.Net
{
    public enum TcpState
    {
        Closed,
        Listen,
        SynSent,
        SynReceived,
        Established,
        FinWait1,
        FinWait2,
        CloseWait,
        Closing,
        LastAck,
        TimeWait,
    }

    /// <summary>
    /// One TCP control block (RFC 9293 3.3.1) from the stack's preallocated pool, with its send and receive rings.
    /// Received data stays in <see cref="Rcv"/> until the application reads it, whatever the protocol state:
    /// a FIN (or the end of the connection) never discards buffered bytes (seed 001).
    /// </summary>
    public sealed class TcpConnection
    {
        internal const int MaxHoles = 8;

        internal TcpConnection(int index, int sendBuffer, int recvBuffer)
        {
            Index = index;
            Snd = new ByteRing(sendBuffer);
            Rcv = new ByteRing(recvBuffer);
        }

        public int Index { get; }

        public TcpState State { get; internal set; }

        public bool InUse { get; internal set; }

        /// <summary>The error the application sees once the buffered data is read (ECONNRESET, ECONNREFUSED, ETIMEDOUT).</summary>
        public int Error { get; internal set; }

        public uint LocalIp { get; internal set; }

        public ushort LocalPort { get; internal set; }

        public uint RemoteIp { get; internal set; }

        public ushort RemotePort { get; internal set; }

        internal readonly ByteRing Snd;
        internal readonly ByteRing Rcv;

        // send sequence space: Snd holds the bytes from SndUna on (once the SYN is acknowledged)
        internal uint Iss;
        internal uint SndUna;
        internal uint SndNxt;
        internal uint SndMax;
        internal uint SndWl1;
        internal uint SndWl2;
        internal int SndWnd;
        internal int SndMss;
        internal bool FinQueued;
        internal bool FinAcked;

        // receive sequence space
        internal uint Irs;
        internal uint RcvNxt;
        internal int LastAdvertised;
        internal bool FinReceived;
        internal bool FinPending;
        internal uint FinSeq;
        internal readonly uint[] HoleStart = new uint[MaxHoles];
        internal readonly uint[] HoleEnd = new uint[MaxHoles];
        internal int Holes;

        // timers (0 = off) and RFC 6298 estimator
        internal long RtoDeadline;
        internal long Rto;
        internal long Srtt;
        internal long RttVar;
        internal bool HaveRtt;
        internal bool RttActive;
        internal uint RttSeq;
        internal long RttStart;
        internal int Retries;
        internal long PersistDeadline;
        internal long PersistBackoff;
        internal long TimeWaitDeadline;
        internal long FinWait2Deadline;

        // congestion control (RFC 5681)
        internal int Cwnd;
        internal int Ssthresh;
        internal int DupAcks;

        internal bool AckNow;

        // ownership: listener and accept queue, application handle
        internal TcpConnection? Parent;
        internal int Backlog;
        internal int Pending;
        internal long QueueOrder;
        internal bool Queued;
        internal bool Owned;
        internal bool AppClosed;

        /// <summary>Bytes the application can read now.</summary>
        public int Readable => Rcv.Count;

        /// <summary>Room in the send buffer.</summary>
        public int Writable => Snd.Free;

        /// <summary>Bytes queued and not yet acknowledged.</summary>
        public int Unacked => Snd.Count;

        public bool EndOfStream => FinReceived;

        public long CurrentRto => Rto;

        public long SmoothedRtt => Srtt;

        public int CongestionWindow => Cwnd;

        public int PeerWindow => SndWnd;

        public int PeerMss => SndMss;

        internal void Reset()
        {
            State = TcpState.Closed;
            Error = 0;
            LocalIp = 0;
            LocalPort = 0;
            RemoteIp = 0;
            RemotePort = 0;
            Snd.Clear();
            Rcv.Clear();
            Iss = SndUna = SndNxt = SndMax = SndWl1 = SndWl2 = 0;
            SndWnd = 0;
            SndMss = 536;
            FinQueued = FinAcked = false;
            Irs = RcvNxt = 0;
            LastAdvertised = 0;
            FinReceived = FinPending = false;
            FinSeq = 0;
            Holes = 0;
            RtoDeadline = 0;
            Rto = 0;
            Srtt = RttVar = 0;
            HaveRtt = RttActive = false;
            RttSeq = 0;
            RttStart = 0;
            Retries = 0;
            PersistDeadline = 0;
            PersistBackoff = 0;
            TimeWaitDeadline = 0;
            FinWait2Deadline = 0;
            Cwnd = Ssthresh = DupAcks = 0;
            AckNow = false;
            Parent = null;
            Backlog = Pending = 0;
            QueueOrder = 0;
            Queued = Owned = AppClosed = false;
        }
    }

    /// <summary>A parsed TCP segment (offsets into the received frame).</summary>
    internal struct TcpSegment
    {
        public uint Src;
        public uint Dst;
        public ushort SrcPort;
        public ushort DstPort;
        public uint Seq;
        public uint Ack;
        public int Flags;
        public int Window;
        public int Mss;
        public int DataOffset;
        public int DataLength;

        public bool Syn => (Flags & TcpLayer.Syn) != 0;

        public bool Fin => (Flags & TcpLayer.Fin) != 0;

        public bool Rst => (Flags & TcpLayer.Rst) != 0;

        public bool HasAck => (Flags & TcpLayer.AckFlag) != 0;

        /// <summary>SEG.LEN: data plus SYN and FIN.</summary>
        public int SeqLength => DataLength + (Syn ? 1 : 0) + (Fin ? 1 : 0);
    }

    /// <summary>
    /// TCP per RFC 9293: handshake, listen with a backlog, sliding windows with window updates, MSS option,
    /// retransmission with an RFC 6298 timer, fast retransmit and RFC 5681 congestion control, FIN/RST (RFC 5961
    /// checks), TIME_WAIT, zero-window probing and an out-of-order queue kept in the receive ring itself.
    /// </summary>
    public sealed class TcpLayer
    {
        public const int Fin = 0x01;
        public const int Syn = 0x02;
        public const int Rst = 0x04;
        public const int Psh = 0x08;
        public const int AckFlag = 0x10;
        private const int Header = 20;

        private readonly NetStack _stack;
        private readonly NetConfig _cfg;
        private readonly TcpConnection[] _pool;
        private uint _issCounter;
        private ushort _nextPort = 49152;
        private long _queueOrder;

        internal TcpLayer(NetStack stack, NetConfig config)
        {
            _stack = stack;
            _cfg = config;
            _pool = new TcpConnection[config.MaxConnections];
            for (int i = 0; i < _pool.Length; i++)
            {
                _pool[i] = new TcpConnection(i, config.SendBuffer, config.RecvBuffer);
                _pool[i].Reset();
            }
        }

        /// <summary>Control blocks taken from the pool (the leak counter: 0 when every connection is gone).</summary>
        public int InUse
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _pool.Length; i++)
                {
                    if (_pool[i].InUse)
                    {
                        n++;
                    }
                }
                return n;
            }
        }

        public long Allocations { get; private set; }

        public long Frees { get; private set; }

        public long AllocationFailures { get; private set; }

        public int Capacity => _pool.Length;

        /// <summary>A block of the pool by index (diagnostics and tests).</summary>
        public TcpConnection Block(int i) => _pool[i];

        /// <summary>"index:state[flags]" for every block in use (diagnostics).</summary>
        public string Describe()
        {
            string s = "";
            for (int i = 0; i < _pool.Length; i++)
            {
                TcpConnection c = _pool[i];
                if (c.InUse)
                {
                    s = s + i.ToString() + ":" + StateName(c.State) + (c.AppClosed ? "/closed" : "") + (c.Owned ? "/owned" : "") + (c.Queued ? "/queued" : "") + " ";
                }
            }
            return s;
        }

        public static string StateName(TcpState s)
        {
            switch (s)
            {
                case TcpState.Closed: return "CLOSED";
                case TcpState.Listen: return "LISTEN";
                case TcpState.SynSent: return "SYN_SENT";
                case TcpState.SynReceived: return "SYN_RECEIVED";
                case TcpState.Established: return "ESTABLISHED";
                case TcpState.FinWait1: return "FIN_WAIT_1";
                case TcpState.FinWait2: return "FIN_WAIT_2";
                case TcpState.CloseWait: return "CLOSE_WAIT";
                case TcpState.Closing: return "CLOSING";
                case TcpState.LastAck: return "LAST_ACK";
                default: return "TIME_WAIT";
            }
        }

        private int RcvMss => _cfg.Mss;

        // ---- pool --------------------------------------------------------------------------------------

        [MayReturnNull]
        private TcpConnection? Allocate()
        {
            TcpConnection? victim = null;
            for (int i = 0; i < _pool.Length; i++)
            {
                TcpConnection c = _pool[i];
                if (!c.InUse)
                {
                    return Take(c);
                }
                if (c.State == TcpState.TimeWait && (victim == null || c.TimeWaitDeadline < victim.TimeWaitDeadline))
                {
                    victim = c;
                }
            }
            if (victim != null)
            {
                // reuse the oldest TIME_WAIT block (its application handle is gone already)
                Frees++;
                return Take(victim);
            }
            AllocationFailures++;
            return null;
        }

        private TcpConnection Take(TcpConnection c)
        {
            c.Reset();
            c.InUse = true;
            c.Rto = _cfg.InitialRtoMs;
            Allocations++;
            return c;
        }

        private void FreeBlock(TcpConnection c)
        {
            if (!c.InUse)
            {
                return;
            }
            TcpConnection? parent = c.Parent;
            if (parent != null && !c.Owned)
            {
                parent.Pending--;
            }
            c.Reset();
            c.InUse = false;
            Frees++;
        }

        /// <summary>Returns the block to the pool when nothing refers to it any more.</summary>
        private void MaybeFree(TcpConnection c)
        {
            if (!c.InUse || c.State != TcpState.Closed && c.State != TcpState.TimeWait)
            {
                return;
            }
            if (c.State == TcpState.TimeWait)
            {
                return; // freed when 2 MSL have passed
            }
            bool embryonic = !c.Owned && !c.Queued;
            if (c.AppClosed || embryonic)
            {
                FreeBlock(c);
            }
        }

        private uint NewIss(long now)
        {
            _issCounter += 64000;
            return _cfg.IssSeed + _issCounter + (uint)(now * 250);
        }

        // ---- user calls (the socket layer wraps these) --------------------------------------------------

        /// <summary>A listening block on a port, or null when the port already has a listener or the pool is
        /// exhausted (like lwIP's <c>tcp_listen_with_backlog</c>). Use the <c>AndErr</c> variant to know which.</summary>
        [MayReturnNull]
        public TcpConnection? ListenWithBacklog(ushort port, int backlog) => ListenWithBacklogAndErr(port, backlog, out _);

        /// <summary>As <see cref="ListenWithBacklog"/>; <paramref name="err"/> is EADDRINUSE, ENOBUFS or EINVAL on null.</summary>
        [MayReturnNull]
        public TcpConnection? ListenWithBacklogAndErr(ushort port, int backlog, out int err)
        {
            if (port == 0 || backlog < 1)
            {
                err = NetErr.EINVAL;
                return null;
            }
            for (int i = 0; i < _pool.Length; i++)
            {
                TcpConnection c = _pool[i];
                if (c.InUse && c.State == TcpState.Listen && c.LocalPort == port)
                {
                    err = NetErr.EADDRINUSE;
                    return null;
                }
            }
            TcpConnection? l = Allocate();
            if (l == null)
            {
                err = NetErr.ENOBUFS;
                return null;
            }
            l.State = TcpState.Listen;
            l.LocalIp = _stack.Ip;
            l.LocalPort = port;
            l.Backlog = backlog;
            l.Owned = true;
            err = 0;
            return l;
        }

        /// <summary>The oldest fully established connection waiting on a listener, or null when there is none.</summary>
        [MayReturnNull]
        public TcpConnection? Accept(TcpConnection listener)
        {
            TcpConnection? best = null;
            for (int i = 0; i < _pool.Length; i++)
            {
                TcpConnection c = _pool[i];
                if (c.InUse && c.Queued && c.Parent == listener && (best == null || c.QueueOrder < best.QueueOrder))
                {
                    best = c;
                }
            }
            if (best != null)
            {
                best.Queued = false;
                best.Owned = true;
                best.Parent = null;
                listener.Pending--;
            }
            return best;
        }

        /// <summary>Starts an active open (SYN_SENT); null when the pool is exhausted.</summary>
        [MayReturnNull]
        public TcpConnection? Connect(uint ip, ushort port, long now)
        {
            TcpConnection? c = Allocate();
            if (c == null)
            {
                return null;
            }
            c.Owned = true;
            c.LocalIp = _stack.Ip;
            c.LocalPort = EphemeralPort();
            c.RemoteIp = ip;
            c.RemotePort = port;
            c.Iss = NewIss(now);
            c.SndUna = c.Iss;
            c.SndNxt = c.Iss + 1;
            c.SndMax = c.SndNxt;
            c.SndMss = 536;
            c.State = TcpState.SynSent;
            SendSyn(c, false);
            c.RttActive = true;
            c.RttSeq = c.Iss + 1;
            c.RttStart = now;
            c.RtoDeadline = now + c.Rto;
            return c;
        }

        private ushort EphemeralPort()
        {
            for (int tries = 0; tries < 16384; tries++)
            {
                ushort p = _nextPort;
                _nextPort = _nextPort == 65535 ? (ushort)49152 : (ushort)(_nextPort + 1);
                bool used = false;
                for (int i = 0; i < _pool.Length; i++)
                {
                    if (_pool[i].InUse && _pool[i].LocalPort == p)
                    {
                        used = true;
                        break;
                    }
                }
                if (!used)
                {
                    return p;
                }
            }
            return _nextPort;
        }

        /// <summary>Queues up to len bytes; returns how many it queued (0 when the send buffer is full),
        /// -EPIPE after close, or the connection's error.</summary>
        public int Send(TcpConnection c, byte[] buf, int off, int len, long now)
        {
            if (c.Error != 0)
            {
                return -c.Error;
            }
            if (c.FinQueued)
            {
                return -NetErr.EPIPE;
            }
            switch (c.State)
            {
                case TcpState.SynSent:
                case TcpState.SynReceived:
                case TcpState.Established:
                case TcpState.CloseWait:
                    break;
                default:
                    return -NetErr.ENOTCONN;
            }
            int n = c.Snd.Append(buf, off, len);
            Output(c, now);
            return n;
        }

        /// <summary>Delivers up to len buffered bytes; returns how many it delivered. 0 means end of stream (the peer's
        /// FIN has been reached after every byte before it); -EAGAIN means no data yet; once the buffer is drained a
        /// reset or timed-out connection returns its error.</summary>
        public int Recv(TcpConnection c, byte[] buf, int off, int len, long now)
        {
            int n = Wire.Min(len, c.Rcv.Count);
            if (n > 0)
            {
                c.Rcv.Peek(0, buf, off, n);
                c.Rcv.Drop(n);
                MaybeWindowUpdate(c, now);
                return n;
            }
            if (len == 0)
            {
                return 0;
            }
            if (c.FinReceived)
            {
                return 0;
            }
            if (c.Error != 0)
            {
                return -c.Error;
            }
            if (c.State == TcpState.Closed)
            {
                return 0;
            }
            if (c.State == TcpState.Listen)
            {
                return -NetErr.ENOTCONN;
            }
            return -NetErr.EAGAIN;
        }

        /// <summary>The application lets go of the block: FIN after the queued data (the block lives on until the
        /// protocol is done), or immediate release for listeners and unsynchronized connections.</summary>
        public void Close(TcpConnection c, long now)
        {
            if (!c.InUse)
            {
                return;
            }
            c.AppClosed = true;
            switch (c.State)
            {
                case TcpState.Listen:
                    AbortChildren(c, now);
                    c.State = TcpState.Closed;
                    break;
                case TcpState.SynSent:
                    c.State = TcpState.Closed;
                    break;
                case TcpState.SynReceived:
                    c.FinQueued = true; // the FIN waits for ESTABLISHED (RFC 9293 3.10.4): FIN_WAIT_1 then
                    break;
                case TcpState.Established:
                    c.FinQueued = true;
                    c.State = TcpState.FinWait1;
                    Output(c, now);
                    break;
                case TcpState.CloseWait:
                    c.FinQueued = true;
                    c.State = TcpState.LastAck;
                    Output(c, now);
                    break;
                case TcpState.FinWait2:
                    c.FinWait2Deadline = now + _cfg.FinWait2Ms;
                    break;
                default:
                    break;
            }
            c.Rcv.Drop(c.Rcv.Count); // nobody will read it any more
            MaybeFree(c);
        }

        /// <summary>Half close (SHUT_WR): FIN after the queued data, the receive side stays open.</summary>
        public int Shutdown(TcpConnection c, long now)
        {
            if (c.FinQueued)
            {
                return 0;
            }
            switch (c.State)
            {
                case TcpState.SynReceived:
                    c.FinQueued = true; // sent once the handshake completes
                    return 0;
                case TcpState.Established:
                    c.FinQueued = true;
                    c.State = TcpState.FinWait1;
                    break;
                case TcpState.CloseWait:
                    c.FinQueued = true;
                    c.State = TcpState.LastAck;
                    break;
                default:
                    return -NetErr.ENOTCONN;
            }
            Output(c, now);
            return 0;
        }

        /// <summary>Sends a RST and drops the connection at once (RFC 9293 ABORT).</summary>
        public void Abort(TcpConnection c, long now)
        {
            if (!c.InUse)
            {
                return;
            }
            if (c.State == TcpState.Listen)
            {
                AbortChildren(c, now);
            }
            else if (c.State != TcpState.Closed && c.State != TcpState.SynSent && c.State != TcpState.TimeWait)
            {
                SendControl(c, c.SndNxt, 0, Rst);
            }
            c.AppClosed = true;
            c.State = TcpState.Closed;
            MaybeFree(c);
        }

        private void AbortChildren(TcpConnection listener, long now)
        {
            for (int i = 0; i < _pool.Length; i++)
            {
                TcpConnection c = _pool[i];
                if (c.InUse && c.Parent == listener && !c.Owned)
                {
                    if (c.State != TcpState.Closed && c.State != TcpState.TimeWait)
                    {
                        SendControl(c, c.SndNxt, 0, Rst);
                    }
                    FreeBlock(c);
                }
            }
        }

        // ---- input -------------------------------------------------------------------------------------

        internal void Input(byte[] f, int o, int n, uint src, uint dst, long now)
        {
            if (n < Header)
            {
                _stack.Stats.Malformed++;
                return;
            }
            uint sum = Wire.PseudoHeader(src, dst, NetStack.ProtoTcp, n);
            if (Wire.Fold(Wire.SumWords(sum, f, o, n)) != 0)
            {
                _stack.Stats.BadChecksum++;
                return;
            }
            int hl = (f[o + 12] >> 4) * 4;
            if (hl < Header || hl > n)
            {
                _stack.Stats.Malformed++;
                return;
            }
            TcpSegment s;
            s.Src = src;
            s.Dst = dst;
            s.SrcPort = Wire.U16(f, o);
            s.DstPort = Wire.U16(f, o + 2);
            s.Seq = Wire.U32(f, o + 4);
            s.Ack = Wire.U32(f, o + 8);
            s.Flags = f[o + 13] & 0x3F;
            s.Window = Wire.U16(f, o + 14);
            s.Mss = 0;
            s.DataOffset = o + hl;
            s.DataLength = n - hl;
            // options: only MSS is used; EOL, NOP and unknown kinds with a length are skipped
            int p = o + Header;
            int end = o + hl;
            while (p < end)
            {
                int kind = f[p];
                if (kind == 0)
                {
                    break;
                }
                if (kind == 1)
                {
                    p++;
                    continue;
                }
                if (p + 1 >= end)
                {
                    break;
                }
                int olen = f[p + 1];
                if (olen < 2 || p + olen > end)
                {
                    break;
                }
                if (kind == 2 && olen == 4)
                {
                    s.Mss = Wire.U16(f, p + 2);
                }
                p += olen;
            }
            _stack.Stats.TcpSegmentsIn++;
            TcpConnection? c = Find(s);
            if (c == null)
            {
                TcpConnection? l = FindListener(s.DstPort);
                if (l == null)
                {
                    ResetForClosed(s);
                    return;
                }
                ListenInput(l, s, now);
                return;
            }
            if (c.State == TcpState.SynSent)
            {
                SynSentInput(c, s, f, now);
            }
            else
            {
                SynchronizedInput(c, s, f, now);
            }
            Output(c, now);
            MaybeFree(c);
        }

        [MayReturnNull]
        private TcpConnection? Find(TcpSegment s)
        {
            for (int i = 0; i < _pool.Length; i++)
            {
                TcpConnection c = _pool[i];
                if (c.InUse && c.State != TcpState.Listen && c.State != TcpState.Closed && c.LocalPort == s.DstPort
                    && c.RemotePort == s.SrcPort && c.RemoteIp == s.Src)
                {
                    return c;
                }
            }
            return null;
        }

        [MayReturnNull]
        private TcpConnection? FindListener(ushort port)
        {
            for (int i = 0; i < _pool.Length; i++)
            {
                TcpConnection c = _pool[i];
                if (c.InUse && c.State == TcpState.Listen && c.LocalPort == port)
                {
                    return c;
                }
            }
            return null;
        }

        private void ResetForClosed(TcpSegment s)
        {
            if (s.Rst)
            {
                return;
            }
            if (s.HasAck)
            {
                SendRaw(s.Src, s.DstPort, s.SrcPort, s.Ack, 0, Rst, 0, null, 0, 0);
            }
            else
            {
                SendRaw(s.Src, s.DstPort, s.SrcPort, 0, s.Seq + (uint)s.SeqLength, Rst | AckFlag, 0, null, 0, 0);
            }
        }

        private void ListenInput(TcpConnection l, TcpSegment s, long now)
        {
            if (s.Rst)
            {
                return;
            }
            if (s.HasAck)
            {
                SendRaw(s.Src, s.DstPort, s.SrcPort, s.Ack, 0, Rst, 0, null, 0, 0);
                return;
            }
            if (!s.Syn)
            {
                return;
            }
            if (l.Pending >= l.Backlog)
            {
                return; // backlog full: the client retransmits its SYN
            }
            TcpConnection? c = Allocate();
            if (c == null)
            {
                return;
            }
            c.Parent = l;
            l.Pending++;
            c.LocalIp = _stack.Ip;
            c.LocalPort = l.LocalPort;
            c.RemoteIp = s.Src;
            c.RemotePort = s.SrcPort;
            c.Irs = s.Seq;
            c.RcvNxt = s.Seq + 1;
            c.Iss = NewIss(now);
            c.SndUna = c.Iss;
            c.SndNxt = c.Iss + 1;
            c.SndMax = c.SndNxt;
            c.SndWnd = s.Window;
            c.SndWl1 = s.Seq;
            c.SndWl2 = c.Iss;
            c.SndMss = EffectiveMss(s.Mss);
            c.State = TcpState.SynReceived;
            SendSyn(c, true);
            c.RttActive = true;
            c.RttSeq = c.Iss + 1;
            c.RttStart = now;
            c.RtoDeadline = now + c.Rto;
        }

        private int EffectiveMss(int peer)
        {
            int m = peer == 0 ? 536 : peer;
            return Wire.Max(64, Wire.Min(m, _cfg.Mss));
        }

        private void SynSentInput(TcpConnection c, TcpSegment s, byte[] f, long now)
        {
            bool ackOk = false;
            if (s.HasAck)
            {
                if (Wire.SeqLe(s.Ack, c.Iss) || Wire.SeqGt(s.Ack, c.SndMax))
                {
                    if (!s.Rst)
                    {
                        SendRaw(c.RemoteIp, c.LocalPort, c.RemotePort, s.Ack, 0, Rst, 0, null, 0, 0);
                    }
                    return;
                }
                ackOk = true;
            }
            if (s.Rst)
            {
                if (ackOk)
                {
                    c.Error = NetErr.ECONNREFUSED;
                    EnterClosed(c);
                }
                return;
            }
            if (!s.Syn)
            {
                return;
            }
            c.Irs = s.Seq;
            c.RcvNxt = s.Seq + 1;
            c.SndMss = EffectiveMss(s.Mss);
            if (ackOk)
            {
                c.SndUna = s.Ack;
                c.SndWnd = s.Window;
                c.SndWl1 = s.Seq;
                c.SndWl2 = s.Ack;
                SampleRtt(c, s.Ack, now);
                c.RtoDeadline = 0;
                c.Retries = 0;
                Established(c);
                c.AckNow = true;
                ReceiveText(c, s, f, s.Seq + 1, now);
            }
            else
            {
                // simultaneous open
                c.State = TcpState.SynReceived;
                SendSyn(c, true);
            }
        }

        private void Established(TcpConnection c)
        {
            c.State = TcpState.Established;
            c.Cwnd = Wire.Min(4 * c.SndMss, Wire.Max(2 * c.SndMss, 4380));
            c.Ssthresh = 65535;
        }

        private int RcvWindow(TcpConnection c) => Wire.Min(c.Rcv.Free, 65535);

        private void SynchronizedInput(TcpConnection c, TcpSegment s, byte[] f, long now)
        {
            if (c.State == TcpState.SynReceived && c.Parent == null && s.Syn && s.HasAck && !s.Rst && s.Seq == c.Irs
                && s.Ack == c.Iss + 1)
            {
                // simultaneous open (RFC 9293 figure 7): their SYN-ACK acknowledges our SYN, and its SYN is the one
                // already taken; without this the two SYN-ACKs would each be answered by another SYN-ACK forever
                s.Flags &= ~Syn;
                s.Seq = c.RcvNxt;
            }
            // 1. sequence number check (RFC 9293 3.10.7.4)
            int wnd = RcvWindow(c);
            int len = s.SeqLength;
            bool ok;
            if (len == 0)
            {
                ok = wnd == 0 ? s.Seq == c.RcvNxt : InWindow(s.Seq, c.RcvNxt, wnd);
            }
            else if (wnd == 0)
            {
                // a bare FIN exactly at RCV.NXT is taken even with a closed window
                ok = s.DataLength == 0 && s.Fin && s.Seq == c.RcvNxt;
            }
            else
            {
                ok = InWindow(s.Seq, c.RcvNxt, wnd) || InWindow(s.Seq + (uint)len - 1, c.RcvNxt, wnd);
            }
            if (!ok)
            {
                bool old = len > 0 && Wire.SeqLe(s.Seq + (uint)len, c.RcvNxt);
                if (s.HasAck && !s.Rst && !s.Syn && c.State != TcpState.SynReceived && (wnd == 0 && s.Seq == c.RcvNxt || old))
                {
                    // RFC 9293 3.10.7.4: with a zero receive window, valid ACKs are still processed (else two
                    // peers with full buffers would never learn that the other drained its side). The ACK of an
                    // entirely old segment is processed too, as BSD and Linux do ("keep on processing for RST or
                    // ACK"): slirp retransmits its FIN on every segment it sends after it, and those FINs carry the
                    // ACKs of our data; dropping them whole left that data to the retransmission timer.
                    ProcessAck(c, s, now);
                }
                if (!s.Rst)
                {
                    c.AckNow = true;
                    if (c.State == TcpState.TimeWait && s.Fin)
                    {
                        c.TimeWaitDeadline = now + _cfg.TimeWaitMs;
                    }
                }
                return;
            }
            // 2. RST (RFC 5961 3.2: exact match resets, in-window gets a challenge ACK)
            if (s.Rst)
            {
                if (s.Seq != c.RcvNxt)
                {
                    c.AckNow = true;
                    return;
                }
                if (c.State == TcpState.SynReceived && c.Parent != null && !c.Owned)
                {
                    EnterClosed(c); // passive open: back to LISTEN, i.e. the block is dropped
                    return;
                }
                bool wasSynReceived = c.State == TcpState.SynReceived;
                bool closing = c.State == TcpState.Closing || c.State == TcpState.LastAck || c.State == TcpState.TimeWait;
                if (!closing)
                {
                    c.Error = wasSynReceived ? NetErr.ECONNREFUSED : NetErr.ECONNRESET;
                }
                c.Snd.Clear();
                EnterClosed(c);
                return;
            }
            // 4. SYN in a synchronized state: challenge ACK (RFC 5961 4.2)
            if (s.Syn)
            {
                if (c.State == TcpState.SynReceived && c.Parent != null && !c.Owned && s.Seq == c.Irs)
                {
                    SendSyn(c, true); // a retransmitted SYN: our SYN-ACK was lost
                    return;
                }
                c.AckNow = true;
                return;
            }
            // 5. ACK
            if (!s.HasAck)
            {
                return;
            }
            if (c.State == TcpState.SynReceived)
            {
                if (Wire.SeqLt(c.SndUna, s.Ack) && Wire.SeqLe(s.Ack, c.SndMax))
                {
                    SampleRtt(c, s.Ack, now);
                    c.SndUna = s.Ack;
                    c.SndWnd = s.Window;
                    c.SndWl1 = s.Seq;
                    c.SndWl2 = s.Ack;
                    c.RtoDeadline = 0;
                    c.Retries = 0;
                    Established(c);
                    if (c.FinQueued)
                    {
                        c.State = TcpState.FinWait1; // closed during the handshake: the FIN goes out now
                    }
                    TcpConnection? parent = c.Parent;
                    if (parent != null && !c.Owned)
                    {
                        c.Queued = true;
                        c.QueueOrder = ++_queueOrder;
                    }
                }
                else
                {
                    SendRaw(c.RemoteIp, c.LocalPort, c.RemotePort, s.Ack, 0, Rst, 0, null, 0, 0);
                    return;
                }
            }
            else if (!ProcessAck(c, s, now))
            {
                return;
            }
            // 7. segment text, 8. FIN
            ReceiveText(c, s, f, s.Seq, now);
        }

        private static bool InWindow(uint seq, uint start, int wnd) =>
            Wire.SeqLe(start, seq) && Wire.SeqLt(seq, start + (uint)wnd);

        /// <summary>The ACK field in ESTABLISHED and later states; false when the segment is to be dropped.</summary>
        private bool ProcessAck(TcpConnection c, TcpSegment s, long now)
        {
            if (Wire.SeqGt(s.Ack, c.SndMax))
            {
                c.AckNow = true; // acknowledges something not yet sent
                return false;
            }
            c.Retries = 0; // the peer is alive
            int flight = (int)(c.SndMax - c.SndUna);
            if (Wire.SeqGt(s.Ack, c.SndUna))
            {
                int acked = (int)(s.Ack - c.SndUna);
                bool finAckedNow = c.FinQueued && !c.FinAcked && acked > c.Snd.Count;
                int dataAcked = finAckedNow ? acked - 1 : acked;
                c.Snd.Drop(dataAcked);
                c.SndUna = s.Ack;
                if (Wire.SeqLt(c.SndNxt, c.SndUna))
                {
                    c.SndNxt = c.SndUna;
                }
                if (finAckedNow)
                {
                    c.FinAcked = true;
                }
                SampleRtt(c, s.Ack, now);
                if (c.DupAcks >= 3)
                {
                    c.Cwnd = c.Ssthresh; // leave fast recovery
                }
                else if (c.Cwnd < c.Ssthresh)
                {
                    c.Cwnd += Wire.Min(dataAcked, c.SndMss);
                }
                else
                {
                    c.Cwnd += Wire.Max(1, c.SndMss * c.SndMss / Wire.Max(1, c.Cwnd));
                }
                c.DupAcks = 0;
                c.PersistBackoff = 0;
                c.RtoDeadline = c.SndUna == c.SndMax ? 0 : now + c.Rto;
            }
            else if (s.Ack == c.SndUna && s.DataLength == 0 && !s.Fin && s.Window == c.SndWnd && flight > 0 && c.SndWnd != 0)
            {
                c.DupAcks++;
                if (c.DupAcks == 3)
                {
                    c.Ssthresh = Wire.Max(flight / 2, 2 * c.SndMss);
                    c.Cwnd = c.Ssthresh + 3 * c.SndMss;
                    c.RttActive = false;
                    RetransmitFirst(c);
                    _stack.Stats.TcpFastRetransmits++;
                }
                else if (c.DupAcks > 3)
                {
                    c.Cwnd += c.SndMss;
                }
            }
            // window update (SND.WL1/WL2 rule)
            if (Wire.SeqLt(c.SndWl1, s.Seq) || (c.SndWl1 == s.Seq && Wire.SeqLe(c.SndWl2, s.Ack)))
            {
                c.SndWnd = s.Window;
                c.SndWl1 = s.Seq;
                c.SndWl2 = s.Ack;
                if (c.SndWnd != 0)
                {
                    c.PersistDeadline = 0;
                }
            }
            switch (c.State)
            {
                case TcpState.FinWait1:
                    if (c.FinAcked)
                    {
                        c.State = TcpState.FinWait2;
                        if (c.AppClosed)
                        {
                            c.FinWait2Deadline = now + _cfg.FinWait2Ms;
                        }
                    }
                    break;
                case TcpState.Closing:
                    if (c.FinAcked)
                    {
                        EnterTimeWait(c, now);
                    }
                    break;
                case TcpState.LastAck:
                    if (c.FinAcked)
                    {
                        EnterClosed(c);
                        return false;
                    }
                    break;
                case TcpState.TimeWait:
                    break;
                default:
                    break;
            }
            return true;
        }

        private void SampleRtt(TcpConnection c, uint ack, long now)
        {
            if (!c.RttActive || Wire.SeqLt(ack, c.RttSeq))
            {
                return;
            }
            c.RttActive = false;
            long r = now - c.RttStart;
            if (r < 0)
            {
                r = 0;
            }
            if (!c.HaveRtt)
            {
                c.Srtt = r;
                c.RttVar = r / 2;
                c.HaveRtt = true;
            }
            else
            {
                long d = c.Srtt - r;
                if (d < 0)
                {
                    d = -d;
                }
                c.RttVar = (3 * c.RttVar + d) / 4;
                c.Srtt = (7 * c.Srtt + r) / 8;
            }
            c.Rto = ComputedRto(c);
        }

        private long ComputedRto(TcpConnection c)
        {
            if (!c.HaveRtt)
            {
                return _cfg.InitialRtoMs;
            }
            long rto = c.Srtt + Wire.MaxL(_cfg.ClockGranularityMs, 4 * c.RttVar);
            return Wire.MinL(Wire.MaxL(rto, _cfg.MinRtoMs), _cfg.MaxRtoMs);
        }

        private void ReceiveText(TcpConnection c, TcpSegment s, byte[] f, uint seq, long now)
        {
            bool acceptsText = c.State == TcpState.Established || c.State == TcpState.FinWait1 || c.State == TcpState.FinWait2;
            int n = s.DataLength;
            int off = s.DataOffset;
            bool fin = s.Fin;
            uint finSeq = seq + (uint)n;
            if (n > 0 || fin)
            {
                c.AckNow = true;
            }
            if (acceptsText && n > 0 && !c.FinReceived)
            {
                // trim what is already received, then what lies beyond the window
                if (Wire.SeqLt(seq, c.RcvNxt))
                {
                    int d = (int)(c.RcvNxt - seq);
                    if (d >= n)
                    {
                        n = 0;
                    }
                    else
                    {
                        off += d;
                        n -= d;
                    }
                    seq = c.RcvNxt;
                }
                int wnd = c.Rcv.Free;
                int rel = (int)(seq - c.RcvNxt);
                if (rel + n > wnd)
                {
                    n = Wire.Max(0, wnd - rel);
                    fin = false; // the FIN lies beyond what we keep: the peer sends it again
                }
                if (n > 0)
                {
                    c.Rcv.WriteAt(c.Rcv.Count + rel, f, off, n);
                    if (rel == 0)
                    {
                        c.Rcv.Commit(n);
                        c.RcvNxt += (uint)n;
                        DrainHoles(c);
                    }
                    else
                    {
                        AddHole(c, seq, seq + (uint)n);
                        _stack.Stats.TcpOutOfOrder++;
                    }
                }
            }
            if (fin && !c.FinReceived && c.State != TcpState.Closed)
            {
                c.FinPending = true;
                c.FinSeq = finSeq;
            }
            if (c.FinPending && !c.FinReceived && c.FinSeq == c.RcvNxt)
            {
                c.FinReceived = true;
                c.FinPending = false;
                c.RcvNxt++;
                c.AckNow = true;
                switch (c.State)
                {
                    case TcpState.SynReceived:
                    case TcpState.Established:
                        c.State = TcpState.CloseWait;
                        break;
                    case TcpState.FinWait1:
                        if (c.FinAcked)
                        {
                            EnterTimeWait(c, now);
                        }
                        else
                        {
                            c.State = TcpState.Closing;
                        }
                        break;
                    case TcpState.FinWait2:
                        EnterTimeWait(c, now);
                        break;
                    default:
                        break;
                }
            }
            else if (fin && c.State == TcpState.TimeWait)
            {
                c.TimeWaitDeadline = now + _cfg.TimeWaitMs;
            }
            if (c.AppClosed)
            {
                c.Rcv.Drop(c.Rcv.Count);
            }
        }

        private void AddHole(TcpConnection c, uint start, uint end)
        {
            // merge with every overlapping or adjacent range
            int i = 0;
            while (i < c.Holes)
            {
                if (Wire.SeqLe(c.HoleStart[i], end) && Wire.SeqLe(start, c.HoleEnd[i]))
                {
                    if (Wire.SeqLt(c.HoleStart[i], start))
                    {
                        start = c.HoleStart[i];
                    }
                    if (Wire.SeqGt(c.HoleEnd[i], end))
                    {
                        end = c.HoleEnd[i];
                    }
                    RemoveHole(c, i);
                    continue;
                }
                i++;
            }
            if (c.Holes == TcpConnection.MaxHoles)
            {
                return; // no room to remember it: the bytes stay unmarked and come again
            }
            c.HoleStart[c.Holes] = start;
            c.HoleEnd[c.Holes] = end;
            c.Holes++;
        }

        private static void RemoveHole(TcpConnection c, int i)
        {
            c.Holes--;
            c.HoleStart[i] = c.HoleStart[c.Holes];
            c.HoleEnd[i] = c.HoleEnd[c.Holes];
        }

        private static void DrainHoles(TcpConnection c)
        {
            bool progress = true;
            while (progress)
            {
                progress = false;
                for (int i = 0; i < c.Holes; i++)
                {
                    if (Wire.SeqLe(c.HoleStart[i], c.RcvNxt))
                    {
                        if (Wire.SeqGt(c.HoleEnd[i], c.RcvNxt))
                        {
                            int add = (int)(c.HoleEnd[i] - c.RcvNxt);
                            c.Rcv.Commit(add);
                            c.RcvNxt = c.HoleEnd[i];
                        }
                        RemoveHole(c, i);
                        progress = true;
                        break;
                    }
                }
            }
        }

        private void EnterTimeWait(TcpConnection c, long now)
        {
            c.State = TcpState.TimeWait;
            c.TimeWaitDeadline = now + _cfg.TimeWaitMs;
            c.RtoDeadline = 0;
            c.PersistDeadline = 0;
        }

        private void EnterClosed(TcpConnection c)
        {
            c.State = TcpState.Closed;
            c.RtoDeadline = 0;
            c.PersistDeadline = 0;
            c.AckNow = false;
        }

        /// <summary>An ARP reply arrived: resend at once what waits on that neighbour instead of waiting for the RTO.</summary>
        internal void OnNeighborResolved(uint ip, long now)
        {
            for (int i = 0; i < _pool.Length; i++)
            {
                TcpConnection c = _pool[i];
                if (c.InUse && c.RtoDeadline != 0 && _stack.NextHop(c.RemoteIp) == ip && c.Retries == 0)
                {
                    c.RtoDeadline = now > 0 ? now : 1; // 0 means "timer off"
                    c.Retries = -1; // this expiry is not a loss: no backoff, no retry counted
                }
            }
        }

        // ---- timers ------------------------------------------------------------------------------------

        /// <summary>The earliest deadline of any timer (retransmission, persist, TIME_WAIT, FIN_WAIT_2), or 0 when no
        /// timer runs: until then, with no frame arriving and no user call, <see cref="Poll"/> has nothing to do
        /// (smoltcp's <c>poll_at</c>; a caller may sleep or a simulation may skip ahead to it).</summary>
        public long NextDeadline()
        {
            long next = 0;
            for (int i = 0; i < _pool.Length; i++)
            {
                TcpConnection c = _pool[i];
                if (!c.InUse)
                {
                    continue;
                }
                next = Earlier(next, c.RtoDeadline);
                next = Earlier(next, c.PersistDeadline);
                if (c.State == TcpState.TimeWait)
                {
                    next = Earlier(next, c.TimeWaitDeadline);
                }
                if (c.State == TcpState.FinWait2)
                {
                    next = Earlier(next, c.FinWait2Deadline);
                }
            }
            return next;
        }

        private static long Earlier(long a, long b) => b != 0 && (a == 0 || b < a) ? b : a;

        internal void Poll(long now)
        {
            for (int i = 0; i < _pool.Length; i++)
            {
                TcpConnection c = _pool[i];
                if (!c.InUse)
                {
                    continue;
                }
                if (c.State == TcpState.TimeWait)
                {
                    if (now >= c.TimeWaitDeadline)
                    {
                        c.State = TcpState.Closed;
                        MaybeFreeAfterTimeWait(c);
                    }
                    continue;
                }
                if (c.State == TcpState.FinWait2 && c.FinWait2Deadline != 0 && now >= c.FinWait2Deadline)
                {
                    EnterClosed(c);
                    MaybeFree(c);
                    continue;
                }
                if (c.RtoDeadline != 0 && now >= c.RtoDeadline)
                {
                    RetransmitTimeout(c, now);
                }
                if (c.PersistDeadline != 0 && now >= c.PersistDeadline)
                {
                    Probe(c, now);
                }
                Output(c, now);
                MaybeFree(c);
            }
        }

        private void MaybeFreeAfterTimeWait(TcpConnection c)
        {
            if (c.AppClosed || !c.Owned && !c.Queued)
            {
                FreeBlock(c);
            }
        }

        private void RetransmitTimeout(TcpConnection c, long now)
        {
            bool loss = c.Retries >= 0;
            c.Retries = loss ? c.Retries + 1 : 0;
            if (c.Retries > _cfg.MaxRetries)
            {
                c.Error = NetErr.ETIMEDOUT;
                if (c.State != TcpState.SynSent)
                {
                    SendControl(c, c.SndNxt, 0, Rst);
                }
                c.Snd.Clear();
                EnterClosed(c);
                return;
            }
            if (loss)
            {
                c.Rto = Wire.MinL(c.Rto * 2, _cfg.MaxRtoMs);
                int flight = (int)(c.SndMax - c.SndUna);
                c.Ssthresh = Wire.Max(flight / 2, 2 * c.SndMss);
                c.Cwnd = c.SndMss;
                _stack.Stats.TcpRetransmits++;
            }
            c.RttActive = false; // Karn: no sample from a retransmitted segment
            c.DupAcks = 0;
            if (c.State == TcpState.SynSent)
            {
                SendSyn(c, false);
                c.RtoDeadline = now + c.Rto;
                return;
            }
            if (c.State == TcpState.SynReceived)
            {
                SendSyn(c, true);
                c.RtoDeadline = now + c.Rto;
                return;
            }
            c.SndNxt = c.SndUna; // go back: resend from the first unacknowledged byte
            c.RtoDeadline = 0;
            Output(c, now);
            if (c.RtoDeadline == 0 && c.SndMax != c.SndUna && c.SndWnd != 0)
            {
                c.RtoDeadline = now + c.Rto;
            }
        }

        private void Probe(TcpConnection c, long now)
        {
            c.PersistDeadline = 0;
            if (c.SndWnd != 0 || c.Snd.Count == 0)
            {
                return;
            }
            // one byte beyond the closed window (RFC 9293 3.8.6.1); a probe still unanswered is sent again
            SendData(c, c.SndUna, 0, 1, now);
            if (c.SndNxt == c.SndUna)
            {
                c.SndNxt++;
                if (Wire.SeqGt(c.SndNxt, c.SndMax))
                {
                    c.SndMax = c.SndNxt;
                }
            }
            _stack.Stats.TcpZeroWindowProbes++;
            c.PersistBackoff = c.PersistBackoff == 0 ? c.Rto : Wire.MinL(c.PersistBackoff * 2, _cfg.MaxRtoMs);
            c.PersistDeadline = now + c.PersistBackoff;
        }

        // ---- output ------------------------------------------------------------------------------------

        private static int SentData(TcpConnection c) => Wire.Min((int)(c.SndNxt - c.SndUna), c.Snd.Count);

        private static bool CanSendData(TcpState s) =>
            s == TcpState.Established || s == TcpState.CloseWait || s == TcpState.FinWait1 || s == TcpState.Closing || s == TcpState.LastAck;

        /// <summary>Sends what the windows allow, the FIN after the last byte, and an ACK when one is owed.</summary>
        internal void Output(TcpConnection c, long now)
        {
            if (!c.InUse || c.State == TcpState.Closed || c.State == TcpState.Listen)
            {
                return;
            }
            if (c.State == TcpState.SynSent || c.State == TcpState.SynReceived)
            {
                if (c.AckNow && c.State == TcpState.SynReceived)
                {
                    SendSyn(c, true);
                }
                c.AckNow = false;
                return;
            }
            if (CanSendData(c.State))
            {
                int window = Wire.Min(c.SndWnd, c.Cwnd);
                while (true)
                {
                    int sent = SentData(c);
                    int unsent = c.Snd.Count - sent;
                    int inFlight = (int)(c.SndNxt - c.SndUna);
                    int room = window - inFlight;
                    if (unsent <= 0 || room <= 0)
                    {
                        break;
                    }
                    int n = Wire.Min(Wire.Min(unsent, room), c.SndMss);
                    if (n < c.SndMss && n < unsent && inFlight > 0)
                    {
                        break; // sender-side silly window avoidance: wait for a full segment
                    }
                    bool fresh = c.SndNxt == c.SndMax;
                    SendData(c, c.SndNxt, sent, n, now);
                    c.SndNxt += (uint)n;
                    if (Wire.SeqGt(c.SndNxt, c.SndMax))
                    {
                        c.SndMax = c.SndNxt;
                    }
                    if (fresh && !c.RttActive)
                    {
                        c.RttActive = true;
                        c.RttSeq = c.SndNxt;
                        c.RttStart = now;
                    }
                    if (c.RtoDeadline == 0)
                    {
                        c.RtoDeadline = now + c.Rto;
                    }
                }
                if (c.FinQueued && !c.FinAcked && SentData(c) == c.Snd.Count && c.SndNxt == c.SndUna + (uint)c.Snd.Count)
                {
                    SendControl(c, c.SndNxt, c.RcvNxt, Fin | AckFlag);
                    c.SndNxt++;
                    if (Wire.SeqGt(c.SndNxt, c.SndMax))
                    {
                        c.SndMax = c.SndNxt;
                    }
                    if (c.RtoDeadline == 0)
                    {
                        c.RtoDeadline = now + c.Rto;
                    }
                }
                // zero window with data waiting and nothing in flight: the persist timer probes
                if (c.SndWnd == 0 && SentData(c) < c.Snd.Count && c.SndNxt == c.SndUna && c.PersistDeadline == 0)
                {
                    c.PersistDeadline = now + (c.PersistBackoff == 0 ? c.Rto : c.PersistBackoff);
                }
            }
            if (c.AckNow)
            {
                SendControl(c, c.SndNxt, c.RcvNxt, AckFlag);
            }
            if (c.SndMax != c.SndUna && c.RtoDeadline == 0 && c.PersistDeadline == 0 && c.SndWnd != 0)
            {
                c.RtoDeadline = now + c.Rto; // something is in flight: it must be timed
            }
        }

        private void MaybeWindowUpdate(TcpConnection c, long now)
        {
            if (c.State != TcpState.Established && c.State != TcpState.FinWait1 && c.State != TcpState.FinWait2)
            {
                return;
            }
            int grown = RcvWindow(c) - c.LastAdvertised;
            if (grown >= Wire.Min(RcvMss, c.Rcv.Capacity / 2))
            {
                c.AckNow = true;
                Output(c, now);
            }
        }

        private void RetransmitFirst(TcpConnection c)
        {
            int n = Wire.Min(c.Snd.Count, c.SndMss);
            if (n > 0)
            {
                SendData(c, c.SndUna, 0, n, 0);
            }
            else if (c.FinQueued && !c.FinAcked)
            {
                SendControl(c, c.SndUna, c.RcvNxt, Fin | AckFlag);
            }
        }

        private void SendSyn(TcpConnection c, bool withAck)
        {
            byte[] b = _stack.TxBuffer;
            int o = NetStack.L4Offset + Header;
            b[o] = 2;
            b[o + 1] = 4;
            Wire.Put16(b, o + 2, _cfg.Mss);
            int wnd = RcvWindow(c);
            c.LastAdvertised = wnd;
            SendRaw(c.RemoteIp, c.LocalPort, c.RemotePort, c.Iss, withAck ? c.RcvNxt : 0, withAck ? Syn | AckFlag : Syn, wnd, null, 0, 4);
            c.AckNow = false;
        }

        private void SendControl(TcpConnection c, uint seq, uint ack, int flags)
        {
            int wnd = RcvWindow(c);
            c.LastAdvertised = wnd;
            SendRaw(c.RemoteIp, c.LocalPort, c.RemotePort, seq, ack, flags, wnd, null, 0, 0);
            c.AckNow = false;
        }

        private void SendData(TcpConnection c, uint seq, int ringOffset, int n, long now)
        {
            byte[] b = _stack.TxBuffer;
            c.Snd.Peek(ringOffset, b, NetStack.L4Offset + Header, n);
            int wnd = RcvWindow(c);
            c.LastAdvertised = wnd;
            bool last = ringOffset + n == c.Snd.Count;
            SendRaw(c.RemoteIp, c.LocalPort, c.RemotePort, seq, c.RcvNxt, AckFlag | (last ? Psh : 0), wnd, b, -1, n);
            c.AckNow = false;
            _ = now;
        }

        /// <summary>Builds a segment in the transmit buffer. Payload (or options, for a SYN) is either already in
        /// place after the header (<paramref name="payloadOffset"/> = -1, or null buffer with a length for the SYN's
        /// MSS option) and is checksummed with the header.</summary>
        private void SendRaw(uint dst, ushort sport, ushort dport, uint seq, uint ack, int flags, int wnd, byte[]? payload, int payloadOffset, int n)
        {
            byte[] b = _stack.TxBuffer;
            int o = NetStack.L4Offset;
            bool options = payload == null && n == 4;
            int hl = options ? Header + 4 : Header;
            int dataLen = options ? 0 : n;
            Wire.Put16(b, o, sport);
            Wire.Put16(b, o + 2, dport);
            Wire.Put32(b, o + 4, seq);
            Wire.Put32(b, o + 8, (flags & AckFlag) != 0 ? ack : 0);
            b[o + 12] = (byte)((hl / 4) << 4);
            b[o + 13] = (byte)flags;
            Wire.Put16(b, o + 14, wnd);
            Wire.Put16(b, o + 16, 0);
            Wire.Put16(b, o + 18, 0);
            int total = hl + dataLen;
            uint sum = Wire.PseudoHeader(_stack.Ip, dst, NetStack.ProtoTcp, total);
            Wire.Put16(b, o + 16, Wire.Fold(Wire.SumWords(sum, b, o, total)));
            if ((flags & Rst) != 0)
            {
                _stack.Stats.TcpResetsSent++;
            }
            _stack.Stats.TcpSegmentsOut++;
            _stack.SendIp(dst, NetStack.ProtoTcp, total);
        }
    }
}
