using System;
using Kernel.Services.Boot;
using Kernel.Services.Memory;
using Kernel.Services.Testing;
using Kernel.Services.Text;
using Kernel.Services.Threading;
using Xunit;

namespace Kernel.Tests;

/// <summary>The kernel's subsystem logic (Services/), the same source files, against the real BCL.</summary>
public sealed class NumberFormatTests
{
    private static string Dec(long v)
    {
        Span<char> b = stackalloc char[NumberFormat.MaxChars];
        return new string(b.Slice(0, NumberFormat.FormatDecimal(v, b)));
    }

    private static string Hex(ulong v, int min)
    {
        Span<char> b = stackalloc char[NumberFormat.MaxChars];
        return new string(b.Slice(0, NumberFormat.FormatHex(v, min, b)));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    [InlineData(-42L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void DecimalMatchesTheBcl(long v) => Assert.Equal(v.ToString(System.Globalization.CultureInfo.InvariantCulture), Dec(v));

    [Fact]
    public void HexPadsAndPrefixes()
    {
        Assert.Equal("0x0", Hex(0, 1));
        Assert.Equal("0x00ff", Hex(255, 4));
        Assert.Equal("0xffffffffffffffff", Hex(ulong.MaxValue, 1));
        Assert.Equal("0x0000000000000000", Hex(0, 16));
    }

    [Fact]
    public void RandomValuesMatchTheBcl()
    {
        var rng = new Random(1234);
        Span<char> b = stackalloc char[NumberFormat.MaxChars];
        for (int i = 0; i < 10000; i++)
        {
            ulong v = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
            int n = NumberFormat.FormatUnsigned(v, b);
            Assert.Equal(v.ToString(System.Globalization.CultureInfo.InvariantCulture), new string(b.Slice(0, n)));
        }
    }
}

public sealed class FrameBitmapTests
{
    [Fact]
    public void RunsAreFoundAndFreed()
    {
        ulong frames = 1000;
        ulong[] bits = new ulong[FrameBitmap.WordsFor(frames)];
        FrameBitmap.SetAll(bits, false);
        Assert.Equal(10UL, FrameBitmap.SetRange(bits, frames, 0, 10, true));
        Assert.Equal(10L, FrameBitmap.FindFreeRun(bits, frames, 5, 0));
        Assert.Equal(0UL, FrameBitmap.SetRange(bits, frames, 0, 10, true)); // already used: nothing changes
        FrameBitmap.SetRange(bits, frames, 10, 500, true);
        Assert.Equal(510L, FrameBitmap.FindFreeRun(bits, frames, 490, 0));
        Assert.Equal(-1L, FrameBitmap.FindFreeRun(bits, frames, 491, 0));
        Assert.Equal(5UL, FrameBitmap.SetRange(bits, frames, 100, 5, false));
        Assert.Equal(100L, FrameBitmap.FindFreeRun(bits, frames, 5, 0));
    }

    [Fact]
    public void SearchWrapsAroundFromTheHint()
    {
        ulong frames = 256;
        ulong[] bits = new ulong[FrameBitmap.WordsFor(frames)];
        FrameBitmap.SetAll(bits, false);
        FrameBitmap.SetRange(bits, frames, 64, 192, true);
        Assert.Equal(0L, FrameBitmap.FindFreeRun(bits, frames, 8, 200));
    }

    [Fact]
    public void RandomizedAgainstAModel()
    {
        var rng = new Random(42);
        ulong frames = 777;
        ulong[] bits = new ulong[FrameBitmap.WordsFor(frames)];
        bool[] model = new bool[frames];
        FrameBitmap.SetAll(bits, false);
        for (int round = 0; round < 3000; round++)
        {
            ulong first = (ulong)rng.Next((int)frames);
            ulong count = (ulong)rng.Next(1, 40);
            bool used = rng.Next(2) == 0;
            ulong expected = 0;
            for (ulong f = first; f < Math.Min(frames, first + count); f++)
            {
                if (model[f] != used)
                {
                    expected++;
                    model[f] = used;
                }
            }
            Assert.Equal(expected, FrameBitmap.SetRange(bits, frames, first, count, used));
            ulong want = (ulong)rng.Next(1, 20);
            long run = FrameBitmap.FindFreeRun(bits, frames, want, 0);
            long modelRun = -1;
            for (ulong s = 0; s + want <= frames && modelRun < 0; s++)
            {
                bool ok = true;
                for (ulong k = 0; k < want && ok; k++)
                {
                    ok = !model[s + k];
                }
                if (ok)
                {
                    modelRun = (long)s;
                }
            }
            Assert.Equal(modelRun, run);
        }
    }
}

public sealed class SizeClassTests
{
    [Theory]
    [InlineData(1UL, 0)]
    [InlineData(32UL, 0)]
    [InlineData(33UL, 1)]
    [InlineData(2048UL, 6)]
    [InlineData(2049UL, -1)]
    public void ClassesArePowersOfTwo(ulong total, int expected) => Assert.Equal(expected, SizeClasses.IndexFor(total));

    [Fact]
    public void EveryClassHoldsItsSize()
    {
        for (ulong s = 1; s <= SizeClasses.MaxBlock; s++)
        {
            int c = SizeClasses.IndexFor(s);
            Assert.True(SizeClasses.BlockSize(c) >= s);
            Assert.True(c == 0 || SizeClasses.BlockSize(c - 1) < s);
        }
        Assert.Equal(2UL, SizeClasses.PagesFor(4097));
    }

    [Fact]
    public void StatsBalance()
    {
        var st = new HeapStats();
        st.OnAllocate(100);
        st.OnAllocate(28);
        st.OnFree(100);
        Assert.Equal(1UL, st.LiveBlocks);
        Assert.Equal(28UL, st.BytesInUse);
    }
}

public sealed class SchedulerPolicyTests
{
    private static readonly ThreadState R = ThreadState.Ready;
    private static readonly ThreadState U = ThreadState.Unused;
    private static readonly ThreadState S = ThreadState.Sleeping;
    private static readonly ThreadState X = ThreadState.Running;

    [Fact]
    public void RoundRobinSkipsIdleAndNonRunnable()
    {
        ThreadState[] st = { X, R, U, R, S };
        Assert.Equal(3, SchedulerPolicy.PickNext(st, 0, idle: 1));
        Assert.Equal(0, SchedulerPolicy.PickNext(new[] { X, R, U, U, S }, 0, idle: 1)); // keep running
        Assert.Equal(1, SchedulerPolicy.PickNext(new[] { ThreadState.Blocked, R, U }, 0, idle: 1)); // only idle
    }

    [Fact]
    public void SleepersWakeAtTheirDeadline()
    {
        ThreadState[] st = { S, S, R };
        ulong[] wake = { 10, 20, 0 };
        Assert.Equal(1, SchedulerPolicy.WakeSleepers(st, wake, 10));
        Assert.Equal(ThreadState.Ready, st[0]);
        Assert.Equal(ThreadState.Sleeping, st[1]);
        Assert.Equal(5UL, SchedulerPolicy.TicksFor(50, 100));
        Assert.Equal(1UL, SchedulerPolicy.TicksFor(0, 100));
    }
}

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("", "demo", 0)]
    [InlineData("test", "test", 1)]
    [InlineData("/path/kernel.elf test a b", "test", 3)]
    [InlineData("kernel.elf", "demo", 0)]
    [InlineData("  list  ", "list", 1)]
    public void CommandIsTheFirstWordAfterTheImage(string line, string command, int count)
    {
        CommandLine c = CommandLine.Parse(line);
        Assert.Equal(command, c.Command);
        Assert.Equal(count, c.Count);
    }
}

public sealed class TestProtocolTests
{
    [Fact]
    public void LinesAreParseable()
    {
        Assert.Equal("TEST a.b PASS", TestProtocol.ResultLine("a.b", TestProtocol.Pass, ""));
        Assert.Equal("TEST a FAIL why", TestProtocol.ResultLine("a", TestProtocol.Fail, "why"));
        Assert.Equal("SUMMARY total=3 passed=2 failed=1", TestProtocol.SummaryLine(3, 2, 1));
        var ctx = new TestContext();
        Assert.True(ctx.Equal(1UL, 1UL, "same"));
        Assert.False(ctx.Equal(1UL, 2UL, "value"));
        ctx.Fail("second failure is ignored");
        Assert.Equal("value: expected 1, got 2", ctx.Reason);
    }
}

public sealed class OptionTests
{
    [Fact]
    public void SomeAndNone()
    {
        Kernel.Services.Option<int> some = Kernel.Services.Option<int>.Some(3);
        Kernel.Services.Option<int> none = Kernel.Services.Option<int>.None;
        Assert.True(some.IsSome);
        Assert.True(none.IsNone);
        Assert.True(some.TryUnwrap(out int v) && v == 3);
        Assert.Equal(7, none.UnwrapOr(7));
        if (some.IsSome)
        {
            Assert.Equal(3, some.Unwrap());
        }
        Assert.Throws<System.InvalidOperationException>(() => none.Unwrap());
    }
}
