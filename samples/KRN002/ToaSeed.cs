namespace Samples.KRN002;

/// <summary>
/// Seed 004 as it was (DPVS's toa.ko, IPv6 part): init_toa_ip6 takes the socket table's spin lock and walks the table
/// before it allocates the table and before it initializes the lock. Ubuntu's kernel tolerated it; Alibaba Cloud
/// Linux's stricter lock checks rebooted the machine when the module loaded.
/// </summary>
public static unsafe class ToaIp6
{
    private const int ToaIp6SkTabSize = 16;
    private static SpinLock toa_ip6_sk_lock;
    [RequiresInit] private static HlistHead* toa_ip6_sk_tab;

    public static int toa_init()
    {
        int err = init_toa_ip6();
        return err;
    }

    public static int init_toa_ip6()
    {
        toa_ip6_sk_lock.Acquire(); // expect: KRN002
        for (int i = 0; i < ToaIp6SkTabSize; i++)
        {
            toa_ip6_sk_tab[i].First = null; // expect: KRN002
        }

        toa_ip6_sk_lock.Release();

        toa_ip6_sk_tab = (HlistHead*)Kmem.Kmalloc((nuint)(ToaIp6SkTabSize * sizeof(HlistHead)));
        SpinLock.Init(ref toa_ip6_sk_lock);
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
