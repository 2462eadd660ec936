using System.Runtime;
using Kernel.Core.Mm;

namespace Kernel.Core
{
    internal static unsafe class Boot
    {
        internal const string Banner = "kernel: hello from C# (NativeAOT, own corelib)";

        [RuntimeExport("KernelMain")]
        private static void KernelMain(uint magic, ulong info)
        {
            Serial.Init();
            Console.WriteLine(Banner);
            Console.Write("multiboot magic ");
            Console.WriteHex(magic);
            Console.Write(" info ");
            Console.WriteHex(info);
            Console.WriteLine();
            KernelHeap.InitRegion((byte*)0x400000, 0x400000);
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
