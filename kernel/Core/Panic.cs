using System.Diagnostics.CodeAnalysis;

namespace Kernel.Core
{
    /// <summary>Fatal errors: a report on the console (message, backtrace with symbol names), then QEMU exits
    /// with <see cref="ExitCode.Panic"/>. Never returns.</summary>
    public static unsafe class Panic
    {
        private static int s_depth;

        [DoesNotReturn]
        public static void Halt(string message)
        {
            Cpu.DisableInterrupts();
            if (++s_depth > 1)
            {
                // a panic while panicking: say so and stop, without touching anything else
                Console.WriteLine("PANIC (nested): ");
                Console.WriteLine(message);
                Qemu.Exit(ExitCode.Panic);
            }
            Console.WriteLine();
            Console.Write("PANIC: ");
            Console.WriteLine(message);
            Backtrace(0, Cpu.ReadRbp());
            Qemu.Exit(ExitCode.Panic);
        }

        [DoesNotReturn]
        internal static void OutOfMemory(ulong size)
        {
            Console.Write("out of memory: allocation of ");
            Console.WriteUDec(size);
            Console.WriteLine(" bytes failed");
            Halt("out of memory");
        }

        /// <summary>Walks the frame-pointer chain from <paramref name="rbp"/> (frames: [rbp] = caller's rbp,
        /// [rbp+8] = return address). <paramref name="rip"/>, when non-zero, is printed first.</summary>
        internal static void Backtrace(ulong rip, ulong rbp)
        {
            Console.WriteLine("backtrace:");
            int frame = 0;
            if (rip != 0)
            {
                WriteFrame(frame++, rip);
            }
            ulong low = (ulong)Cpu.ImageStart();
            for (int i = 0; i < 32 && rbp != 0; i++)
            {
                // stay on mapped, aligned memory: the first 4 GiB are identity mapped, page 0 is not
                if ((rbp & 7) != 0 || rbp < 0x1000 || rbp >= 0x1_0000_0000UL - 16)
                {
                    Console.Write("  (frame chain ends at rbp=");
                    Console.WriteHex(rbp);
                    Console.WriteLine(")");
                    break;
                }
                ulong ret = ((ulong*)rbp)[1];
                if (ret < low)
                {
                    break;
                }
                WriteFrame(frame++, ret);
                rbp = ((ulong*)rbp)[0];
            }
        }

        private static void WriteFrame(int index, ulong address)
        {
            Console.Write("  #");
            Console.WriteDec(index);
            Console.Write(" ");
            Console.WriteHex(address, 16);
            Console.Write(" ");
            if (!Symbols.WriteName(address))
            {
                Console.Write("?");
            }
            Console.WriteLine();
        }
    }
}
