namespace Samples.KRN004;

/// <summary>The figures of a process's address space that /proc/PID/status prints.</summary>
public struct AddressSpace
{
    public long SizeKb;
    public long RssKb;
}

public sealed class Process
{
    public Process(int pid, AddressSpace vm)
    {
        Pid = pid;
        Vm = vm;
    }

    public int Pid { get; }

    /// <summary>The address space, cleared by <see cref="Exit"/> on whichever CPU the process exits.</summary>
    public AddressSpace? Vm;

    public void Exit() => Vm = null;
}

/// <summary>A spinning lock over the process table (no init routine: it starts unlocked).</summary>
public sealed class TableLock
{
    private int held;

    public void Lock()
    {
        while (System.Threading.Interlocked.Exchange(ref held, 1) != 0)
        {
        }
    }

    public void Unlock() => System.Threading.Volatile.Write(ref held, 0);
}

/// <summary>The process table; its lock protects the slots, not the processes' address spaces.</summary>
public static class ProcessTable
{
    public static readonly TableLock Lock = new TableLock();
    private static readonly Process[] Slots = new Process[64];

    public static void Add(Process process) => Slots[process.Pid % Slots.Length] = process;

    /// <summary>The process with <paramref name="pid"/>, or null.</summary>
    public static Process Find(int pid)
    {
        var process = Slots[pid % Slots.Length];
        return process != null && process.Pid == pid ? process : null;
    }
}

public sealed class StatusBuffer
{
    public long VmSizeKb;
    public long VmRssKb;
}

public static class Errno
{
    public const int ESRCH = 3;
}
