namespace Kernel.Services.Net
{
    /// <summary>A bound UDP port with a bounded queue of received datagrams.</summary>
    public sealed class UdpSocket
    {
        internal readonly byte[][] Data;
        internal readonly int[] Length;
        internal readonly uint[] FromIp;
        internal readonly ushort[] FromPort;
        internal int Head;
        internal int Count;

        internal UdpSocket(int queue)
        {
            Data = new byte[queue][];
            for (int i = 0; i < queue; i++)
            {
                Data[i] = new byte[NetStack.MaxL4 - 8];
            }
            Length = new int[queue];
            FromIp = new uint[queue];
            FromPort = new ushort[queue];
        }

        public bool InUse { get; internal set; }

        public ushort Port { get; internal set; }

        public long Dropped { get; internal set; }

        public int Queued => Count;
    }

    /// <summary>UDP (RFC 768): bind, send to, receive from; checksums generated and verified.</summary>
    public sealed class UdpLayer
    {
        private readonly NetStack _stack;
        private readonly UdpSocket[] _sockets;

        internal UdpLayer(NetStack stack, NetConfig config)
        {
            _stack = stack;
            _sockets = new UdpSocket[config.UdpSockets];
            for (int i = 0; i < _sockets.Length; i++)
            {
                _sockets[i] = new UdpSocket(config.UdpQueue);
            }
        }

        public int InUse
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _sockets.Length; i++)
                {
                    if (_sockets[i].InUse)
                    {
                        n++;
                    }
                }
                return n;
            }
        }

        /// <summary>Binds a port; null when it is taken or no socket is free (<paramref name="err"/> says which).</summary>
        [MayReturnNull]
        public UdpSocket? BindAndErr(ushort port, out int err)
        {
            UdpSocket? free = null;
            for (int i = 0; i < _sockets.Length; i++)
            {
                UdpSocket s = _sockets[i];
                if (s.InUse && s.Port == port)
                {
                    err = NetErr.EADDRINUSE;
                    return null;
                }
                if (!s.InUse && free == null)
                {
                    free = s;
                }
            }
            if (free == null || port == 0)
            {
                err = port == 0 ? NetErr.EINVAL : NetErr.ENOBUFS;
                return null;
            }
            free.InUse = true;
            free.Port = port;
            free.Head = 0;
            free.Count = 0;
            err = 0;
            return free;
        }

        public void Unbind(UdpSocket s)
        {
            s.InUse = false;
            s.Count = 0;
            s.Head = 0;
        }

        /// <summary>Sends one datagram; returns the bytes sent, or -EINVAL (range outside buf), -EMSGSIZE, -EAGAIN
        /// (next hop not resolved yet).</summary>
        public int SendTo(UdpSocket s, uint ip, ushort port, byte[] buf, int off, int len)
        {
            if (off < 0 || len < 0 || len > buf.Length - off)
            {
                return -NetErr.EINVAL;
            }
            if (len < 0 || len > NetStack.MaxL4 - 8)
            {
                return -NetErr.EMSGSIZE;
            }
            byte[] b = _stack.TxBuffer;
            int o = NetStack.L4Offset;
            Wire.Put16(b, o, s.Port);
            Wire.Put16(b, o + 2, port);
            Wire.Put16(b, o + 4, 8 + len);
            Wire.Put16(b, o + 6, 0);
            Wire.Copy(buf, off, b, o + 8, len);
            uint sum = Wire.PseudoHeader(_stack.Ip, ip, NetStack.ProtoUdp, 8 + len);
            ushort c = Wire.Fold(Wire.SumWords(sum, b, o, 8 + len));
            Wire.Put16(b, o + 6, c == 0 ? 0xFFFF : c);
            if (!_stack.SendIp(ip, NetStack.ProtoUdp, 8 + len))
            {
                return -NetErr.EAGAIN;
            }
            _stack.Stats.UdpOut++;
            return len;
        }

        /// <summary>Takes the oldest datagram (up to len bytes of it; the rest is discarded, as for a datagram
        /// socket); returns its length copied, -EAGAIN when the queue is empty, -EINVAL for a range outside buf.</summary>
        public int RecvFrom(UdpSocket s, byte[] buf, int off, int len, out uint ip, out ushort port)
        {
            if (off < 0 || len < 0 || len > buf.Length - off)
            {
                ip = 0;
                port = 0;
                return -NetErr.EINVAL;
            }
            if (s.Count == 0)
            {
                ip = 0;
                port = 0;
                return -NetErr.EAGAIN;
            }
            int i = s.Head;
            int n = Wire.Min(len, s.Length[i]);
            Wire.Copy(s.Data[i], 0, buf, off, n);
            ip = s.FromIp[i];
            port = s.FromPort[i];
            s.Head = (s.Head + 1) % s.Data.Length;
            s.Count--;
            return n;
        }

        internal void Input(byte[] f, int o, int n, uint src, uint dst)
        {
            if (n < 8)
            {
                _stack.Stats.Malformed++;
                return;
            }
            int ulen = Wire.U16(f, o + 4);
            if (ulen < 8 || ulen > n)
            {
                _stack.Stats.Malformed++;
                return;
            }
            if (Wire.U16(f, o + 6) != 0)
            {
                uint sum = Wire.PseudoHeader(src, dst, NetStack.ProtoUdp, ulen);
                if (Wire.Fold(Wire.SumWords(sum, f, o, ulen)) != 0)
                {
                    _stack.Stats.BadChecksum++;
                    return;
                }
            }
            ushort dport = Wire.U16(f, o + 2);
            for (int i = 0; i < _sockets.Length; i++)
            {
                UdpSocket s = _sockets[i];
                if (s.InUse && s.Port == dport)
                {
                    if (s.Count == s.Data.Length)
                    {
                        s.Dropped++;
                        return;
                    }
                    int slot = (s.Head + s.Count) % s.Data.Length;
                    int len = ulen - 8;
                    Wire.Copy(f, o + 8, s.Data[slot], 0, len);
                    s.Length[slot] = len;
                    s.FromIp[slot] = src;
                    s.FromPort[slot] = Wire.U16(f, o);
                    s.Count++;
                    _stack.Stats.UdpIn++;
                    return;
                }
            }
            _stack.Stats.UdpNoPort++;
        }
    }
}
