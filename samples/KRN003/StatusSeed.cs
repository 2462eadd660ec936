namespace Samples.KRN003;

/// <summary>Seed 003 as it was: reading /proc/PID/status of an exiting process unwraps its torn-down address space.</summary>
public static class StatusSeed
{
    public static int ReadStatus(int pid, StatusBuffer buf)
    {
        var proc = ProcessTable.Find(pid);
        if (proc == null)
        {
            return -Errno.ESRCH;
        }

        var vmar = proc.RootVmar().Unwrap(); // expect: KRN003
        buf.VmSizeKb = vmar.SizeKb;
        buf.VmRssKb = vmar.RssKb;
        return 0;
    }
}
