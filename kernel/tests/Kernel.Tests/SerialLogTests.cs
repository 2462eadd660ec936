using System;
using Xunit;

namespace Kernel.Tests;

/// <summary>The log parser on synthetic logs (no QEMU).</summary>
public sealed class SerialLogTests
{
    private static BootResult Boot(BootOutcome outcome, params string[] lines) => new(outcome, 0, lines, TimeSpan.Zero, null);

    [Fact]
    public void ListIsRead()
    {
        var names = SerialLog.TestNames(new[] { "noise", "TESTLIST BEGIN", "TESTNAME a.b", "TESTNAME c", "TESTLIST END", "TESTNAME late" });
        Assert.Equal(new[] { "a.b", "c" }, names);
    }

    [Fact]
    public void PassFailAndPanicAreToldApart()
    {
        var r = SerialLog.Results(Boot(BootOutcome.Panic,
            "TEST a START", "TEST a PASS",
            "TEST b START", "some output", "TEST b FAIL expected 1, got 2",
            "TEST c START", "PANIC: CPU exception 14 page fault (#PF)", "backtrace:"));
        Assert.Equal(InKernelOutcome.Pass, r["a"].Outcome);
        Assert.Equal(InKernelOutcome.Fail, r["b"].Outcome);
        Assert.Equal("expected 1, got 2", r["b"].Detail);
        Assert.Contains("some output", r["b"].Output);
        Assert.Equal(InKernelOutcome.Panic, r["c"].Outcome);
        Assert.Contains("backtrace:", r["c"].Output);
    }

    [Theory]
    [InlineData(BootOutcome.TripleFault, "triple fault")]
    [InlineData(BootOutcome.Hang, "hang")]
    public void UnfinishedTestGetsTheBootOutcome(BootOutcome outcome, string expected)
    {
        var r = SerialLog.Results(Boot(outcome, "TEST a START", "TEST a PASS", "TEST b START"));
        Assert.Equal(InKernelOutcome.Panic, r["b"].Outcome);
        Assert.Contains(expected, r["b"].Detail);
        Assert.False(r.ContainsKey("c"));
    }

    [Theory]
    [InlineData(33, false, BootOutcome.DemoDone)]
    [InlineData(35, false, BootOutcome.TestsPassed)]
    [InlineData(37, false, BootOutcome.TestsFailed)]
    [InlineData(39, false, BootOutcome.Panic)]
    [InlineData(41, false, BootOutcome.Listed)]
    [InlineData(0, false, BootOutcome.TripleFault)]
    [InlineData(1, false, BootOutcome.QemuError)]
    [InlineData(-1, true, BootOutcome.Hang)]
    public void ExitCodesAreClassified(int code, bool timedOut, BootOutcome expected)
    {
        Assert.Equal(expected, Qemu.Classify(code, timedOut));
    }
}
