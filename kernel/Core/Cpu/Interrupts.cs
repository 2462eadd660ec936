using System.Runtime;
using System.Runtime.InteropServices;

namespace Kernel.Core.Arch
{
    /// <summary>The frame boot/cpu.asm builds on every interrupt (layout is a contract with isr_common).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct InterruptFrame
    {
        public fixed byte FxState[512];
        public ulong R15, R14, R13, R12, R11, R10, R9, R8, Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;
        public ulong Vector, ErrorCode;
        public ulong Rip, Cs, Rflags, Rsp, Ss;
    }

    internal static unsafe class Interrupts
    {
        internal const int TimerVector = 32;
        internal const int YieldVector = 0x30;

        /// <summary>Handler for a vector: gets the interrupted frame, returns the frame to resume.</summary>
        private static delegate*<InterruptFrame*, InterruptFrame*> s_timerHandler;
        private static delegate*<InterruptFrame*, InterruptFrame*> s_yieldHandler;

        internal static ulong SpuriousCount;

        internal static void Init()
        {
            Gdt.Init();
            Idt.Init();
            Pic.Init();
        }

        internal static void SetTimerHandler(delegate*<InterruptFrame*, InterruptFrame*> handler) => s_timerHandler = handler;

        internal static void SetYieldHandler(delegate*<InterruptFrame*, InterruptFrame*> handler) => s_yieldHandler = handler;

        [RuntimeExport("KernelInterruptDispatch")]
        private static InterruptFrame* Dispatch(InterruptFrame* frame)
        {
            ulong vector = frame->Vector;
            if (vector < 32)
            {
                Exceptions.Report(frame);
            }
            if (vector == TimerVector)
            {
                Pic.EndOfInterrupt(0);
                return s_timerHandler != null ? s_timerHandler(frame) : frame;
            }
            if (vector == YieldVector)
            {
                return s_yieldHandler != null ? s_yieldHandler(frame) : frame;
            }
            if (vector >= 32 && vector < 48)
            {
                SpuriousCount++;
                Pic.EndOfInterrupt((int)vector - 32);
            }
            return frame;
        }
    }

    /// <summary>CPU exceptions: a readable report, then QEMU exits with the panic code.</summary>
    internal static unsafe class Exceptions
    {
        private static string Name(ulong vector)
        {
            switch (vector)
            {
                case 0: return "divide error (#DE)";
                case 1: return "debug (#DB)";
                case 2: return "NMI";
                case 3: return "breakpoint (#BP)";
                case 4: return "overflow (#OF)";
                case 5: return "bound range (#BR)";
                case 6: return "invalid opcode (#UD)";
                case 7: return "device not available (#NM)";
                case 8: return "double fault (#DF)";
                case 10: return "invalid TSS (#TS)";
                case 11: return "segment not present (#NP)";
                case 12: return "stack fault (#SS)";
                case 13: return "general protection (#GP)";
                case 14: return "page fault (#PF)";
                case 16: return "x87 floating point (#MF)";
                case 17: return "alignment check (#AC)";
                case 18: return "machine check (#MC)";
                case 19: return "SIMD floating point (#XM)";
                default: return "reserved exception";
            }
        }

        internal static void Report(InterruptFrame* f)
        {
            Cpu.DisableInterrupts();
            ulong cr2 = Cpu.ReadCr2();
            Console.WriteLine();
            Console.Write("PANIC: CPU exception ");
            Console.WriteUDec(f->Vector);
            Console.Write(" ");
            Console.WriteLine(Name(f->Vector));
            Console.Write("  vector=");
            Console.WriteUDec(f->Vector);
            Console.Write(" error=");
            Console.WriteHex(f->ErrorCode);
            Console.Write(" rip=");
            Console.WriteHex(f->Rip, 16);
            Console.Write(" cr2=");
            Console.WriteHex(cr2, 16);
            Console.WriteLine();
            if (f->Vector == 14)
            {
                Console.Write("  page fault: ");
                Console.Write((f->ErrorCode & 1) != 0 ? "protection violation" : "page not present");
                Console.Write((f->ErrorCode & 2) != 0 ? ", write" : ", read");
                Console.Write((f->ErrorCode & 16) != 0 ? ", instruction fetch" : "");
                if (cr2 < 0x1000)
                {
                    Console.Write(" (null dereference)");
                }
                int owner = Threading.Scheduler.GuardPageOwner(cr2);
                if (owner >= 0)
                {
                    Console.Write(" (stack overflow: guard page of thread ");
                    Console.WriteDec(owner);
                    Console.Write(")");
                }
                Console.WriteLine();
            }
            Console.Write("  rsp=");
            Console.WriteHex(f->Rsp, 16);
            Console.Write(" rbp=");
            Console.WriteHex(f->Rbp, 16);
            Console.Write(" rax=");
            Console.WriteHex(f->Rax);
            Console.Write(" rdi=");
            Console.WriteHex(f->Rdi);
            Console.Write(" rsi=");
            Console.WriteHex(f->Rsi);
            Console.WriteLine();
            Panic.Backtrace(f->Rip, f->Rbp);
            Qemu.Exit(ExitCode.Panic);
        }
    }

    /// <summary>The two 8259 PICs, remapped to vectors 32..47; only the timer line is unmasked.</summary>
    internal static class Pic
    {
        internal static void Init()
        {
            Cpu.OutB(0x20, 0x11);
            Cpu.OutB(0xA0, 0x11);
            Cpu.OutB(0x21, 32);
            Cpu.OutB(0xA1, 40);
            Cpu.OutB(0x21, 4);
            Cpu.OutB(0xA1, 2);
            Cpu.OutB(0x21, 1);
            Cpu.OutB(0xA1, 1);
            Cpu.OutB(0x21, 0xFE); // IRQ0 only
            Cpu.OutB(0xA1, 0xFF);
        }

        internal static void EndOfInterrupt(int irq)
        {
            if (irq >= 8)
            {
                Cpu.OutB(0xA0, 0x20);
            }
            Cpu.OutB(0x20, 0x20);
        }
    }

    /// <summary>The 8254 PIT, channel 0, periodic.</summary>
    internal static class Pit
    {
        private const uint BaseHz = 1193182;

        internal static void Start(uint hz)
        {
            uint divisor = BaseHz / hz;
            Cpu.OutB(0x43, 0x34); // channel 0, lobyte/hibyte, rate generator
            Cpu.OutB(0x40, (byte)(divisor & 0xFF));
            Cpu.OutB(0x40, (byte)(divisor >> 8));
        }
    }
}
