namespace Samples.KRN002;

/// <summary>
/// The fix of seed 004: allocate the table first (and fail cleanly when that fails), initialize the lock, and only
/// then take it to set up the buckets.
/// </summary>
public static unsafe class ToaIp6Fixed
{
    private const int ToaIp6SkTabSize = 16;
    private const int ENOMEM = 12;
    private static SpinLock toa_ip6_sk_lock;
    [RequiresInit] private static HlistHead* toa_ip6_sk_tab;

    public static int toa_init()
    {
        int err = init_toa_ip6();
        return err;
    }

    public static int init_toa_ip6()
    {
        toa_ip6_sk_tab = (HlistHead*)Kmem.Kmalloc((nuint)(ToaIp6SkTabSize * sizeof(HlistHead)));
        if (toa_ip6_sk_tab == null)
        {
            return -ENOMEM;
        }

        SpinLock.Init(ref toa_ip6_sk_lock);

        toa_ip6_sk_lock.Acquire();
        for (int i = 0; i < ToaIp6SkTabSize; i++)
        {
            toa_ip6_sk_tab[i].First = null;
        }

        toa_ip6_sk_lock.Release();
        return 0;
    }

    public static void toa_ip6_sk_add(SockEntry* entry)
    {
        toa_ip6_sk_lock.Acquire();
        HlistHead* head = &toa_ip6_sk_tab[entry->Port % ToaIp6SkTabSize];
        entry->Next = head->First;
        head->First = entry;
        toa_ip6_sk_lock.Release();
    }

    public static void exit_toa_ip6()
    {
        toa_ip6_sk_lock.Acquire();
        Kmem.Kfree(toa_ip6_sk_tab);
        toa_ip6_sk_tab = null;
        toa_ip6_sk_lock.Release();
    }
}
