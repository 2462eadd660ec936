namespace Kernel.Core
{
    /// <summary>The image's own symbol table (section .ksyms, generated from `nm` by the build and linked in
    /// a second pass; the PE image reserves its size in the first pass). Layout: u64 count; count x {u64 offset
    /// from the image start; u32 name offset; u32 name length}, sorted by offset; then the names (ASCII).
    /// Offsets, not addresses: the UEFI loader relocates the image.</summary>
    internal static unsafe class Symbols
    {
        private struct Entry
        {
            public ulong Address;
            public uint NameOffset;
            public uint NameLength;
        }

        internal static ulong Count
        {
            get
            {
                byte* start = Cpu.SymbolsStart();
                return Cpu.SymbolsEnd() - start >= 8 ? *(ulong*)start : 0;
            }
        }

        /// <summary>The name of the function containing <paramref name="address"/>, or null.</summary>
        internal static string? NameOf(ulong address)
        {
            Entry* e = Find(address);
            if (e == null)
            {
                return null;
            }
            byte* name = NamesBase() + e->NameOffset;
            char* buf = stackalloc char[128];
            int n = e->NameLength < 128 ? (int)e->NameLength : 128;
            for (int i = 0; i < n; i++)
            {
                buf[i] = (char)name[i];
            }
            return Internal.Runtime.Text.FromChars(buf, n);
        }

        private static byte* NamesBase()
        {
            byte* start = Cpu.SymbolsStart();
            return (byte*)((Entry*)(start + 8) + Count);
        }

        [MayReturnNull]
        private static Entry* Find(ulong address)
        {
            byte* start = Cpu.SymbolsStart();
            ulong count = Count;
            if (count == 0)
            {
                return null;
            }
            Entry* entries = (Entry*)(start + 8);
            ulong imageStart = (ulong)Cpu.ImageStart();
            if (address < imageStart)
            {
                return null;
            }
            address -= imageStart;
            ulong lo = 0, hi = count;
            while (lo < hi)
            {
                ulong mid = (lo + hi) / 2;
                if (entries[mid].Address <= address)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            return lo == 0 ? null : &entries[lo - 1];
        }

        /// <summary>Writes "name+0xoff" for an address, or nothing when the table has no symbol below it.</summary>
        internal static bool WriteName(ulong address)
        {
            Entry* e = Find(address);
            if (e == null)
            {
                return false;
            }
            byte* name = NamesBase() + e->NameOffset;
            for (uint i = 0; i < e->NameLength; i++)
            {
                Console.Write((char)name[i]);
            }
            Console.Write("+");
            Console.WriteHex(address - (ulong)Cpu.ImageStart() - e->Address);
            return true;
        }
    }
}
