using System;
using System.Text;
using System.Threading;
using Kernel.Services;
using Kernel.Services.Process;
using Kernel.Services.Sync;
using Xunit;

namespace Kernel.Tests;

public sealed class MonitorSection : ICriticalSection
{
    private readonly object _gate = new();

    public void Enter() => Monitor.Enter(_gate);

    public void Exit() => Monitor.Exit(_gate);
}

/// <summary>Runs an action at chosen sites (a host stand-in for a forced context switch).</summary>
public sealed class HookPoints : IPreemptionPoints
{
    public Action<int>? At { get; set; }

    public void Point(int site) => At?.Invoke(site);
}

public sealed class ProcessTests
{
    private static string Read(ProcFs proc, string path, out int result)
    {
        byte[] buf = new byte[1024];
        result = proc.Read(path, 0, buf, 0, buf.Length);
        return result > 0 ? Encoding.ASCII.GetString(buf, 0, result) : "";
    }

    [Fact]
    public void SpawnExitWaitAndReparenting()
    {
        var table = new ProcessTable(4, new MonitorSection(), new HookPoints());
        int init = table.Spawn(0, "init");
        int a = table.Spawn(init, "a");
        int b = table.Spawn(a, "b");
        Assert.Equal((1, 2, 3), (init, a, b));
        Assert.Equal(-Errno.ESRCH, table.Spawn(99, "orphan"));
        Assert.Equal(4, table.Spawn(init, "d"));
        Assert.Equal(-Errno.EAGAIN, table.Spawn(init, "full"));
        Assert.Equal(-Errno.EAGAIN, table.Wait(init, a, out _)); // still running
        Assert.Equal(-Errno.ECHILD, table.Wait(b, -1, out _));
        Assert.Equal(0, table.Exit(a, 3));
        Assert.Equal(-Errno.ESRCH, table.Exit(a, 3)); // already exited
        Assert.Equal(TaskState.Zombie, table.StateOf(a));
        Assert.Equal(a, table.Wait(init, -1, out int code));
        Assert.Equal(3, code);
        Assert.Equal(TaskState.Free, table.StateOf(a));
        // b was reparented to init
        Assert.Equal(0, table.Exit(b, 0));
        Assert.Equal(b, table.Wait(init, b, out _));
        Assert.Equal(5, table.Spawn(init, "e")); // pids are never reused
        Assert.Equal(3, table.LiveTasks);
        Assert.Equal(3, table.LiveSpaces);
    }

    [Fact]
    public void StatusAndMapsOfARunningProcessAZombieAndAReapedOne()
    {
        var table = new ProcessTable(4, new MonitorSection(), new HookPoints());
        var proc = new ProcFs(table);
        int init = table.Spawn(0, "init");
        int w = table.Spawn(init, "a-very-long-process-name");
        Assert.Equal(0, table.Map(w, 0x400000, 4, RegionPerms.Read | RegionPerms.Execute, "/bin/w", 3));
        Assert.Equal(0, table.Map(w, 0x7ff000, 1, RegionPerms.Read | RegionPerms.Write, "[stack]", 1));
        Assert.Equal(-Errno.EINVAL, table.Map(w, 0x401000, 1, RegionPerms.Read, "overlap", 0));
        Assert.Equal(-Errno.EINVAL, table.Map(w, 0x400001, 1, RegionPerms.Read, "unaligned", 0));
        Assert.Equal("Name:\ta-very-long-pro\nState:\tR (running)\nPid:\t2\nPPid:\t1\nVmSize:\t20 kB\nVmRSS:\t16 kB\nVmRegions:\t2\nThreads:\t1\n",
            Read(proc, "/proc/2/status", out _));
        Assert.Equal("00400000-00404000 r-xp 00000000 00:00 0 /bin/w\n007ff000-00800000 rw-p 00000000 00:00 0 [stack]\n",
            Read(proc, "/proc/2/maps", out _));
        byte[] small = new byte[5];
        Assert.Equal(5, proc.ReadStatus(w, 6, small, 0, 5));
        Assert.Equal("a-ver", Encoding.ASCII.GetString(small));
        Assert.Equal(0, proc.ReadStatus(w, 100000, small, 0, 5)); // past the end
        Assert.Equal(-Errno.EINVAL, proc.ReadStatus(w, -1, small, 0, 5));

        Assert.Equal(0, table.Exit(w, 0));
        Assert.Equal("Name:\ta-very-long-pro\nState:\tZ (zombie)\nPid:\t2\nPPid:\t1\nThreads:\t1\n", Read(proc, "/proc/2/status", out _));
        Read(proc, "/proc/2/maps", out int maps);
        Assert.Equal(0, maps);
        Assert.Equal(-Errno.ESRCH, table.Map(w, 0x900000, 1, RegionPerms.Read, "late", 0));
        table.Wait(init, w, out _);
        Read(proc, "/proc/2/status", out int gone);
        Assert.Equal(-Errno.ESRCH, gone);
        Read(proc, "/proc/2/stat", out int unknown);
        Assert.Equal(-Errno.ENOENT, unknown);
        Read(proc, "/proc/x/status", out unknown);
        Assert.Equal(-Errno.ENOENT, unknown);
        Assert.Equal(1, table.LiveSpaces);
    }

