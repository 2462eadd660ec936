namespace Samples.KRN004;

/// <summary>Seed 003's race repaired: one read of the address space into a pattern variable, tested and used.</summary>
public static class StatusRaceFixed
{
    public static int ReadStatus(int pid, StatusBuffer buf)
    {
        ProcessTable.Lock.Lock();
        var proc = ProcessTable.Find(pid);
        ProcessTable.Lock.Unlock();
        if (proc == null || proc.Vm is not { } vm)
        {
            return -Errno.ESRCH;
        }

        buf.VmSizeKb = vm.SizeKb;
        buf.VmRssKb = vm.RssKb;
        return 0;
    }
}
