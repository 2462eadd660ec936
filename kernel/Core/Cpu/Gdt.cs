using System.Runtime.InteropServices;

namespace Kernel.Core.Arch
{
    /// <summary>GDT (null, code 0x08, data 0x10, TSS 0x18) and a TSS whose interrupt stacks (IST) give CPU
    /// exceptions a known-good stack, so a stack overflow is still reported.</summary>
    internal static unsafe class Gdt
    {
        internal const ushort KernelCode = 0x08;
        internal const ushort KernelData = 0x10;
        internal const ushort TssSelector = 0x18;
        private const int IstStackSize = 16384;

        [StructLayout(LayoutKind.Sequential, Pack = 4)]
        private struct Tss
        {
            public uint Reserved0;
            public ulong Rsp0, Rsp1, Rsp2;
            public ulong Reserved1;
            public ulong Ist1, Ist2, Ist3, Ist4, Ist5, Ist6, Ist7;
            public ulong Reserved2;
            public ushort Reserved3;
            public ushort IoMapBase;
        }

        private struct Table
        {
            public fixed ulong Entries[5];
        }

        [StructLayout(LayoutKind.Sequential, Pack = 2)]
        private struct Pointer
        {
            public ushort Limit;
            public ulong Base;
        }

        private struct IstStacks
        {
            public fixed byte Exceptions[IstStackSize];
            public fixed byte DoubleFault[IstStackSize];
        }

        private static Table s_gdt;
        private static Tss s_tss;
        private static IstStacks s_stacks;
        private static Pointer s_pointer;

        /// <summary>IST index used by CPU exceptions (1) and by the double fault (2).</summary>
        internal const byte ExceptionIst = 1;
        internal const byte DoubleFaultIst = 2;

        internal static void Init()
        {
            fixed (Tss* tss = &s_tss)
            fixed (IstStacks* stacks = &s_stacks)
            fixed (Table* gdt = &s_gdt)
            fixed (Pointer* ptr = &s_pointer)
            {
                tss->Ist1 = ((ulong)stacks->Exceptions + IstStackSize) & ~15UL;
                tss->Ist2 = ((ulong)stacks->DoubleFault + IstStackSize) & ~15UL;
                tss->IoMapBase = (ushort)sizeof(Tss);

                gdt->Entries[0] = 0;
                gdt->Entries[1] = 0x00AF9A000000FFFFUL; // code: present, ring 0, long mode
                gdt->Entries[2] = 0x00CF92000000FFFFUL; // data
                ulong b = (ulong)tss;
                ulong limit = (ulong)sizeof(Tss) - 1;
                gdt->Entries[3] = (limit & 0xFFFF) | ((b & 0xFFFFFF) << 16) | (0x89UL << 40) | (((limit >> 16) & 0xF) << 48) | (((b >> 24) & 0xFF) << 56);
                gdt->Entries[4] = b >> 32;

                ptr->Limit = 5 * 8 - 1;
                ptr->Base = (ulong)gdt;
                Cpu.LoadGdt(ptr, TssSelector);
            }
        }
    }
}