    [Fact]
    public void ExitWhileAReaderHoldsThePinKeepsTheSpaceUntilTheReaderIsDone()
    {
        var points = new HookPoints();
        var table = new ProcessTable(4, new MonitorSection(), points);
        var proc = new ProcFs(table);
        int init = table.Spawn(0, "init");
        int w = table.Spawn(init, "w");
        table.Map(w, 0x400000, 2, RegionPerms.Read, "/bin/w", 0);
        bool exited = false;
        points.At = site =>
        {
            // the "other CPU": exit and reap the process right after the reader took its snapshot
            if (site == PreemptionSite.ReadAfterSnapshot && !exited)
            {
                exited = true;
                Assert.Equal(0, table.Exit(w, 0));
                Assert.Equal(w, table.Wait(init, w, out _));
                Assert.Equal(2, table.LiveSpaces); // init's and the one the reader pinned
            }
        };
        string status = Read(proc, "/proc/2/status", out _);
        Assert.Contains("State:\tR (running)\n", status); // the snapshot's instant
        Assert.Contains("VmSize:\t8 kB\n", status);
        Assert.Equal(1, table.LiveSpaces); // the reader's unpin recycled it
        Assert.Equal(1, table.SpacesRecycled);
    }

    [Fact]
    public void EveryInterleavingOfExitAndReadIsFullShortOrEsrch()
    {
        // a deterministic scheduler: at each preemption site of the reader, run the exiter's next step
        for (int schedule = 0; schedule < 64; schedule++)
        {
            var points = new HookPoints();
            var table = new ProcessTable(4, new MonitorSection(), points);
            var proc = new ProcFs(table);
            int init = table.Spawn(0, "init");
            int w = table.Spawn(init, "w");
            table.Map(w, 0x400000, 1, RegionPerms.Read, "/bin/w", 1);
            int steps = 0;
            int s = schedule;
            void Step()
            {
                if (steps == 0) { table.Exit(w, 0); }
                else if (steps == 1) { table.Wait(init, w, out _); }
                steps++;
            }
            points.At = site =>
            {
                if (site <= PreemptionSite.ReadBeforeUnpin && (s & 1) != 0)
                {
                    Step();
                }
                s >>= 1;
            };
            if ((schedule & 32) != 0)
            {
                Step();
            }
            string text = Read(proc, "/proc/2/status", out int r);
            bool full = text.Contains("State:\tR (running)") && text.Contains("VmSize:\t4 kB");
            bool shortResult = text.Contains("State:\tZ (zombie)") && !text.Contains("Vm");
            Assert.True(full || shortResult || r == -Errno.ESRCH, $"schedule {schedule}: {r} {text}");
            points.At = null;
            while (steps < 2)
            {
                Step();
            }
            Assert.Equal(1, table.LiveSpaces);
            Assert.Equal(1, table.LiveTasks);
        }
    }

    [Fact]
    public void RealThreadsRaceExitAgainstStatusReads()
    {
        var table = new ProcessTable(8, new MonitorSection(), new HookPoints { At = _ => Thread.Yield() });
        int init = table.Spawn(0, "init");
        int full = 0, shortResult = 0, gone = 0, bad = 0;
        for (int round = 0; round < 2000; round++)
        {
            int pid = table.Spawn(init, "racer");
            table.Map(pid, 0x400000, 1, RegionPerms.Read, "/bin/racer", 1);
            var reader = new Thread(() =>
            {
                var proc = new ProcFs(table);
                string text = Read(proc, "/proc/" + pid + "/status", out int r);
                if (r == -Errno.ESRCH) { Interlocked.Increment(ref gone); }
                else if (text.Contains("R (running)") && text.Contains("VmSize")) { Interlocked.Increment(ref full); }
                else if (text.Contains("Z (zombie)") && !text.Contains("Vm")) { Interlocked.Increment(ref shortResult); }
                else { Interlocked.Increment(ref bad); }
            });
            reader.Start();
            Assert.Equal(0, table.Exit(pid, 0));
            Assert.Equal(pid, table.Wait(init, pid, out _));
            reader.Join();
        }
        Assert.Equal(0, bad);
        Assert.Equal(2000, full + shortResult + gone);
        Assert.Equal(1, table.LiveSpaces);
        var sink = new CountingSink();
        Assert.Equal(-Errno.EBUSY, table.ReturnStorage(sink));
        table.Exit(init, 0);
        Assert.Equal(0, table.ReturnStorage(sink));
        Assert.Equal(3 + 8 * 2 + 8 * 5, sink.Freed.Count);
    }
}
