using System.Runtime;
using Kernel.Core.Arch;
using Kernel.Core.Mm;
using Kernel.Core.Testing;
using Kernel.Core.Threading;
using Kernel.Services.Boot;

namespace Kernel.Core
{
    /// <summary>Boot sequence shared by both images, then the command selected on the command line:
    /// `demo` (default), `test [name...]`, `list`, and the fault demonstrations `panic`, `panic-null`,
    /// `panic-double-free`, `panic-stack-overflow`, `triple-fault`, `hang` (used by the host tests to prove each outcome is told apart).</summary>
    internal static unsafe class Boot
    {
        internal const string Banner = "kernel: hello from C# (NativeAOT, own corelib)";

        /// <summary>"multiboot" or "uefi": how this kernel was started.</summary>
        internal static string Firmware = "multiboot";

        /// <summary>Multiboot entry (boot/multiboot.asm, System V ABI).</summary>
        [RuntimeExport("KernelMain")]
        private static void KernelMain(uint magic, ulong info)
        {
            Serial.Init();
            Console.WriteLine(Banner);
            Interrupts.Init();
            Multiboot.Read(magic, info);
            Start(false);
        }

        /// <summary>UEFI entry (the PE image's entry point, Microsoft ABI). The UEFI image has no command
        /// line of its own: it runs the in-kernel test suite.</summary>
        [RuntimeExport("EfiMain")]
        private static ulong EfiMain(void* imageHandle, byte* systemTable)
        {
            Serial.Init();
            Console.WriteLine(Banner);
            Uefi.TakeOver(imageHandle, systemTable);
            Interrupts.Init();
            Start(true);
            return 0;
        }

        private static void Start(bool uefi)
        {
            Pmm.Init(BootMemory.Regions(), BootMemory.Count);
            Paging.Init();
            Internal.Runtime.CompilerHelpers.StartupCodeHelpers.InitializeModule(Cpu.ReadyToRunHeader());
            if (uefi)
            {
                Firmware = "uefi";
            }
            Console.Write("memory: ");
            Console.WriteUDec(Pmm.AvailableBytes / (1024 * 1024));
            Console.Write(" MiB usable in ");
            Console.WriteDec(BootMemory.Count);
            Console.Write(" regions, ");
            Console.WriteUDec(Pmm.FreeFrames);
            Console.Write(" free frames; symbols: ");
            Console.WriteUDec(Symbols.Count);
            Console.Write("; boot: ");
            Console.WriteLine(Firmware);
            if (BootMemory.Dropped != 0)
            {
                Console.WriteLine("memory: some regions did not fit the boot table and are unused");
            }
            Scheduler.Init();
            string line = uefi ? "test" : Multiboot.CommandLine();
            Run(CommandLine.Parse(line));
        }

        private static void Run(CommandLine args)
        {
            string command = args.Command;
            Console.WriteLine("command: " + command);
            switch (command)
            {
                case "test":
                    TestRunner.Run(args);
                    break;
                case "list":
                    TestRunner.List();
                    break;
                case "panic":
                    Panic.Halt("panic requested on the command line");
                    break;
                case "panic-null":
                    NullDereference();
                    break;
                case "panic-double-free":
                    DoubleFree();
                    break;
                case "panic-stack-overflow":
                    StackOverflow();
                    break;
                case "triple-fault":
                    TripleFault();
                    break;
                case "hang":
                    Cpu.DisableInterrupts();
                    for (;;)
                    {
                        Cpu.Stop();
                    }
                case "demo":
                    Demo.Run();
                    break;
                case "net-serve":
                    Kernel.Core.Net.NetServe.Run(args);
                    break;
                default:
                    Console.WriteLine("unknown command: " + command);
                    Qemu.Exit(ExitCode.Panic);
                    break;
            }
            Qemu.Exit(ExitCode.DemoDone);
        }

        private sealed class Node
        {
            public int Value;
        }

        private static Node? s_nowhere = null;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void NullDereference()
        {
            int* p = (int*)(Pmm.FreeFrames / ulong.MaxValue); // 0, hidden from the optimizer
            Console.WriteLine("dereferencing a null pointer...");
            *p = 42;
            Node? n = s_nowhere;
            if (n != null)
            {
                n.Value = 1;
            }
        }

        private static void DoubleFree()
        {
            byte* p = KernelHeap.Allocate(100);
            if (p == null)
            {
                Panic.Halt("allocation failed");
            }
            // A deliberate fault for the heap's double-free check. KRN006 rightly rejects a second Free(p) in code,
            // so the demo frees the block through two slots that the analyzer does not alias: the heap must catch it.
            byte** handles = stackalloc byte*[2];
            handles[0] = p;
            handles[1] = p;
            KernelHeap.Free(handles[0]);
            Console.WriteLine("freeing a block twice...");
            KernelHeap.Free(handles[1]);
        }

        private static int Recurse(int depth)
        {
            // a frame of a few hundred bytes per call, never optimized away
            int* pad = stackalloc int[64];
            pad[depth & 63] = depth;
            return depth > 1_000_000 ? pad[0] : Recurse(depth + 1) + pad[depth & 63];
        }

        private static void Overflow(ulong arg)
        {
            Console.WriteLine("recursing without end in a kernel thread...");
            Console.WriteDec(Recurse(0));
        }

        private static void StackOverflow()
        {
            int id = Scheduler.Spawn(&Overflow, 0);
            if (id < 0)
            {
                Panic.Halt("cannot spawn");
            }
            Scheduler.Join(id);
        }

        private static void TripleFault()
        {
            // an empty IDT: the next exception cannot be delivered -> double fault -> triple fault
            ulong* empty = stackalloc ulong[2];
            empty[0] = 0;
            empty[1] = 0;
            Cpu.LoadIdt(empty);
            int* p = (int*)(Pmm.FreeFrames / ulong.MaxValue);
            *p = 1;
        }
    }

    /// <summary>The default command: a few kernel threads printing and sleeping.</summary>
    internal static unsafe class Demo
    {
        private static void Worker(ulong id)
        {
            for (int i = 0; i < 3; i++)
            {
                Console.WriteLine("demo: thread " + id.ToString() + " step " + i.ToString() + " at tick " + Scheduler.Ticks.ToString());
                Scheduler.Sleep(20 * (id + 1));
            }
        }

        internal static void Run()
        {
            int a = Scheduler.Spawn(&Worker, 1);
            int b = Scheduler.Spawn(&Worker, 2);
            if (a < 0 || b < 0)
            {
                Panic.Halt("demo: cannot spawn threads");
            }
            Scheduler.Join(a);
            Scheduler.Join(b);
            Console.WriteLine("demo: done, heap live blocks " + KernelHeap.Stats.LiveBlocks.ToString() + ", ticks " + Scheduler.Ticks.ToString());
            Qemu.Exit(ExitCode.DemoDone);
        }
    }
}

namespace Kernel
{
    internal static class Program
    {
        // Roslyn needs an entry point for an executable; the real one is KernelMain (multiboot) / EfiMain.
        private static void Main() { }
    }
}
