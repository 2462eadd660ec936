namespace Kernel.Core.Net
{
    /// <summary>PCI configuration space through the legacy I/O ports (mechanism #1: 0xCF8 address, 0xCFC data).</summary>
    internal static class Pci
    {
        private const ushort Address = 0xCF8;
        private const ushort Data = 0xCFC;

        internal static uint Read32(int bus, int dev, int fn, int offset)
        {
            uint a = 0x80000000u | ((uint)bus << 16) | ((uint)dev << 11) | ((uint)fn << 8) | ((uint)offset & 0xFC);
            Cpu.OutD(Address, a);
            return Cpu.InD(Data);
        }

        internal static void Write32(int bus, int dev, int fn, int offset, uint value)
        {
            uint a = 0x80000000u | ((uint)bus << 16) | ((uint)dev << 11) | ((uint)fn << 8) | ((uint)offset & 0xFC);
            Cpu.OutD(Address, a);
            Cpu.OutD(Data, value);
        }

        /// <summary>Finds a device by vendor and device id on any bus; returns bus &lt;&lt; 8 | dev &lt;&lt; 3 | fn, or -1.</summary>
        internal static int Find(ushort vendor, ushort device)
        {
            for (int bus = 0; bus < 256; bus++)
            {
                for (int dev = 0; dev < 32; dev++)
                {
                    uint id = Read32(bus, dev, 0, 0);
                    if ((id & 0xFFFF) == 0xFFFF)
                    {
                        continue;
                    }
                    int functions = (Read32(bus, dev, 0, 0x0C) & 0x00800000) != 0 ? 8 : 1;
                    for (int fn = 0; fn < functions; fn++)
                    {
                        uint v = Read32(bus, dev, fn, 0);
                        if ((v & 0xFFFF) == vendor && (v >> 16) == device)
                        {
                            return (bus << 8) | (dev << 3) | fn;
                        }
                    }
                }
            }
            return -1;
        }

        /// <summary>Every function on the buses, printed as "pci: bb:dd.f vvvv:dddd class cc".</summary>
        internal static int List(bool print)
        {
            int n = 0;
            for (int bus = 0; bus < 256; bus++)
            {
                for (int dev = 0; dev < 32; dev++)
                {
                    uint id = Read32(bus, dev, 0, 0);
                    if ((id & 0xFFFF) == 0xFFFF)
                    {
                        continue;
                    }
                    int functions = (Read32(bus, dev, 0, 0x0C) & 0x00800000) != 0 ? 8 : 1;
                    for (int fn = 0; fn < functions; fn++)
                    {
                        uint v = Read32(bus, dev, fn, 0);
                        if ((v & 0xFFFF) == 0xFFFF)
                        {
                            continue;
                        }
                        n++;
                        if (print)
                        {
                            Console.Write("pci: ");
                            Console.WriteHex((ulong)bus, 2);
                            Console.Write(":");
                            Console.WriteHex((ulong)dev, 2);
                            Console.Write(".");
                            Console.WriteHex((ulong)fn);
                            Console.Write(" ");
                            Console.WriteHex(v & 0xFFFF, 4);
                            Console.Write(":");
                            Console.WriteHex(v >> 16, 4);
                            Console.Write(" class ");
                            Console.WriteHex(Read32(bus, dev, fn, 8) >> 24, 2);
                            Console.WriteLine();
                        }
                    }
                }
            }
            return n;
        }
    }
}
