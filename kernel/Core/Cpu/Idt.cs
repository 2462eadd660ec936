using System.Runtime.InteropServices;

namespace Kernel.Core.Arch
{
    /// <summary>256 interrupt gates pointing at the stubs of boot/cpu.asm (cpu_isr_table).</summary>
    internal static unsafe class Idt
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct Table
        {
            public fixed ulong Raw[512];
        }

        [StructLayout(LayoutKind.Sequential, Pack = 2)]
        private struct Pointer
        {
            public ushort Limit;
            public ulong Base;
        }

        private static Table s_idt;
        private static Pointer s_pointer;

        internal static void Init()
        {
            ulong* stubs = Cpu.IsrTable();
            fixed (Table* idt = &s_idt)
            fixed (Pointer* ptr = &s_pointer)
            {
                for (int v = 0; v < 256; v++)
                {
                    byte ist = 0;
                    if (v == 8)
                    {
                        ist = Gdt.DoubleFaultIst;
                    }
                    else if (v < 32)
                    {
                        ist = Gdt.ExceptionIst;
                    }
                    ulong handler = stubs[v];
                    ulong low = (handler & 0xFFFF)
                        | ((ulong)Gdt.KernelCode << 16)
                        | ((ulong)ist << 32)
                        | (0x8EUL << 40) // present, ring 0, 64-bit interrupt gate
                        | (((handler >> 16) & 0xFFFF) << 48);
                    idt->Raw[v * 2] = low;
                    idt->Raw[v * 2 + 1] = handler >> 32;
                }
                ptr->Limit = 256 * 16 - 1;
                ptr->Base = (ulong)idt;
                Cpu.LoadIdt(ptr);
            }
        }
    }
}
