namespace Samples.KRN004;

/// <summary>
/// Seed 003's race: the status reader tests that the address space is there, then reads it again to unwrap it. The
/// process exits on another CPU between the two reads and the second read finds nothing.
/// </summary>
public static class StatusRace
{
    public static int ReadStatus(int pid, StatusBuffer buf)
    {
        ProcessTable.Lock.Lock();
        var proc = ProcessTable.Find(pid);
        if (proc == null || !proc.Vm.HasValue)
        {
            ProcessTable.Lock.Unlock();
            return -Errno.ESRCH;
        }

        ProcessTable.Lock.Unlock();
        buf.VmSizeKb = proc.Vm.Value.SizeKb; // expect: KRN004
        buf.VmRssKb = proc.Vm.Value.RssKb; // expect: KRN004
        return 0;
    }
}
