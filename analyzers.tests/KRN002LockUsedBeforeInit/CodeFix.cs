using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.LockUsedBeforeInitAnalyzer, Kernel.Analyzers.CodeFixes.LockUsedBeforeInitFixer>;

namespace Kernel.Analyzers.Tests.KRN002LockUsedBeforeInit;

/// <summary>KRN002's fix, before and after; each run also checks Fix All in document, project and solution.</summary>
public partial class CodeFix
{
    private static Task Fixes(string before, string after) => Verifier.CodeFixAsync(before + Code.Prelude, after + Code.Prelude);

    [Fact]
    public Task SeedMovesTheAllocationAndTheLockInitBeforeTheirFirstUse() => Fixes(
        """
        static unsafe class Toa
        {
            private static SpinLock toa_ip6_sk_lock;
            [RequiresInit] private static SockList* toa_ip6_sk_tab;

            public static int init_toa_ip6()
            {
                {|KRN002:toa_ip6_sk_lock.Acquire()|};
                for (var i = 0; i < 16; i++)
                {
                    {|KRN002:toa_ip6_sk_tab|}[i].Next = null;
                }

                toa_ip6_sk_lock.Release();
                toa_ip6_sk_tab = (SockList*)Mem.Alloc(16 * sizeof(SockList));
                SpinLock.Init(ref toa_ip6_sk_lock);
                return 0;
            }
        }
        """,
        """
        static unsafe class Toa
        {
            private static SpinLock toa_ip6_sk_lock;
            [RequiresInit] private static SockList* toa_ip6_sk_tab;

            public static int init_toa_ip6()
            {
                SpinLock.Init(ref toa_ip6_sk_lock);
                toa_ip6_sk_lock.Acquire();
                toa_ip6_sk_tab = (SockList*)Mem.Alloc(16 * sizeof(SockList));
                for (var i = 0; i < 16; i++)
                {
                    toa_ip6_sk_tab[i].Next = null;
                }

                toa_ip6_sk_lock.Release();
                return 0;
            }
        }
        """);

    [Fact]
    public Task MovesTheLocalInitBeforeTheUse() => Fixes(
        """
        class C
        {
            void M()
            {
                SpinLock l = default;
                {|KRN002:l.Acquire()|};
                l.Release();
                l.Init();
            }
        }
        """,
        """
        class C
        {
            void M()
            {
                SpinLock l = default;
                l.Init();
                l.Acquire();
                l.Release();
            }
        }
        """);

    [Fact]
    public Task MovesTheInitBeforeTheCallThatTakesTheLock() => Fixes(
        """
        static class Toa
        {
            private static SpinLock s_lock;

            private static void ResetTable()
            {
                s_lock.Acquire();
                s_lock.Release();
            }

            public static void InitToa()
            {
                var ok = true;
                {|KRN002:ResetTable()|};
                s_lock.Init();
            }
        }
        """,
        """
        static class Toa
        {
            private static SpinLock s_lock;

            private static void ResetTable()
            {
                s_lock.Acquire();
                s_lock.Release();
            }

            public static void InitToa()
            {
                var ok = true;
                s_lock.Init();
                ResetTable();
            }
        }
        """);

    [Fact]
    public Task MovesTheInitAboveTheLoopThatUsesTheLock() => Fixes(
        """
        class C
        {
            void M(int n)
            {
                SpinLock l = default;
                for (var i = 0; i < n; i++)
                {
                    {|KRN002:l.Acquire()|};
                    l.Release();
                }

                SpinLock.Init(ref l);
            }
        }
        """,
        """
        class C
        {
            void M(int n)
            {
                SpinLock l = default;
                SpinLock.Init(ref l);
                for (var i = 0; i < n; i++)
                {
                    l.Acquire();
                    l.Release();
                }
            }
        }
        """);

    [Fact]
    public Task InsertsAtTheStartOfTheInitializerWhenTheInitDependsOnWorkInBetween() => Fixes(
        """
        static unsafe class Toa
        {
            [RequiresInit] private static SockList* s_table;
            private static int s_size;

            public static void Init(int buckets)
            {
                System.Console.WriteLine(buckets);
                {|KRN002:s_table|}->Count = 0;
                s_size = buckets * sizeof(SockList);
                s_table = (SockList*)Mem.Alloc(s_size);
            }
        }
        """,
        """
        static unsafe class Toa
        {
            [RequiresInit] private static SockList* s_table;
            private static int s_size;

            public static void Init(int buckets)
            {
                s_table = (SockList*)Mem.Alloc(s_size);
                System.Console.WriteLine(buckets);
                s_table->Count = 0;
                s_size = buckets * sizeof(SockList);
            }
        }
        """);

    [Fact]
    public Task InsertsTheInitCallForALocalThatNothingInitializes() => Fixes(
        """
        class C
        {
            void M()
            {
                var m = new KMutex();
                {|KRN002:m.Lock()|};
                m.Unlock();
            }
        }
        """,
        """
        class C
        {
            void M()
            {
                var m = new KMutex();
                m.Initialize();
                m.Lock();
                m.Unlock();
            }
        }
        """);

    [Fact]
    public Task FixAllFixesEveryInitializerOfTheDocument() => Fixes(
        """
        static class Net
        {
            private static SpinLock s_rx;
            private static SpinLock s_tx;

            public static void InitRx()
            {
                {|KRN002:s_rx.Acquire()|};
                s_rx.Release();
                s_rx.Init();
            }

            public static void InitTx()
            {
                {|KRN002:s_tx.Acquire()|};
                s_tx.Release();
                s_tx.Init();
            }

            public static void InitBoth()
            {
                SpinLock a = default;
                SpinLock b = default;
                {|KRN002:a.Acquire()|};
                {|KRN002:b.Acquire()|};
                a.Init();
                b.Init();
            }
        }
        """,
        """
        static class Net
        {
            private static SpinLock s_rx;
            private static SpinLock s_tx;

            public static void InitRx()
            {
                s_rx.Init();
                s_rx.Acquire();
                s_rx.Release();
            }

            public static void InitTx()
            {
                s_tx.Init();
                s_tx.Acquire();
                s_tx.Release();
            }

            public static void InitBoth()
            {
                SpinLock a = default;
                SpinLock b = default;
                a.Init();
                a.Acquire();
                b.Init();
                b.Acquire();
            }
        }
        """);
}
