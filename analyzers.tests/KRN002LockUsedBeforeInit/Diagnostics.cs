using System.Threading.Tasks;
using Xunit;
using Verifier = Kernel.Analyzers.Tests.Infrastructure.Verify<Kernel.Analyzers.Rules.LockUsedBeforeInitAnalyzer>;

namespace Kernel.Analyzers.Tests.KRN002LockUsedBeforeInit;

/// <summary>Code that must report, with the exact spans of issue 4's readings (use, call, declarator, second init).</summary>
public partial class Diagnostics
{
    private static Task Reports(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        Verifier.AnalyzerAsync(source + Code.Prelude, expected);

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Diagnostic() => Verifier.Diagnostic("KRN002");

    [Fact]
    public Task SeedShapeLockTakenBeforeTheTableIsAllocatedAndTheLockInitialized() => Reports(
        """
        static unsafe class Toa
        {
            private const int TableSize = 16;
            private static SpinLock toa_ip6_sk_lock;
            [RequiresInit] private static SockList* toa_ip6_sk_tab;

            public static void init_toa_ip6()
            {
                {|#0:toa_ip6_sk_lock.Acquire()|};
                for (var i = 0; i < TableSize; i++)
                {
                    {|#1:toa_ip6_sk_tab|}[i].Next = null;
                }

                toa_ip6_sk_lock.Release();
                {|#2:toa_ip6_sk_tab = (SockList*)Mem.Alloc(TableSize * sizeof(SockList))|};
                {|#3:toa_ip6_sk_lock.Init()|};
            }
        }
        """,
        Diagnostic().WithLocation(0).WithLocation(3)
            .WithMessage("'toa_ip6_sk_lock' is used ('Acquire') before it is initialized; its initialization at line 17 comes too late"),
        Diagnostic().WithLocation(1).WithLocation(2)
            .WithMessage("'toa_ip6_sk_tab' is used (a dereference) before it is initialized; its initialization at line 16 comes too late"));

    [Fact]
    public Task LocalUsedBeforeItsLateInit() => Reports(
        """
        class C
        {
            void M()
            {
                SpinLock l = default;
                {|#0:l.Acquire()|};
                l.Release();
                {|#1:l.Init()|};
            }
        }
        """,
        Diagnostic().WithLocation(0).WithLocation(1)
            .WithMessage("'l' is used ('Acquire') before it is initialized; its initialization at line 8 comes too late"));

    [Fact]
    public Task LocalNeverInitialized() => Reports(
        """
        class C
        {
            void M()
            {
                var l = new SpinLock();
                {|#0:l.Acquire()|};
            }
        }
        """,
        Diagnostic().WithLocation(0).WithMessage("'l' is used ('Acquire') before it is initialized; nothing initializes it on this path"));

    [Fact]
    public Task LocalInitializedOnlyOnOnePath() => Reports(
        """
        class C
        {
            void M(bool fast)
            {
                SpinLock l = default;
                if (fast)
                {
                    {|#1:l.Init()|};
                }

                {|#0:l.Acquire()|};
            }
        }
        """,
        Diagnostic().WithLocation(0).WithLocation(1)
            .WithMessage("'l' is used ('Acquire') before it is initialized; some paths reach it without the initialization at line 8"));

    [Fact]
    public Task ReleaseIsAUseToo() => Reports("""
        class C
        {
            void M()
            {
                SpinLock l = default;
                {|KRN002:l.Release()|};
                l.Init();
            }
        }
        """);

    [Fact]
    public Task ClassLockCreatedButNotInitialized() => Reports("""
        class C
        {
            void M()
            {
                var m = new KMutex();
                {|KRN002:m.Lock()|};
                m.Unlock();
            }
        }
        """);

    [Fact]
    public Task StaticFieldUsedBeforeInitInTheInitializer() => Reports("""
        static class Net
        {
            private static SpinLock s_lock;

            public static void Init()
            {
                {|KRN002:s_lock.Acquire()|};
                s_lock.Release();
                s_lock.Init();
            }
        }
        """);

    [Fact]
    public Task InstanceFieldUsedBeforeInitInTheConstructor() => Reports("""
        sealed class Device
        {
            private readonly KMutex _mutex = new KMutex();

            public Device()
            {
                {|KRN002:_mutex.Lock()|};
                _mutex.Unlock();
                _mutex.Initialize();
            }
        }
        """);

    [Fact]
    public Task InitializerCallsAHelperThatTakesTheLock() => Reports(
        """
        static class Toa
        {
            private static SpinLock s_lock;

            private static void ResetTable()
            {
                {|#1:s_lock.Acquire()|};
                s_lock.Release();
            }

            public static void InitToa()
            {
                {|#0:ResetTable()|};
                {|#2:s_lock.Init()|};
            }
        }
        """,
        Diagnostic().WithLocation(0).WithLocation(2).WithLocation(1)
            .WithMessage("'InitToa' calls 'ResetTable', which uses 's_lock' ('Acquire') before 'InitToa' initializes it; its initialization at line 14 comes too late"));

    [Fact]
    public Task InitializerCallsAChainThatTakesTheLock() => Reports(
        """
        static class Toa
        {
            private static SpinLock s_lock;

            private static void Walk() => {|#1:s_lock.Acquire()|};

            private static void ResetTable() => Walk();

            public static void InitToa()
            {
                {|#0:ResetTable()|};
                {|#2:s_lock.Init()|};
            }
        }
        """,
        Diagnostic().WithLocation(0).WithLocation(2).WithLocation(1)
            .WithMessage("'InitToa' calls 'ResetTable', which uses 's_lock' ('Acquire' through 'Walk') before 'InitToa' initializes it; its initialization at line 12 comes too late"));

    [Fact]
    public Task InitializerPassesTheLockToAHelperThatTakesIt() => Reports("""
        static class Toa
        {
            private static SpinLock s_lock;

            private static void Flush(ref SpinLock l)
            {
                l.Acquire();
                l.Release();
            }

            public static void InitToa()
            {
                Flush({|KRN002:ref s_lock|});
                s_lock.Init();
            }
        }
        """);

    [Fact]
    public Task InitializerCallsAHelperThatDereferencesTheGuardedTable() => Reports("""
        static unsafe class Toa
        {
            [RequiresInit] private static SockList* s_table;

            private static void Clear()
            {
                for (var i = 0; i < 16; i++)
                {
                    s_table[i].Count = 0;
                }
            }

            public static void InitToa()
            {
                {|KRN002:Clear()|};
                s_table = (SockList*)Mem.Alloc(16 * sizeof(SockList));
            }
        }
        """);

    [Theory]
    [InlineData("s_table[0] = default;")]
    [InlineData("*s_table = default;")]
    public Task InitializerCallsAHelperThatWritesThroughTheGuardedTable(string write) => Reports($$"""
        static unsafe class Toa
        {
            [RequiresInit] private static SockList* s_table;

            private static void Reset() { {{write}} }

            public static void InitToa()
            {
                {|KRN002:Reset()|};
                s_table = (SockList*)Mem.Alloc(16 * sizeof(SockList));
            }
        }
        """);

    [Fact]
    public Task GuardedTableWrittenBeforeItIsAllocated() => Reports(
        """
        static unsafe class Toa
        {
            [RequiresInit] private static SockList* s_table;

            public static void InitToa()
            {
                {|#0:s_table|}[0] = default;
                {|#1:s_table = (SockList*)Mem.Alloc(16 * sizeof(SockList))|};
            }
        }
        """,
        Diagnostic().WithLocation(0).WithLocation(1)
            .WithMessage("'s_table' is used (a dereference) before it is initialized; its initialization at line 8 comes too late"));

    [Fact]
    public Task InstanceInitializerCallsAHelperThatTakesTheLock() => Reports("""
        sealed class Device
        {
            private SpinLock _lock;

            private void Flush()
            {
                _lock.Acquire();
                _lock.Release();
            }

            public void Init()
            {
                {|KRN002:Flush()|};
                _lock.Init();
            }
        }
        """);

    [Fact]
    public Task LockFieldUsedButNeverInitialized() => Reports(
        """
        static class Net
        {
            private static SpinLock {|#0:s_lock|};

            public static void Send()
            {
                {|#1:s_lock.Acquire()|};
                s_lock.Release();
            }
        }
        """,
        Diagnostic().WithLocation(0).WithLocation(1)
            .WithMessage("'s_lock' is used ('Acquire') but nothing in this compilation initializes it; call its init method before the first use"));

    [Fact]
    public Task ClassLockFieldCreatedButNeverInitialized() => Reports("""
        sealed class Sched
        {
            private readonly KMutex {|KRN002:_runQueue = new KMutex()|};

            public void Tick()
            {
                _runQueue.Lock();
                _runQueue.Unlock();
            }
        }
        """);

    [Fact]
    public Task ReinitWhileHeld() => Reports(
        """
        class C
        {
            void M()
            {
                SpinLock l = default;
                l.Init();
                {|#1:l.Acquire()|};
                {|#0:l.Init()|};
                l.Release();
            }
        }
        """,
        Diagnostic().WithLocation(0).WithLocation(1)
            .WithMessage("'l' is initialized again ('Init') while it may be held (acquired at line 7); release it first or remove the second initialization"));

    [Fact]
    public Task ReinitWhileHeldOnSomePath() => Reports("""
        static class Net
        {
            private static SpinLock s_lock;

            public static void Reset(bool busy)
            {
                if (!s_lock.IsInitialized)
                {
                    s_lock.Init();
                }

                if (busy)
                {
                    s_lock.Acquire();
                }

                {|KRN002:SpinLock.Init(ref s_lock)|};
            }
        }
        """);

    [Fact]
    public Task ReinitAfterASuccessfulTryAcquire() => Reports("""
        class C
        {
            void M()
            {
                SpinLock l = default;
                l.Init();
                if (l.TryAcquire())
                {
                    {|KRN002:l.Init()|};
                }
            }
        }
        """);

    [Fact]
    public Task RequiresInitTypeWithoutALockName() => Reports("""
        [RequiresInit]
        struct IrqTable
        {
            public void Setup() { }
            public void Route(int irq) { }
        }

        class C
        {
            void M()
            {
                IrqTable t = default;
                {|KRN002:t.Route(3)|};
                t.Setup();
            }
        }
        """);

    [Fact]
    public Task LockNamesByTheirLastWord() => Reports("""
        struct RcuSpinlock { public void Init() { } public void Lock() { } }
        struct McsLock { public static void Initialize(ref McsLock l) { } public void Acquire() { } }
        struct rw_lock { public void init() { } public void read_lock() { } }
        struct CountingSemaphore { public void Init(int count) { } public void Wait() { } }

        class C
        {
            void M()
            {
                RcuSpinlock a = default;
                {|KRN002:a.Lock()|};
                McsLock b = default;
                {|KRN002:b.Acquire()|};
                rw_lock c = default;
                {|KRN002:c.read_lock()|};
                CountingSemaphore d = default;
                {|KRN002:d.Wait()|};
            }
        }
        """);

    [Fact]
    public Task PointerToALockUsedBeforeInit() => Reports("""
        unsafe class C
        {
            void M()
            {
                SpinLock* p = (SpinLock*)Mem.Alloc(sizeof(SpinLock));
                {|KRN002:p->Acquire()|};
                p->Init();
            }
        }
        """);

    [Fact]
    public Task LocalPassedToAHelperThatTakesIt() => Reports(
        """
        class C
        {
            static void Flush(ref SpinLock l) => {|#1:l.Acquire()|};

            void M()
            {
                SpinLock l = default;
                Flush({|#0:ref l|});
            }
        }
        """,
        Diagnostic().WithLocation(0).WithLocation(1)
            .WithMessage("'l' is used (passing it to 'Flush', which uses it ('Acquire')) before it is initialized; nothing initializes it on this path"));

    [Fact]
    public Task LockInsideALambda() => Reports("""
        using System;

        class C
        {
            void M()
            {
                Action a = () =>
                {
                    SpinLock l = default;
                    {|KRN002:l.Acquire()|};
                };
                a();
            }
        }
        """);

    [Fact]
    public Task UseInsideALoopBeforeTheInitAfterIt() => Reports("""
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

                l.Init();
            }
        }
        """);

    [Fact]
    public Task ReinitOfAFieldWhileHeldInAResetRoutine() => Reports(
        """
        static class Net
        {
            private static SpinLock s_lock;

            public static void Init() => s_lock.Init();

            public static void Reset()
            {
                {|#1:s_lock.Acquire()|};
                {|#0:s_lock.Init()|};
                s_lock.Release();
            }
        }
        """,
        Diagnostic().WithLocation(0).WithLocation(1)
            .WithMessage("'s_lock' is initialized again ('Init') while it may be held (acquired at line 9); release it first or remove the second initialization"));

    [Fact]
    public Task UseBeforeACallThatInitializesTheLock() => Reports(
        """
        static class Net
        {
            private static SpinLock s_lock;

            public static void Start()
            {
                {|#0:s_lock.Acquire()|};
                s_lock.Release();
                {|#1:Prepare()|};
            }

            private static void Prepare() => s_lock.Init();
        }
        """,
        Diagnostic().WithLocation(0).WithLocation(1)
            .WithMessage("'s_lock' is used ('Acquire') before it is initialized; its initialization at line 9 comes too late"));

    [Fact]
    public Task FieldOverwrittenWithAFreshLockThenTaken() => Reports(
        """
        sealed class Driver
        {
            private SpinLock gate;

            public Driver() => gate.Init();

            public void Reset()
            {
                gate = default;
                {|#0:gate.Acquire()|};
                gate.Release();
            }
        }
        """,
        Diagnostic().WithLocation(0)
            .WithMessage("'gate' is used ('Acquire') before it is initialized; nothing initializes it on this path"));

    [Fact]
    public Task ConfiguredLockType() => Verifier.AnalyzerAsync(
        """
        struct Gate { public void Open() { } public void Pass() { } }

        class C
        {
            void M()
            {
                Gate g = default;
                {|KRN002:g.Pass()|};
            }
        }
        """ + Code.Prelude,
        "dotnet_code_quality.KRN002.lock_types = Gate");
}
