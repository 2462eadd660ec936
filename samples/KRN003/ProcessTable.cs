namespace Samples.KRN003;

/// <summary>A process's user address space (Asterinas' root VMAR), as /proc/PID/status reports it.</summary>
public sealed class Vmar
{
    public long SizeKb;
    public long RssKb;
}

/// <summary>
/// Asterinas' <c>ProcessVmarGuard</c>: the address space of a process, or none once the process has exited and torn
/// it down. Unwrapping a none is a kernel panic.
/// </summary>
public readonly struct ProcessVmarGuard
{
    private readonly Vmar vmar;

    public ProcessVmarGuard(Vmar vmar)
    {
        this.vmar = vmar;
    }

    public bool IsNone => vmar == null;

    public Vmar Unwrap() => vmar ?? throw new System.InvalidOperationException("kernel panic: called `unwrap()` on a `None` value");

    public bool TryUnwrap(out Vmar result)
    {
        result = vmar;
        return vmar != null;
    }
}

public sealed class Process
{
    private Vmar vmar;

    public Process(int pid, Vmar vmar)
    {
        Pid = pid;
        this.vmar = vmar;
    }

    public int Pid { get; }

    /// <summary>The address space, or none after <see cref="Exit"/>.</summary>
    public ProcessVmarGuard RootVmar() => new ProcessVmarGuard(vmar);

    /// <summary>The process exits on another CPU: its address space goes away while it is still in the table (a zombie).</summary>
    public void Exit() => vmar = null;
}

/// <summary>The process table: a zombie stays in it until its parent reaps it.</summary>
public static class ProcessTable
{
    private static readonly Process[] Slots = new Process[64];

    public static void Add(Process process) => Slots[process.Pid % Slots.Length] = process;

    /// <summary>The process with <paramref name="pid"/>, or null.</summary>
    public static Process Find(int pid)
    {
        var process = Slots[pid % Slots.Length];
        return process != null && process.Pid == pid ? process : null;
    }
}

/// <summary>The fields of /proc/PID/status that come from the address space.</summary>
public sealed class StatusBuffer
{
    public long VmSizeKb;
    public long VmRssKb;
}

public static class Errno
{
    public const int ESRCH = 3;
}
