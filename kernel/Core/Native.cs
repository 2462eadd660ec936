// Every native primitive the kernel calls (boot/cpu.asm). This and the rest of Core/ is the unsafe core.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Kernel.Core
{
    internal static unsafe class Cpu
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_outb")]
        internal static extern void OutB(ushort port, byte value);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_inb")]
        internal static extern byte InB(ushort port);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_outw")]
        internal static extern void OutW(ushort port, ushort value);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_inw")]
        internal static extern ushort InW(ushort port);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_outd")]
        internal static extern void OutD(ushort port, uint value);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_ind")]
        internal static extern uint InD(ushort port);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_cr2")]
        internal static extern ulong ReadCr2();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_cr3")]
        internal static extern ulong ReadCr3();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_write_cr3")]
        internal static extern void WriteCr3(ulong value);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_invlpg")]
        internal static extern void Invlpg(ulong address);

        /// <summary>The caller's frame pointer (rbp).</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_rbp")]
        internal static extern ulong ReadRbp();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_rsp")]
        internal static extern ulong ReadRsp();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_rdtsc")]
        internal static extern ulong ReadTsc();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_cli")]
        internal static extern void DisableInterrupts();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_sti")]
        internal static extern void EnableInterrupts();

        /// <summary>Enables interrupts and halts until the next one.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_hlt")]
        internal static extern void Halt();

        /// <summary>Interrupts off, halt forever.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_stop")]
        internal static extern void Stop();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_pause")]
        internal static extern void Pause();

        /// <summary>Returns RFLAGS, then disables interrupts.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_save_flags_cli")]
        internal static extern ulong SaveFlagsAndDisable();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_flags")]
        internal static extern ulong ReadFlags();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_restore_flags")]
        internal static extern void RestoreFlags(ulong flags);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_load_gdt")]
        internal static extern void LoadGdt(void* descriptor, ushort tssSelector);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_load_idt")]
        internal static extern void LoadIdt(void* descriptor);

        /// <summary>Software interrupt 0x30: reschedule through the interrupt path.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_yield")]
        internal static extern void Yield();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "kernel_image_start")]
        internal static extern byte* ImageStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "kernel_image_end")]
        internal static extern byte* ImageEnd();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "kernel_ksyms_start")]
        internal static extern byte* SymbolsStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "kernel_ksyms_end")]
        internal static extern byte* SymbolsEnd();

        /// <summary>The module's ReadyToRun header (ilc's __ReadyToRunHeader).</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "kernel_rtr_header")]
        internal static extern Internal.Runtime.ReadyToRunHeader* ReadyToRunHeader();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_isr_table_address")]
        internal static extern ulong* IsrTable();
    }
}
