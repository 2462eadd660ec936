namespace Kernel.Core
{
    /// <summary>The exit codes of the kernel under QEMU's isa-debug-exit device (port 0xf4).
    /// Writing v makes QEMU exit with status (v &lt;&lt; 1) | 1. A triple fault exits with 0 and a hang never
    /// exits: a runner trusts only these codes. Documented in kernel/README.md.</summary>
    internal enum ExitCode : byte
    {
        /// <summary>Demo finished (QEMU status 33).</summary>
        DemoDone = 0x10,

        /// <summary>Every in-kernel test passed (QEMU status 35).</summary>
        TestsPassed = 0x11,

        /// <summary>At least one in-kernel test failed (QEMU status 37).</summary>
        TestsFailed = 0x12,

        /// <summary>Kernel panic or CPU exception (QEMU status 39).</summary>
        Panic = 0x13,

        /// <summary>The `list` command finished printing the test names (QEMU status 41).</summary>
        Listed = 0x14,
    }

    internal static class Qemu
    {
        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        internal static void Exit(ExitCode code)
        {
            Cpu.OutD(0xF4, (uint)code);
            // not under QEMU (or no debug-exit device): stop here
            for (;;)
            {
                Cpu.Stop();
            }
        }
    }
}
