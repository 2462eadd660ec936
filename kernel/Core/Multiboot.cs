namespace Kernel.Core
{
    /// <summary>Reads the Multiboot 1 information structure: the command line and the memory map. Copies
    /// what it needs into kernel-owned storage before the memory manager takes over low memory.</summary>
    internal static unsafe class Multiboot
    {
        internal const uint BootMagic = 0x2BADB002;
        private const int MaxCmdline = 256;

        private struct Storage
        {
            public fixed char Cmdline[MaxCmdline];
        }

        private static Storage s_storage;
        private static int s_cmdlineLength;

        internal static void Read(uint magic, ulong info)
        {
            if (magic != BootMagic || info == 0)
            {
                Panic.Halt("not booted by a multiboot loader (bad magic)");
            }
            uint flags = *(uint*)info;
            fixed (Storage* st = &s_storage)
            {
                if ((flags & (1 << 2)) != 0)
                {
                    byte* c = (byte*)(ulong)*(uint*)(info + 16);
                    int n = 0;
                    while (c[n] != 0 && n < MaxCmdline)
                    {
                        st->Cmdline[n] = (char)c[n];
                        n++;
                    }
                    s_cmdlineLength = n;
                }
                if ((flags & (1 << 6)) == 0)
                {
                    Panic.Halt("multiboot: no memory map");
                }
                uint length = *(uint*)(info + 44);
                byte* p = (byte*)(ulong)*(uint*)(info + 48);
                byte* end = p + length;
                while (p < end)
                {
                    uint size = *(uint*)p;
                    ulong b = *(ulong*)(p + 4);
                    ulong len = *(ulong*)(p + 12);
                    uint type = *(uint*)(p + 20);
                    if (type == 1)
                    {
                        BootMemory.Add(b, len);
                    }
                    p += size + 4;
                }
            }
        }

        /// <summary>The command line as a string (needs the heap).</summary>
        internal static string CommandLine()
        {
            fixed (Storage* st = &s_storage)
            {
                return Internal.Runtime.Text.FromChars(st->Cmdline, s_cmdlineLength);
            }
        }
    }
}
