using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.LockUsedBeforeInitAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN002LockUsedBeforeInit;

/// <summary>Code that must stay silent: every silent case of issue 4 and the readings.</summary>
public partial class Valid
{
    private static Task Silent(string source, string? editorConfig = null) =>
        Verifier.AnalyzerAsync(source + Code.Prelude, editorConfig);

    [Fact]
    public Task StaticLockInitializedThroughAFixedPointer() => Silent("""
        unsafe struct McsLock
        {
            public static void Initialize(McsLock* l) { }
            public void Enter() { }
            public void Exit() { }
        }

        static unsafe class Sched
        {
            private static McsLock s_runQueue;

            public static void Init()
            {
                fixed (McsLock* l = &s_runQueue)
                {
                    McsLock.Initialize(l);
                }
            }

            public static void Tick()
            {
                s_runQueue.Enter();
                s_runQueue.Exit();
            }
        }
        """);

    [Fact]
    public Task GuardedTableWrittenAfterItIsAllocated() => Silent("""
        static unsafe class Toa
        {
            [RequiresInit] private static SockList* s_table;

            public static void InitToa()
            {
                s_table = (SockList*)Mem.Alloc(16 * sizeof(SockList));
                s_table[0] = default;
                *s_table = default;
            }
        }
        """);

    [Fact]
    public Task LocalInitializedBeforeUse() => Silent("""
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
    public Task LocalInitializedOnEveryPath() => Silent("""
        class C
        {
            void M(bool fast)
            {
                SpinLock l = default;
                if (fast)
                {
                    l.Init();
                }
                else
                {
                    SpinLock.Init(ref l);
                }

                l.Acquire();
                l.Release();
            }
        }
        """);

    [Fact]
    public Task InitAndUseInTheSameBranch() => Silent("""
        class C
        {
            void M(bool locked)
            {
                SpinLock l = default;
                if (locked)
                {
                    l.Init();
                    l.Acquire();
                    l.Release();
                }
            }
        }
        """);

    [Fact]
    public Task StaticLockInitializedByItsFieldInitializer() => Silent("""
        static class Table
        {
            private static SpinLock s_lock = Create();

            private static SpinLock Create()
            {
                var l = new SpinLock();
                l.Init();
                return l;
            }

            public static void Insert()
            {
                s_lock.Acquire();
                s_lock.Release();
            }
        }
        """);

    [Fact]
    public Task LockWhoseConstructorInitializes() => Silent("""
        sealed class ReadyLock
        {
            public ReadyLock() { Init(); }
            public void Init() { }
            public void Acquire() { }
            public void Release() { }
        }

        static class Table
        {
            private static readonly ReadyLock s_lock = new ReadyLock();

            public static void Insert()
            {
                var local = new ReadyLock();
                local.Acquire();
                s_lock.Acquire();
                s_lock.Release();
            }
        }
        """);

    [Fact]
    public Task InstanceLockInitializedInTheConstructor() => Silent("""
        sealed class Device
        {
            private SpinLock _lock;
            private readonly KMutex _mutex = new KMutex();

            public Device()
            {
                _lock.Init();
                _mutex.Initialize();
                _lock.Acquire();
                _lock.Release();
            }

            public void Write()
            {
                _lock.Acquire();
                _mutex.Lock();
                _mutex.Unlock();
                _lock.Release();
            }
        }
        """);

    [Fact]
    public Task LocalInitializedThroughAHelper() => Silent("""
        class C
        {
            static void Setup(ref SpinLock l) => l.Init();

            void M()
            {
                SpinLock l = default;
                Setup(ref l);
                l.Acquire();
                l.Release();
            }
        }
        """);

    [Fact]
    public Task FieldInitializedThroughHelpersInTheInitializer() => Silent("""
        static class Net
        {
            private static SpinLock s_lock;

            private static void InitLocks() => s_lock.Init();

            private static void Register()
            {
                s_lock.Acquire();
                s_lock.Release();
            }

            public static void Init()
            {
                InitLocks();
                Register();
            }
        }
        """);

    [Fact]
    public Task UseAfterASuccessfulInitCheck() => Silent("""
        class C
        {
            void M()
            {
                SpinLock l = default;
                if (!l.IsInitialized)
                {
                    l.Init();
                }

                l.Acquire();
                l.Release();
            }
        }
        """);

    [Fact]
    public Task UseOnlyWhenTheInitCheckSucceeds() => Silent("""
        class C
        {
            void M()
            {
                SpinLock l = default;
                if (l.IsInitialized)
                {
                    l.Acquire();
                    l.Release();
                }
            }
        }
        """);

    [Fact]
    public Task FieldInitializedOnceBehindAFlag() => Silent("""
        static class Net
        {
            private static SpinLock s_lock;
            private static bool s_initialized;

            public static void Send()
            {
                if (!s_initialized)
                {
                    s_lock.Init();
                    s_initialized = true;
                }

                s_lock.Acquire();
                s_lock.Release();
            }
        }
        """);

    [Fact]
    public Task FieldInitCheckInTheInitializer() => Silent("""
        static class Net
        {
            private static KMutex s_mutex = new KMutex();

            public static void Start()
            {
                if (!s_mutex.IsReady)
                {
                    s_mutex.Initialize();
                }

                s_mutex.Lock();
                s_mutex.Unlock();
            }
        }
        """);

    [Fact]
    public Task SystemThreadingLocksAreReadyWhenConstructed() => Silent("""
        using System.Threading;

        class C
        {
            private static readonly object s_gate = new object();
            private static System.Threading.SpinLock s_spin;
            private static readonly Mutex s_mutex = new Mutex();
            private static readonly SemaphoreSlim s_semaphore = new SemaphoreSlim(1);
            private static readonly ReaderWriterLockSlim s_rw = new ReaderWriterLockSlim();

            void M()
            {
                var taken = false;
                s_spin.Enter(ref taken);
                s_spin.Exit();
                s_mutex.WaitOne();
                s_mutex.ReleaseMutex();
                s_semaphore.Wait();
                s_semaphore.Release();
                s_rw.EnterReadLock();
                s_rw.ExitReadLock();
                lock (s_gate) { }
            }
        }
        """);

    [Fact]
    public Task ClockBlockAndDeadlockAreOtherWords() => Silent("""
        struct Clock { public void Init() { } public void Tick() { } }
        struct Block { public void Initialize() { } public void Lock() { } }
        struct Deadlock { public void Init() { } public void Acquire() { } }

        class C
        {
            private static Clock s_clock;

            void M()
            {
                Clock c = default;
                c.Tick();
                c.Init();
                Block b = default;
                b.Lock();
                b.Initialize();
                Deadlock d = default;
                d.Acquire();
                d.Init();
                s_clock.Tick();
            }
        }
        """);

    [Fact]
    public Task LockNamedTypeWithoutAnInitMethodIsReady() => Silent("""
        struct TicketLock { public void Acquire() { } public void Release() { } }

        class C
        {
            private static TicketLock s_ticket;

            void M()
            {
                TicketLock t = default;
                t.Acquire();
                t.Release();
                s_ticket.Acquire();
            }
        }
        """);

    [Fact]
    public Task FieldsAreAssumedInitializedInMethodsThatDoNotInitializeThem() => Silent("""
        static class Net
        {
            private static SpinLock s_lock;

            public static void Init() => s_lock.Init();

            public static void Send()
            {
                s_lock.Acquire();
                s_lock.Release();
            }
        }
        """);

    [Fact]
    public Task StaticInitThroughAPointer() => Silent("""
        unsafe struct RawSpinlock
        {
            private int state;
            public static void Init(RawSpinlock* l) { l->state = 0; }
            public static void Acquire(RawSpinlock* l) { l->state = 1; }
            public static void Release(RawSpinlock* l) { l->state = 0; }
        }

        unsafe class C
        {
            void M()
            {
                RawSpinlock l = default;
                RawSpinlock.Init(&l);
                RawSpinlock.Acquire(&l);
                RawSpinlock.Release(&l);
                RawSpinlock* p = &l;
                RawSpinlock.Acquire(p);
            }
        }
        """);

    [Fact]
    public Task ReadingStateIsNotAUse() => Silent("""
        class C
        {
            bool M()
            {
                SpinLock l = default;
                var ready = l.IsInitialized;
                var text = l.ToString();
                return ready && text != null;
            }
        }
        """);

    [Fact]
    public Task ReinitAfterReleaseIsFine() => Silent("""
        class C
        {
            void M()
            {
                SpinLock l = default;
                l.Init();
                l.Acquire();
                l.Release();
                l.Init();
                if (l.TryAcquire())
                {
                    l.Release();
                }

                l.Init();
                l.Init();
            }
        }
        """);

    [Fact]
    public Task PassingToAnExternInitializes() => Silent("""
        static unsafe class Native
        {
            public static extern void spin_lock_init(SpinLock* l);
            public static extern void debug_register(ref SpinLock l);
        }

        unsafe class C
        {
            void M()
            {
                SpinLock a = default;
                Native.spin_lock_init(&a);
                a.Acquire();
                SpinLock b = default;
                Native.debug_register(ref b);
                b.Acquire();
            }
        }
        """);

    [Fact]
    public Task GuardedTableAllocatedBeforeUse() => Silent("""
        static unsafe class Toa
        {
            private static SpinLock s_lock;
            [RequiresInit] private static SockList* s_table;

            public static void Init()
            {
                s_table = (SockList*)Mem.Alloc(16 * sizeof(SockList));
                s_lock.Init();
                s_lock.Acquire();
                for (var i = 0; i < 16; i++)
                {
                    s_table[i].Next = null;
                }

                s_lock.Release();
            }

            public static void Exit()
            {
                s_table = null;
            }
        }
        """);

    [Fact]
    public Task LambdasAndLocalFunctionsSeeTheOuterInit() => Silent("""
        using System;

        class C
        {
            void M()
            {
                SpinLock l = default;
                l.Init();
                Action a = () => { l.Acquire(); l.Release(); };
                a();
                Local();

                void Local()
                {
                    l.Acquire();
                    l.Release();
                }
            }
        }
        """);

    [Fact]
    public Task LoopsAndTryFinallyAfterInit() => Silent("""
        class C
        {
            void M(int n)
            {
                SpinLock l = default;
                l.Init();
                for (var i = 0; i < n; i++)
                {
                    l.Acquire();
                    try
                    {
                        if (i == 3) continue;
                    }
                    finally
                    {
                        l.Release();
                    }
                }
            }
        }
        """);

    [Fact]
    public Task LockFieldsInitializedSomewhereAreNotReportedAtTheirDeclaration() => Silent("""
        sealed class Sched
        {
            private static readonly KMutex s_runQueue = new KMutex();
            private SpinLock _lock;

            public static void Boot() => s_runQueue.Initialize();

            public void Start() => SpinLock.Init(ref _lock);

            public void Tick()
            {
                s_runQueue.Lock();
                _lock.Acquire();
                _lock.Release();
                s_runQueue.Unlock();
            }
        }
        """);

    [Fact]
    public Task NameHeuristicCanBeTurnedOff() => Silent(
        """
        class C
        {
            private static SpinLock s_never;

            void M()
            {
                SpinLock l = default;
                l.Acquire();
                s_never.Acquire();
            }
        }
        """,
        "dotnet_code_quality.KRN002.lock_name_heuristic = false");

    [Fact]
    public Task LockPassedToAHelperThatOnlyReadsState() => Silent("""
        class C
        {
            static bool Ready(ref SpinLock l) => l.IsInitialized;

            void M()
            {
                SpinLock l = default;
                if (Ready(ref l))
                {
                    return;
                }

                l.Init();
                l.Acquire();
            }
        }
        """);
}
