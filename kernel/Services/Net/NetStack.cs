namespace Kernel.Services.Net
{
    /// <summary>One interface's settings. Time is in milliseconds of whatever clock the caller passes in.</summary>
    public sealed class NetConfig
    {
        public ulong Mac;
        public uint Ip;
        public uint Netmask = 0xFFFFFF00;
        public uint Gateway;
        public int MaxConnections = 16;
        public int RecvBuffer = 16384;
        public int SendBuffer = 16384;
        public int Mss = 1460;
        public long InitialRtoMs = 1000;
        public long MinRtoMs = 1000;
        public long MaxRtoMs = 60000;
        public long ClockGranularityMs = 1;
        public int MaxRetries = 12;
        public long TimeWaitMs = 4000;
        public long FinWait2Ms = 60000;
        public uint IssSeed = 0x1234567;
        public int UdpSockets = 4;
        public int UdpQueue = 4;
    }

    /// <summary>Counters for tests: frames, drops by reason, and live resources (leak checks).</summary>
    public sealed class NetStats
    {
        public long FramesIn;
        public long FramesOut;
        public long TransmitFailures;
        public long Dropped;
        public long BadChecksum;
        public long Malformed;
        public long FragmentsDropped;
        public long NotForUs;
        public long ArpRequestsSent;
        public long ArpRepliesSent;
        public long ArpMisses;
        public long EchoRepliesSent;
        public long EchoRepliesReceived;
        public long TcpSegmentsIn;
        public long TcpSegmentsOut;
        public long TcpRetransmits;
        public long TcpFastRetransmits;
        public long TcpResetsSent;
        public long TcpZeroWindowProbes;
        public long TcpOutOfOrder;
        public long UdpIn;
        public long UdpOut;
        public long UdpNoPort;
    }

    /// <summary>
    /// The network stack of one interface: Ethernet, ARP, IPv4, ICMP echo, UDP and TCP. Pure logic in the smoltcp
    /// style: frames come in through <see cref="Input"/>, time through the <c>now</c> arguments and <see cref="Poll"/>,
    /// frames go out through the device. All memory (connection pool with its buffers, ARP cache, UDP queues, the
    /// transmit buffer) is allocated once in the constructor: nothing is allocated per frame.
    /// </summary>
    public sealed class NetStack
    {
        public const int EthHeader = 14;
        public const int IpHeader = 20;
        public const int MaxFrame = 1514;
        public const int EtherIp = 0x0800;
        public const int EtherArp = 0x0806;
        public const int ProtoIcmp = 1;
        public const int ProtoTcp = 6;
        public const int ProtoUdp = 17;
        private const int ArpEntries = 16;

        private readonly INetDevice _dev;
        private readonly byte[] _tx = new byte[MaxFrame];
        private readonly byte[] _arpTx = new byte[60];
        private readonly uint[] _arpIp = new uint[ArpEntries];
        private readonly ulong[] _arpMac = new ulong[ArpEntries];
        private readonly long[] _arpTime = new long[ArpEntries];
        private ushort _ipId = 1;

        public NetStack(NetConfig config, INetDevice device)
        {
            Config = config;
            _dev = device;
            Stats = new NetStats();
            Tcp = new TcpLayer(this, config);
            Udp = new UdpLayer(this, config);
        }

        public NetConfig Config { get; }

        public NetStats Stats { get; }

        public TcpLayer Tcp { get; }

        public UdpLayer Udp { get; }

        public uint Ip => Config.Ip;

        public ulong MacAddress => Config.Mac;

        /// <summary>Processes one received Ethernet frame (length without FCS). Never throws on malformed input:
        /// every field is checked against <paramref name="length"/> before use.</summary>
        public void Input(byte[] frame, int length, long now)
        {
            Stats.FramesIn++;
            if (length > frame.Length || length < EthHeader)
            {
                Stats.Malformed++;
                return;
            }
            ulong dst = Mac.Read(frame, 0);
            if (dst != Config.Mac && dst != Mac.Broadcast)
            {
                Stats.NotForUs++;
                return;
            }
            int type = Wire.U16(frame, 12);
            if (type == EtherArp)
            {
                ArpInput(frame, length, now);
            }
            else if (type == EtherIp)
            {
                IpInput(frame, length, now);
            }
            else
            {
                Stats.Dropped++;
            }
        }

        /// <summary>Runs the timers (retransmission, persist, TIME_WAIT).</summary>
        public void Poll(long now) => Tcp.Poll(now);

        /// <summary>When <see cref="Poll"/> next has work without new input: the earliest timer deadline, 0 for none.</summary>
        public long NextDeadline() => Tcp.NextDeadline();

        // ---- ARP ---------------------------------------------------------------------------------------

        /// <summary>The cached MAC for an address, or 0.</summary>
        public ulong ArpLookup(uint ip)
        {
            for (int i = 0; i < ArpEntries; i++)
            {
                if (_arpIp[i] == ip && _arpMac[i] != 0)
                {
                    return _arpMac[i];
                }
            }
            return 0;
        }

        public int ArpCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < ArpEntries; i++)
                {
                    if (_arpMac[i] != 0)
                    {
                        n++;
                    }
                }
                return n;
            }
        }

        private bool ArpUpdate(uint ip, ulong mac, long now, bool create)
        {
            int free = -1;
            int oldest = 0;
            for (int i = 0; i < ArpEntries; i++)
            {
                if (_arpMac[i] != 0 && _arpIp[i] == ip)
                {
                    _arpMac[i] = mac;
                    _arpTime[i] = now;
                    return false;
                }
                if (_arpMac[i] == 0 && free < 0)
                {
                    free = i;
                }
                if (_arpTime[i] < _arpTime[oldest])
                {
                    oldest = i;
                }
            }
            if (!create)
            {
                return false;
            }
            int slot = free >= 0 ? free : oldest;
            _arpIp[slot] = ip;
            _arpMac[slot] = mac;
            _arpTime[slot] = now;
            return true;
        }

        private void ArpInput(byte[] f, int length, long now)
        {
            if (length < EthHeader + 28)
            {
                Stats.Malformed++;
                return;
            }
            int o = EthHeader;
            if (Wire.U16(f, o) != 1 || Wire.U16(f, o + 2) != EtherIp || f[o + 4] != 6 || f[o + 5] != 4)
            {
                Stats.Malformed++;
                return;
            }
            int op = Wire.U16(f, o + 6);
            ulong sha = Mac.Read(f, o + 8);
            uint spa = Wire.U32(f, o + 14);
            uint tpa = Wire.U32(f, o + 24);
            if (sha == 0 || sha == Mac.Broadcast || spa == 0)
            {
                Stats.Dropped++;
                return;
            }
            // RFC 826: merge the sender if known; add it if the request is for us
            bool forUs = tpa == Config.Ip;
            bool learned = ArpUpdate(spa, sha, now, forUs);
            if (forUs && op == 1)
            {
                ArpSend(2, sha, spa);
                Stats.ArpRepliesSent++;
            }
            if (learned)
            {
                Tcp.OnNeighborResolved(spa, now);
            }
        }

        private void ArpSend(int op, ulong targetMac, uint targetIp)
        {
            byte[] b = _arpTx;
            Mac.Write(b, 0, op == 1 ? Mac.Broadcast : targetMac);
            Mac.Write(b, 6, Config.Mac);
            Wire.Put16(b, 12, EtherArp);
            int o = EthHeader;
            Wire.Put16(b, o, 1);
            Wire.Put16(b, o + 2, EtherIp);
            b[o + 4] = 6;
            b[o + 5] = 4;
            Wire.Put16(b, o + 6, op);
            Mac.Write(b, o + 8, Config.Mac);
            Wire.Put32(b, o + 14, Config.Ip);
            Mac.Write(b, o + 18, op == 1 ? 0 : targetMac);
            Wire.Put32(b, o + 24, targetIp);
            Wire.Fill(b, o + 28, 60 - (o + 28), 0);
            Emit(b, 60);
        }

        /// <summary>Sends an ARP request for an address (also done automatically on a cache miss).</summary>
        public void ArpRequest(uint ip)
        {
            ArpSend(1, 0, ip);
            Stats.ArpRequestsSent++;
        }

        private void Emit(byte[] b, int n)
        {
            if (_dev.Transmit(b, n))
            {
                Stats.FramesOut++;
            }
            else
            {
                Stats.TransmitFailures++;
            }
        }

        // ---- IPv4 --------------------------------------------------------------------------------------

        public uint NextHop(uint dst)
        {
            if (dst == 0xFFFFFFFF || (dst & Config.Netmask) == (Config.Ip & Config.Netmask) || Config.Gateway == 0)
            {
                return dst;
            }
            return Config.Gateway;
        }

        /// <summary>The transmit buffer: callers write their L4 header and payload at <see cref="L4Offset"/>, then call
        /// <see cref="SendIp"/>.</summary>
        internal byte[] TxBuffer => _tx;

        public const int L4Offset = EthHeader + IpHeader;

        public const int MaxL4 = MaxFrame - L4Offset;

        /// <summary>Wraps the L4 bytes already in the transmit buffer in IPv4 and Ethernet and sends them. False when the
        /// next hop's MAC is unknown: an ARP request goes out and the packet is dropped (TCP retransmits it once the
        /// reply arrives).</summary>
        internal bool SendIp(uint dst, int protocol, int l4Length)
        {
            uint hop = NextHop(dst);
            ulong mac = dst == 0xFFFFFFFF ? Mac.Broadcast : ArpLookup(hop);
            if (mac == 0)
            {
                Stats.ArpMisses++;
                ArpRequest(hop);
                return false;
            }
            byte[] b = _tx;
            Mac.Write(b, 0, mac);
            Mac.Write(b, 6, Config.Mac);
            Wire.Put16(b, 12, EtherIp);
            int o = EthHeader;
            b[o] = 0x45;
            b[o + 1] = 0;
            Wire.Put16(b, o + 2, IpHeader + l4Length);
            Wire.Put16(b, o + 4, _ipId++);
            Wire.Put16(b, o + 6, 0x4000); // don't fragment
            b[o + 8] = 64;
            b[o + 9] = (byte)protocol;
            Wire.Put16(b, o + 10, 0);
            Wire.Put32(b, o + 12, Config.Ip);
            Wire.Put32(b, o + 16, dst);
            Wire.Put16(b, o + 10, Wire.Checksum(b, o, IpHeader));
            int n = EthHeader + IpHeader + l4Length;
            if (n < 60)
            {
                Wire.Fill(b, n, 60 - n, 0);
                n = 60;
            }
            Emit(b, n);
            return true;
        }

        private void IpInput(byte[] f, int length, long now)
        {
            int o = EthHeader;
            if (length < o + IpHeader)
            {
                Stats.Malformed++;
                return;
            }
            int vihl = f[o];
            int ihl = (vihl & 15) * 4;
            int total = Wire.U16(f, o + 2);
            if ((vihl >> 4) != 4 || ihl < IpHeader || total < ihl || o + total > length)
            {
                Stats.Malformed++;
                return;
            }
            if (Wire.Checksum(f, o, ihl) != 0)
            {
                Stats.BadChecksum++;
                return;
            }
            int frag = Wire.U16(f, o + 6);
            if ((frag & 0x2000) != 0 || (frag & 0x1FFF) != 0)
            {
                Stats.FragmentsDropped++; // no reassembly: fragments are dropped cleanly
                return;
            }
            uint src = Wire.U32(f, o + 12);
            uint dst = Wire.U32(f, o + 16);
            uint bcast = Config.Ip | ~Config.Netmask;
            if (dst != Config.Ip && dst != 0xFFFFFFFF && dst != bcast)
            {
                Stats.NotForUs++;
                return;
            }
            int proto = f[o + 9];
            int l4 = o + ihl;
            int l4Len = total - ihl;
            if (proto == ProtoTcp && dst == Config.Ip)
            {
                Tcp.Input(f, l4, l4Len, src, dst, now);
            }
            else if (proto == ProtoUdp)
            {
                Udp.Input(f, l4, l4Len, src, dst);
            }
            else if (proto == ProtoIcmp)
            {
                IcmpInput(f, l4, l4Len, src, dst);
            }
            else
            {
                Stats.Dropped++;
            }
        }

        // ---- ICMP --------------------------------------------------------------------------------------

        public ushort LastEchoId;
        public ushort LastEchoSeq;

        private void IcmpInput(byte[] f, int o, int n, uint src, uint dst)
        {
            if (n < 8 || n > MaxL4)
            {
                Stats.Malformed++;
                return;
            }
            if (Wire.Checksum(f, o, n) != 0)
            {
                Stats.BadChecksum++;
                return;
            }
            int type = f[o];
            if (type == 0)
            {
                Stats.EchoRepliesReceived++;
                LastEchoId = Wire.U16(f, o + 4);
                LastEchoSeq = Wire.U16(f, o + 6);
                return;
            }
            if (type != 8 || f[o + 1] != 0 || dst != Config.Ip)
            {
                Stats.Dropped++;
                return;
            }
            Wire.Copy(f, o, _tx, L4Offset, n);
            _tx[L4Offset] = 0;
            Wire.Put16(_tx, L4Offset + 2, 0);
            Wire.Put16(_tx, L4Offset + 2, Wire.Checksum(_tx, L4Offset, n));
            if (SendIp(src, ProtoIcmp, n))
            {
                Stats.EchoRepliesSent++;
            }
        }

        /// <summary>Sends an ICMP echo request with <paramref name="payload"/> bytes of pattern data.</summary>
        public bool Ping(uint dst, ushort id, ushort seq, int payload)
        {
            if (payload < 0 || payload + 8 > MaxL4)
            {
                return false;
            }
            byte[] b = _tx;
            int o = L4Offset;
            b[o] = 8;
            b[o + 1] = 0;
            Wire.Put16(b, o + 2, 0);
            Wire.Put16(b, o + 4, id);
            Wire.Put16(b, o + 6, seq);
            for (int i = 0; i < payload; i++)
            {
                b[o + 8 + i] = (byte)i;
            }
            Wire.Put16(b, o + 2, Wire.Checksum(b, o, 8 + payload));
            return SendIp(dst, ProtoIcmp, 8 + payload);
        }
    }
}
