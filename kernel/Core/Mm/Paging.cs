namespace Kernel.Core.Mm
{
    /// <summary>The kernel's page tables, built at boot for both boot paths (so the UEFI image gets the same
    /// protections as the multiboot one): the first 4 GiB identity mapped with 2 MiB pages, except the first
    /// 2 MiB, mapped with 4 KiB pages and page 0 left unmapped (a null dereference faults). Guard pages
    /// (thread stacks) split a 2 MiB page into 4 KiB pages on demand; split tables are kept for good.</summary>
    internal static unsafe class Paging
    {
        private const ulong Present = 1, Writable = 2, Huge = 0x80;
        private const ulong AddressMask = 0x000F_FFFF_FFFF_F000UL;
        private const ulong TwoMiB = 0x20_0000;

        private static ulong* s_pml4;
        private static ulong* s_pds; // 4 contiguous page directories: 2048 entries of 2 MiB
        private static ulong s_splitTables;

        /// <summary>Page tables created by splitting 2 MiB pages (for tests and the README's bound).</summary>
        internal static ulong SplitTables => s_splitTables;

        internal static void Init()
        {
            byte* pages = Pmm.AllocatePages(7);
            if (pages == null)
            {
                Panic.Halt("paging: no memory for the page tables");
            }
            Memory.Fill(pages, 0, 7 * 4096);
            ulong* pml4 = (ulong*)pages;
            ulong* pdpt = (ulong*)(pages + 4096);
            ulong* pds = (ulong*)(pages + 2 * 4096);
            ulong* pt0 = (ulong*)(pages + 6 * 4096);
            pml4[0] = (ulong)pdpt | Present | Writable;
            for (ulong i = 0; i < 4; i++)
            {
                pdpt[i] = ((ulong)pds + i * 4096) | Present | Writable;
            }
            for (ulong i = 0; i < 2048; i++)
            {
                pds[i] = (i * TwoMiB) | Present | Writable | Huge;
            }
            for (ulong i = 1; i < 512; i++)
            {
                pt0[i] = (i * 4096) | Present | Writable;
            }
            pds[0] = (ulong)pt0 | Present | Writable;
            s_pml4 = pml4;
            s_pds = pds;
            Cpu.WriteCr3((ulong)pml4);
        }

        /// <summary>Makes the 4 KiB page at <paramref name="address"/> not present (a guard page).</summary>
        internal static void Unmap(ulong address) => SetPage(address, false);

        /// <summary>Maps the 4 KiB page at <paramref name="address"/> again (identity).</summary>
        internal static void Map(ulong address) => SetPage(address, true);

        internal static bool IsMapped(ulong address)
        {
            if (s_pds == null || address >= 2048 * TwoMiB)
            {
                return false;
            }
            ulong pde = s_pds[address / TwoMiB];
            if ((pde & Present) == 0)
            {
                return false;
            }
            if ((pde & Huge) != 0)
            {
                return true;
            }
            ulong* pt = (ulong*)(pde & AddressMask);
            return (pt[(address / 4096) % 512] & Present) != 0;
        }

        private static void SetPage(ulong address, bool present)
        {
            if (s_pds == null || address >= 2048 * TwoMiB || (address & 0xFFF) != 0)
            {
                Panic.Halt("paging: bad page address");
            }
            ulong flags = Cpu.SaveFlagsAndDisable();
            ulong* pde = &s_pds[address / TwoMiB];
            if ((*pde & Huge) != 0)
            {
                byte* table = Pmm.AllocatePages(1);
                if (table == null)
                {
                    Panic.Halt("paging: no memory to split a 2 MiB page");
                }
                ulong baseAddress = *pde & AddressMask & ~(TwoMiB - 1);
                ulong* pt = (ulong*)table;
                for (ulong i = 0; i < 512; i++)
                {
                    pt[i] = (baseAddress + i * 4096) | Present | Writable;
                }
                *pde = (ulong)table | Present | Writable;
                s_splitTables++;
                Cpu.WriteCr3((ulong)s_pml4); // drop the old large-page translation
            }
            ulong* entry = &((ulong*)(*pde & AddressMask))[(address / 4096) % 512];
            *entry = present ? (address | Present | Writable) : 0;
            Cpu.Invlpg(address);
            Cpu.RestoreFlags(flags);
        }
    }
}
