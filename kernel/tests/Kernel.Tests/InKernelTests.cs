using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Kernel.Tests;

/// <summary>One boot lists the tests (at discovery), one boot runs them all; each in-kernel test is reported
/// as its own test case with its output on failure.</summary>
public sealed class InKernelTests
{
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    private static readonly Lazy<BootResult> s_run = new(() => Qemu.BootMultiboot("test", RunTimeout));

    public static IEnumerable<object[]> Names()
    {
        BootResult list = Qemu.BootMultiboot("list", ListTimeout);
        if (list.Outcome != BootOutcome.Listed)
        {
            throw new InvalidOperationException("`list` boot ended with " + list.Outcome + ":\n" + list.Log);
        }
        return SerialLog.TestNames(list.Lines).Select(n => new object[] { n });
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void InKernel(string name)
    {
        BootResult boot = s_run.Value;
        Dictionary<string, InKernelResult> results = SerialLog.Results(boot);
        if (!results.TryGetValue(name, out InKernelResult? r))
        {
            Assert.Fail("not run: the `test` boot ended with " + boot.Outcome + " (exit " + boot.ExitCode + ") before this test.\n" + boot.Log);
            return;
        }
        switch (r.Outcome)
        {
            case InKernelOutcome.Pass:
                return;
            case InKernelOutcome.Fail:
                Assert.Fail("FAIL " + r.Detail + "\n--- test output ---\n" + string.Join("\n", r.Output));
                return;
            default:
                Assert.Fail("PANIC " + r.Detail + "\n--- test output and report ---\n" + string.Join("\n", r.Output));
                return;
        }
    }

    [Fact]
    public void TestBootEndsWithSummaryAndPassCode()
    {
        BootResult boot = s_run.Value;
        Assert.Contains(boot.Lines, l => l.StartsWith("SUMMARY ", StringComparison.Ordinal));
        Assert.True(boot.Outcome == BootOutcome.TestsPassed, "outcome " + boot.Outcome + "\n" + boot.Log);
    }
}

/// <summary>The runner tells every way a boot can end apart (one short boot each).</summary>
public sealed class BootOutcomeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void DemoRunsThreadsAndExitsWithDemoCode()
    {
        BootResult boot = Qemu.BootMultiboot("", Timeout);
        Assert.Equal(BootOutcome.DemoDone, boot.Outcome);
        Assert.Equal("kernel: hello from C# (NativeAOT, own corelib)", boot.Lines.FirstOrDefault());
        Assert.Contains(boot.Lines, l => l.StartsWith("demo: done", StringComparison.Ordinal));
    }

    [Fact]
    public void NullDereferenceIsAReadablePanicReport()
    {
        BootResult boot = Qemu.BootMultiboot("panic-null", Timeout);
        Assert.Equal(BootOutcome.Panic, boot.Outcome);
        string log = boot.Log;
        Assert.Contains("PANIC: CPU exception 14 page fault (#PF)", log);
        Assert.Contains("cr2=0x0000000000000000", log);
        Assert.Contains("(null dereference)", log);
        Assert.Contains("rip=0x", log);
        Assert.Contains("backtrace:", log);
        Assert.Contains("Boot__NullDereference+0x", log); // symbol names from the embedded table
        Assert.Contains("Boot__Start+0x", log);       // the caller, one frame up
    }

    [Fact]
    public void PanicExitsWithPanicCode()
    {
        BootResult boot = Qemu.BootMultiboot("panic", Timeout);
        Assert.Equal(BootOutcome.Panic, boot.Outcome);
        Assert.Contains("PANIC: panic requested on the command line", boot.Log);
    }

    [Fact]
    public void DoubleFreeIsCaughtByTheHeap()
    {
        BootResult boot = Qemu.BootMultiboot("panic-double-free", Timeout);
        Assert.Equal(BootOutcome.Panic, boot.Outcome);
        Assert.Contains("PANIC: heap: double free", boot.Log);
        Assert.Contains("KernelHeap__Free+0x", boot.Log);
    }

    [Fact]
    public void StackOverflowHitsTheGuardPage()
    {
        BootResult boot = Qemu.BootMultiboot("panic-stack-overflow", Timeout);
        Assert.Equal(BootOutcome.Panic, boot.Outcome);
        Assert.Contains("PANIC: CPU exception 14 page fault (#PF)", boot.Log);
        Assert.Contains("(stack overflow: guard page of thread ", boot.Log);
        Assert.Contains("Boot__Recurse+0x", boot.Log);
    }

    [Fact]
    public void TripleFaultIsDetected()
    {
        BootResult boot = Qemu.BootMultiboot("triple-fault", Timeout);
        Assert.Equal(BootOutcome.TripleFault, boot.Outcome);
    }

    [Fact]
    public void HangIsDetectedByTimeout()
    {
        BootResult boot = Qemu.BootMultiboot("hang", TimeSpan.FromSeconds(6));
        Assert.Equal(BootOutcome.Hang, boot.Outcome);
        Assert.Contains(boot.Lines, l => l == "command: hang");
    }
}
