namespace Kernel.Analyzers.Tests.KRN006UseAfterRelease;

/// <summary>Declarations the KRN006 cases share: kernel-style objects, release and reference verbs, a lock.</summary>
internal static class Code
{
    /// <summary>A long-lived object whose methods release, use and re-assign the inode it caches.</summary>
    public const string Vfs = """

        unsafe class Vfs
        {
            public Inode* Cached;
            public void Unlink() { Kernel.inode_put(Cached); }
            public void Close() { Cached->Busy = 0; }
            public void Reopen() { Cached = Kernel.Alloc(); }
            public void MaybeReopen(bool fresh) { if (fresh) Cached = Kernel.Alloc(); }
        }
        """;

    public const string Prelude = """

        [System.AttributeUsage(System.AttributeTargets.All)]
        sealed class ReleasesAttribute : System.Attribute { }

        unsafe struct Inode { public int Busy; public int Refs; }
        unsafe struct File { public Inode* Inode; public int Flags; }

        class Buffer
        {
            public int Length;
            public void Release() { }
            public void AddRef() { }
            public void Write(int v) { }
        }

        class Metadata { public int Watched; }
        class P9File { public Metadata Md; public int Fid; }

        class SpinLock
        {
            public void Init() { }
            public void Acquire() { }
            public void Release() { }
        }

        static unsafe class Kernel
        {
            public static Inode* Alloc() => null;
            public static void inode_put(Inode* ip) { }
            public static void inode_ref(Inode* ip) { }
            public static void ihold(Inode* ip) { }
            public static void iget(Inode* ip) { }
            public static void sock_hold(Inode* ip) { }
            public static void iput(Inode* ip) { }
            public static void kfree(void* p) { }
            public static void Free(File* f) { }
            public static void Touch(Inode* ip) { }
            public static void Log(object o) { }
            public static void Drop([Releases] Buffer b, Buffer keep) { }
            [Releases] public static void Dispose2(Buffer b) { }
            public static void MdFree(Metadata md) { }
            public static bool IsBusy(Metadata md) => md.Watched != 0;
        }

        class Pool
        {
            public void Free(Buffer b) { }
            public Buffer Get() => null;
        }
        """;
}
