using Kernel.Core.Mm;
using Kernel.Services.Net;

namespace Kernel.Core.Net
{
    /// <summary>
    /// Intel 82540EM (QEMU's <c>e1000</c>), polled: a receive descriptor ring of 256 entries and a transmit ring of
    /// 32, with 2 KiB buffers in physical pages (identity mapped, so their addresses are what the device DMAs to).
    /// Frames are copied between the rings and the stack's managed buffers. The receive ring is deep because the
    /// device drops what arrives while it is full (its MPC/RNBC counters): with 32 entries a TCP echo under TCG lost
    /// frames whenever the peer's data and its ACKs of the kernel's data arrived between two polls.
    /// </summary>
    internal sealed unsafe class E1000 : INetDevice
    {
        internal const ushort Vendor = 0x8086;
        internal const ushort Device = 0x100E;
        private const int RxRing = 256;
        private const int TxRing = 32;
        private const int BufSize = 2048;

        private const int CTRL = 0x0000, STATUS = 0x0008, EERD = 0x0014, IMC = 0x00D8, RCTL = 0x0100, TCTL = 0x0400, TIPG = 0x0410;
        private const int RDBAL = 0x2800, RDBAH = 0x2804, RDLEN = 0x2808, RDH = 0x2810, RDT = 0x2818;
        private const int TDBAL = 0x3800, TDBAH = 0x3804, TDLEN = 0x3808, TDH = 0x3810, TDT = 0x3818;
        private const int MTA = 0x5200, RAL0 = 0x5400, RAH0 = 0x5404;
        private const int MPC = 0x4010, RNBC = 0x40A0;

        private byte* _mmio;
        private byte* _rxDesc;
        private byte* _txDesc;
        private byte* _rxBuf;
        private byte* _txBuf;
        private int _rxNext;
        private int _txNext;
        private readonly byte[] _frame = new byte[BufSize];

        internal ulong Mac { get; private set; }

        internal long FramesReceived { get; private set; }

        internal long FramesSent { get; private set; }

        internal long TxRingFull { get; private set; }

        /// <summary>Descriptors the device filled with an error or without end-of-packet (frame skipped).</summary>
        internal long RxBad { get; private set; }

        private long _missed;
        private long _noBuffers;

        /// <summary>The device's missed-packet and receive-no-buffer counters (MPC, RNBC; clear on read, summed here).</summary>
        internal string DeviceCounters()
        {
            _missed += Reg(MPC);
            _noBuffers += Reg(RNBC);
            return "missed=" + _missed.ToString() + " no_buffers=" + _noBuffers.ToString() + " rx_bad=" + RxBad.ToString()
                + " tx_ring_full=" + TxRingFull.ToString();
        }

        internal string Location { get; private set; } = "";

        private uint Reg(int r) => *(uint*)(_mmio + r);

        private void SetReg(int r, uint v) => *(uint*)(_mmio + r) = v;

        /// <summary>Finds and starts the device; false (with a console line saying why) when there is none.</summary>
        internal bool Init()
        {
            int loc = Pci.Find(Vendor, Device);
            if (loc < 0)
            {
                Console.WriteLine("e1000: no device (8086:100e) on the PCI bus");
                return false;
            }
            int bus = loc >> 8, dev = (loc >> 3) & 31, fn = loc & 7;
            Location = bus.ToString() + ":" + dev.ToString() + "." + fn.ToString();
            uint bar0 = Pci.Read32(bus, dev, fn, 0x10);
            if ((bar0 & 1) != 0)
            {
                Console.WriteLine("e1000: BAR0 is an I/O BAR");
                return false;
            }
            ulong phys = bar0 & 0xFFFFFFF0u;
            if ((bar0 & 6) == 4)
            {
                phys |= (ulong)Pci.Read32(bus, dev, fn, 0x14) << 32;
            }
            if (phys == 0 || phys >= 0x100000000UL)
            {
                Console.WriteLine("e1000: BAR0 outside the identity map");
                return false;
            }
            // memory space + bus mastering
            uint cmd = Pci.Read32(bus, dev, fn, 0x04);
            Pci.Write32(bus, dev, fn, 0x04, (cmd & 0xFFFF) | 0x6);
            _mmio = (byte*)phys;

            SetReg(IMC, 0xFFFFFFFF);
            SetReg(CTRL, Reg(CTRL) | (1u << 26)); // reset
            for (int i = 0; i < 100000 && (Reg(CTRL) & (1u << 26)) != 0; i++)
            {
                Cpu.Pause();
            }
            SetReg(IMC, 0xFFFFFFFF);
            SetReg(CTRL, (Reg(CTRL) | (1u << 6) | (1u << 5)) & ~(1u << 3)); // SLU, ASDE, no LRST

            Mac = ReadMac();
            if (Mac == 0)
            {
                Console.WriteLine("e1000: no MAC address");
                return false;
            }
            for (int i = 0; i < 128; i++)
            {
                SetReg(MTA + 4 * i, 0);
            }

            byte* rings = Pmm.AllocatePages(2);
            byte* bufs = Pmm.AllocatePages((ulong)((RxRing + TxRing) * BufSize / 4096));
            if (rings == null || bufs == null)
            {
                Console.WriteLine("e1000: out of memory for rings");
                return false;
            }
            _rxDesc = rings;
            _txDesc = rings + 4096;
            _rxBuf = bufs;
            _txBuf = bufs + RxRing * BufSize;
            for (int i = 0; i < 8192; i++)
            {
                rings[i] = 0;
            }
            for (int i = 0; i < RxRing; i++)
            {
                *(ulong*)(_rxDesc + 16 * i) = (ulong)(_rxBuf + BufSize * i);
            }
            for (int i = 0; i < TxRing; i++)
            {
                *(ulong*)(_txDesc + 16 * i) = (ulong)(_txBuf + BufSize * i);
                _txDesc[16 * i + 12] = 1; // DD: free
            }
            SetReg(RDBAL, (uint)(ulong)_rxDesc);
            SetReg(RDBAH, 0);
            SetReg(RDLEN, RxRing * 16); // 4096: the whole first page
            SetReg(RDH, 0);
            SetReg(RDT, RxRing - 1);
            _rxNext = 0;
            // EN, BAM (broadcast), BSIZE 2048, SECRC (strip the CRC)
            SetReg(RCTL, (1u << 1) | (1u << 15) | (1u << 26));

            SetReg(TDBAL, (uint)(ulong)_txDesc);
            SetReg(TDBAH, 0);
            SetReg(TDLEN, TxRing * 16);
            SetReg(TDH, 0);
            SetReg(TDT, 0);
            _txNext = 0;
            SetReg(TCTL, (1u << 1) | (1u << 3) | (0x10u << 4) | (0x40u << 12));
            SetReg(TIPG, 0x0060200A);
            return true;
        }

