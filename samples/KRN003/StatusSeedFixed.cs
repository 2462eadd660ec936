namespace Samples.KRN003;

/// <summary>Seed 003 repaired: match on the optional address space; a process that has exited reads as gone.</summary>
public static class StatusSeedFixed
{
    public static int ReadStatus(int pid, StatusBuffer buf)
    {
        var proc = ProcessTable.Find(pid);
        if (proc == null)
        {
            return -Errno.ESRCH;
        }

        if (!proc.RootVmar().TryUnwrap(out var vmar))
        {
            return -Errno.ESRCH;
        }

        buf.VmSizeKb = vmar.SizeKb;
        buf.VmRssKb = vmar.RssKb;
        return 0;
    }
}
