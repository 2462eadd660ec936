using System;
using System.Linq;
using Xunit;

namespace Kernel.Tests;

/// <summary>The UEFI application (OVMF, TCG: about 3-5 s): same first line, then, after ExitBootServices,
/// the whole in-kernel test suite on the kernel's own GDT/IDT/PIC/PIT and the UEFI memory map.</summary>
public sealed class UefiTests
{
    [Fact]
    public void UefiImageBootsAndPassesTheInKernelSuite()
    {
        BootResult boot = Qemu.BootUefi(TimeSpan.FromSeconds(180));
        Assert.True(boot.Outcome == BootOutcome.TestsPassed, "outcome " + boot.Outcome + " (exit " + boot.ExitCode + ")\n" + boot.Log);
        // the firmware writes to the same serial port first: find the kernel's first line among them
        string? banner = boot.Lines.FirstOrDefault(l => l.Contains("kernel: ", StringComparison.Ordinal));
        Assert.NotNull(banner);
        Assert.EndsWith("kernel: hello from C# (NativeAOT, own corelib)", banner);
        Assert.Contains(boot.Lines, l => l.EndsWith("boot: uefi", StringComparison.Ordinal));
        Assert.Contains(boot.Lines, l => l.StartsWith("SUMMARY ", StringComparison.Ordinal) && l.EndsWith("failed=0", StringComparison.Ordinal));
    }
}