        internal bool LinkUp => (Reg(STATUS) & 2) != 0;

        private ulong ReadMac()
        {
            uint lo = Reg(RAL0);
            uint hi = Reg(RAH0) & 0xFFFF;
            if (lo == 0 && hi == 0)
            {
                uint w0 = Eeprom(0), w1 = Eeprom(1), w2 = Eeprom(2);
                lo = w0 | (w1 << 16);
                hi = w2;
                SetReg(RAL0, lo);
                SetReg(RAH0, hi | (1u << 31));
            }
            // RAL holds the first byte in its low bits
            ulong mac = 0;
            for (int i = 0; i < 4; i++)
            {
                mac = (mac << 8) | ((lo >> (8 * i)) & 0xFF);
            }
            for (int i = 0; i < 2; i++)
            {
                mac = (mac << 8) | ((hi >> (8 * i)) & 0xFF);
            }
            return mac;
        }

        private uint Eeprom(int word)
        {
            SetReg(EERD, 1u | ((uint)word << 8));
            for (int i = 0; i < 100000; i++)
            {
                uint v = Reg(EERD);
                if ((v & (1u << 4)) != 0)
                {
                    return v >> 16;
                }
                Cpu.Pause();
            }
            return 0;
        }

        public bool Transmit(byte[] frame, int length)
        {
            if (length <= 0 || length > BufSize)
            {
                return false;
            }
            byte* d = _txDesc + 16 * _txNext;
            if ((*(byte*)(d + 12) & 1) == 0)
            {
                TxRingFull++;
                return false;
            }
            byte* b = _txBuf + BufSize * _txNext;
            fixed (byte* src = frame)
            {
                Memory.Copy(b, src, (nuint)length);
            }
            *(ushort*)(d + 8) = (ushort)length;
            d[10] = 0;
            d[11] = 1 | 2 | 8; // EOP, IFCS, RS
            d[12] = 0;
            _txNext = (_txNext + 1) % TxRing;
            SetReg(TDT, (uint)_txNext);
            FramesSent++;
            return true;
        }

        /// <summary>Hands every received frame to the stack; returns how many there were. Descriptors go back to the
        /// device (RDT) in batches of 16 and at the end, not one register write per frame.</summary>
        internal int Poll(NetStack stack, long now)
        {
            int n = 0;
            int last = -1;
            while (n < RxRing)
            {
                byte* d = _rxDesc + 16 * _rxNext;
                byte status = *(byte*)(d + 12);
                if ((status & 1) == 0)
                {
                    break;
                }
                int len = *(ushort*)(d + 8);
                bool ok = (status & 2) != 0 && d[13] == 0 && len <= BufSize;
                if (ok)
                {
                    byte* b = _rxBuf + BufSize * _rxNext;
                    fixed (byte* dst = _frame)
                    {
                        Memory.Copy(dst, b, (nuint)len);
                    }
                }
                else
                {
                    RxBad++;
                }
                d[12] = 0; // the frame is copied out: the descriptor may be reused
                last = _rxNext;
                _rxNext = (_rxNext + 1) % RxRing;
                n++;
                if ((n & 15) == 0)
                {
                    SetReg(RDT, (uint)last);
                }
                if (ok)
                {
                    FramesReceived++;
                    stack.Input(_frame, len, now);
                }
            }
            if (last >= 0 && (n & 15) != 0)
            {
                SetReg(RDT, (uint)last);
            }
            return n;
        }
    }
}
