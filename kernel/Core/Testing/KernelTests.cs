using Kernel.Core.Mm;
using Kernel.Core.Sync;
using Kernel.Core.Threading;
using Kernel.Services.Boot;
using Kernel.Services.Memory;
using Kernel.Services.Testing;
using Kernel.Services.Threading;

namespace Kernel.Core.Testing
{
    /// <summary>Every in-kernel test, registered by name (the host lists them with `list` and reports each
    /// as its own test case).</summary>
    internal static unsafe class KernelTests
    {
        internal static void RegisterAll()
        {
            TestRunner.Add("runtime.strings", &RuntimeStrings);
            TestRunner.Add("runtime.arrays", &RuntimeArrays);
            TestRunner.Add("runtime.statics", &RuntimeStatics);
            TestRunner.Add("runtime.virtual_calls", &RuntimeVirtualCalls);
            TestRunner.Add("runtime.casts", &RuntimeCasts);
            TestRunner.Add("runtime.interfaces", &RuntimeInterfaces);
            TestRunner.Add("runtime.delegates", &RuntimeDelegates);
            TestRunner.Add("runtime.generics_structs", &RuntimeGenerics);
            TestRunner.Add("runtime.object_free", &RuntimeObjectFree);
            TestRunner.Add("format.numbers", &FormatNumbers);
            TestRunner.Add("cmdline.parse", &CmdlineParse);
            TestRunner.Add("symbols.lookup", &SymbolsLookup);
            TestRunner.Add("pmm.alloc_free", &PmmAllocFree);
            TestRunner.Add("pmm.contiguous_run", &PmmContiguous);
            TestRunner.Add("paging.null_page_and_guards", &PagingGuards);
            TestRunner.Add("heap.alloc_free_reuse", &HeapReuse);
            TestRunner.Add("heap.size_classes", &HeapSizeClasses);
            TestRunner.Add("heap.large_blocks", &HeapLarge);
            TestRunner.Add("heap.no_leak_churn", &HeapChurn);
            TestRunner.Add("heap.failure_injection", &HeapFailure);
            TestRunner.Add("timer.ticks", &TimerTicks);
            TestRunner.Add("threads.spawn_join", &ThreadsSpawnJoin);
            TestRunner.Add("threads.sleep", &ThreadsSleep);
            TestRunner.Add("threads.preemption", &ThreadsPreemption);
            TestRunner.Add("threads.stacks_reaped", &ThreadsReaped);
            TestRunner.Add("sync.spinlock", &SyncSpinLock);
            TestRunner.Add("sync.mutex", &SyncMutex);
            ServiceTests.RegisterAll();
            Kernel.Core.Net.NetTests.RegisterAll();
        }

        // ---- runtime -------------------------------------------------------------------------------
        private static void RuntimeStrings(TestContext t)
        {
            string a = "ab";
            string b = a + "cd";
            t.Equal("abcd", b, "concat");
            t.Equal(4, b.Length, "length");
            t.Check(b == "abcd", "equality");
            t.Check(b != "abce", "inequality");
            t.Equal("-42", (-42).ToString(), "int ToString");
            t.Equal("18446744073709551615", ulong.MaxValue.ToString(), "ulong ToString");
            t.Equal("cd", b.Substring(2), "substring");
            t.Check(b.StartsWith("ab"), "starts with");
            switch (b)
            {
                case "abcd":
                    break;
                default:
                    t.Fail("switch on string");
                    break;
            }
        }

        private static void RuntimeArrays(TestContext t)
        {
            int[] squares = new int[100];
            for (int i = 0; i < squares.Length; i++)
            {
                squares[i] = i * i;
            }
            long sum = 0;
            foreach (int v in squares)
            {
                sum += v;
            }
            t.Equal(328350, sum, "sum of squares");
            string[] words = new string[3];
            words[1] = "x";
            t.Check(words[0] == null && words[1] == "x", "reference array");
            byte[] data = new byte[] { 1, 2, 3 };
            t.Equal(6, data[0] + data[1] + data[2], "initialized array");
        }

        private sealed class Registry
        {
            public int Value = 7;
        }

        private static Registry? s_registry;
        private static string s_greeting = "preinitialized";
        private static int s_counter = 41;

        private static void RuntimeStatics(TestContext t)
        {
            t.Equal("preinitialized", s_greeting, "string static");
            s_counter++;
            t.Equal(42, s_counter, "int static");
            s_registry = new Registry();
            Registry? r = s_registry;
            if (t.Check(r != null, "object static") && r != null)
            {
                t.Equal(7, r.Value, "field of static object");
            }
        }

        private abstract class Shape
        {
            public abstract long Area();

            public virtual string Name() => "shape";
        }

        private sealed class Square : Shape
        {
            private readonly long _side;

            public Square(long side) { _side = side; }

            public override long Area() => _side * _side;

            public override string Name() => "square";
        }

        private sealed class Rect : Shape
        {
            private readonly long _w, _h;

            public Rect(long w, long h) { _w = w; _h = h; }

            public override long Area() => _w * _h;
        }

        private static void RuntimeVirtualCalls(TestContext t)
        {
            Shape[] shapes = new Shape[] { new Square(3), new Rect(2, 5) };
            long total = 0;
            for (int i = 0; i < shapes.Length; i++)
            {
                total += shapes[i].Area();
            }
            t.Equal(19, total, "areas");
            t.Equal("square", shapes[0].Name(), "override");
            t.Equal("shape", shapes[1].Name(), "base virtual");
        }

        private static void RuntimeCasts(TestContext t)
        {
            object o = new Square(2);
            t.Check(o is Shape, "is base");
            t.Check(o is Square, "is exact");
            t.Check(!(o is Rect), "is not sibling");
            Shape? s = o as Shape;
            t.Check(s != null, "as");
            object str = "text";
            t.Check(str is string, "string is string");
        }

        private interface ICounter
        {
            int Next();
        }

        private sealed class ByOne : ICounter
        {
            private int _n;

            public int Next() => ++_n;
        }

        private sealed class ByTen : ICounter
        {
            private int _n;

            public int Next() => _n += 10;
        }

        private sealed class ByHundred : ICounter
        {
            private int _n;

            public int Next() => _n += 100;
        }

        private sealed class ByThousand : ICounter
        {
            private int _n;

            public int Next() => _n += 1000;
        }

        private class Doubling : ICounter
        {
            protected int N = 1;

            public virtual int Next() => N *= 2;
        }

        private sealed class Tripling : Doubling
        {
            public override int Next() => N *= 3;
        }

        private sealed class Negative : ICounter
        {
            private int _n;

            public int Next() => --_n;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static int Drive(ICounter c, int times)
        {
            int last = 0;
            for (int i = 0; i < times; i++)
            {
                last = c.Next();
            }
            return last;
        }

        private static void RuntimeInterfaces(TestContext t)
        {
            ulong resolutions = Internal.Runtime.InterfaceDispatch.Resolutions;
            ICounter[] counters = new ICounter[] { new ByOne(), new ByTen(), new ByHundred(), new ByThousand(), new Doubling(), new Tripling(), new Negative() };
            t.Equal(3, Drive(counters[0], 3), "first implementation");
            t.Equal(30, Drive(counters[1], 3), "second implementation");
            t.Equal(300, Drive(counters[2], 3), "third implementation");
            t.Equal(3000, Drive(counters[3], 3), "fourth implementation");
            t.Equal(8, Drive(counters[4], 3), "virtual implementation");
            t.Equal(27, Drive(counters[5], 3), "override of a virtual implementation");
            t.Equal(-3, Drive(counters[6], 3), "seventh implementation");
            t.Check(Internal.Runtime.InterfaceDispatch.Resolutions > resolutions, "calls went through the dispatch resolver");
            t.Check(counters[1] is ICounter, "is interface");
        }

        private static int Twice(int x) => 2 * x;

        private static int Apply(System.Func<int, int> f, int x) => f(x);

        private sealed class Accumulator
        {
            public int Total;

            public void Add(int x) { Total += x; }
        }

        private static void RuntimeDelegates(TestContext t)
        {
            t.Equal(14, Apply(Twice, 7), "static method group");
            int offset = 5;
            t.Equal(12, Apply(x => x + offset, 7), "closure");
            t.Equal(49, Apply(static x => x * x, 7), "static lambda");
            Accumulator acc = new Accumulator();
            System.Action<int> add = acc.Add;
            add(3);
            add(4);
            t.Equal(7, acc.Total, "instance method delegate");
        }

        private struct Pair<T>
        {
            public T First;
            public T Second;
        }

        private static T Pick<T>(Pair<T> p, bool first) => first ? p.First : p.Second;

        private static void RuntimeGenerics(TestContext t)
        {
            Pair<long> p;
            p.First = 10;
            p.Second = 20;
            t.Equal(20, Pick(p, false), "generic struct");
            Pair<string> q;
            q.First = "a";
            q.Second = "b";
            t.Equal("a", Pick(q, true), "generic over reference type");
        }

        private static void RuntimeObjectFree(TestContext t)
        {
            HeapStats before = KernelHeap.Stats;
            for (int i = 0; i < 1000; i++)
            {
                Registry r = new Registry();
                KernelHeap.FreeObject(r);
            }
            HeapStats after = KernelHeap.Stats;
            t.Equal(before.LiveBlocks, after.LiveBlocks, "live blocks after new/free");
            t.Equal(before.Allocations + 1000, after.Allocations, "allocation count");
        }

        private static void FormatNumbers(TestContext t)
        {
            t.Equal("0", 0.ToString(), "zero");
            t.Equal("-9223372036854775808", long.MinValue.ToString(), "long.MinValue");
            t.Equal("4294967295", uint.MaxValue.ToString(), "uint.MaxValue");
        }

        private static void CmdlineParse(TestContext t)
        {
            CommandLine c = CommandLine.Parse("/boot/kernel.elf  test a.b c");
            t.Equal(3, c.Count, "words");
            t.Equal("test", c.Command, "command");
            t.Equal("c", c[2], "last word");
            t.Equal("demo", CommandLine.Parse("").Command, "empty line");
        }

        private static void SymbolsLookup(TestContext t)
        {
            t.Check(Symbols.Count > 100, "symbol table present");
            ulong address = (ulong)(delegate*<TestContext, void>)&SymbolsLookup;
            string? name = Symbols.NameOf(address);
            if (t.Check(name != null, "symbol for a known function") && name != null)
            {
                t.Check(Contains(name, "SymbolsLookup"), "name is " + name);
            }
            t.Check(Symbols.NameOf(1) == null, "no symbol below the image");
        }

        private static bool Contains(string s, string part)
        {
            for (int i = 0; i + part.Length <= s.Length; i++)
            {
                if (s.Substring(i, part.Length) == part)
                {
                    return true;
                }
            }
            return false;
        }

        // ---- memory --------------------------------------------------------------------------------
        private static void PmmAllocFree(TestContext t)
        {
            ulong free = Pmm.FreeFrames;
            t.Check(free > 1000, "free frames");
            byte* p = Pmm.AllocatePages(1);
            if (p == null)
            {
                t.Fail("allocate a page");
                return;
            }
            t.Equal(0UL, (ulong)p % Pmm.PageSize, "page aligned");
            t.Equal(free - 1, Pmm.FreeFrames, "one frame used");
            p[0] = 0xAB;
            p[4095] = 0xCD;
            Pmm.FreePages(p, 1);
            t.Equal(free, Pmm.FreeFrames, "frame returned");
        }

        private static void PmmContiguous(TestContext t)
        {
            ulong free = Pmm.FreeFrames;
            byte* run = Pmm.AllocatePages(64);
            if (run == null)
            {
                t.Fail("allocate 64 pages");
                return;
            }
            Memory.Fill(run, 0x5A, 64 * 4096);
            t.Equal(free - 64, Pmm.FreeFrames, "64 frames used");
            Pmm.FreePages(run, 64);
            t.Equal(free, Pmm.FreeFrames, "frames returned");
            byte* huge = Pmm.AllocatePages(Pmm.TotalFrames + 1);
            t.Check(huge == null, "impossible run is refused");
        }

        private static void PagingGuards(TestContext t)
        {
            t.Check(!Paging.IsMapped(0), "page 0 is not mapped");
            t.Check(Paging.IsMapped(0x1000), "page 1 is mapped");
            t.Check(Paging.IsMapped((ulong)Cpu.ImageStart()), "the kernel image is mapped");
            byte* p = Pmm.AllocatePages(1);
            if (p == null)
            {
                t.Fail("allocate a page");
                return;
            }
            Paging.Unmap((ulong)p);
            t.Check(!Paging.IsMapped((ulong)p), "unmapped page");
            Paging.Map((ulong)p);
            t.Check(Paging.IsMapped((ulong)p), "mapped again");
            p[0] = 1;
            Pmm.FreePages(p, 1);
        }

        private static void HeapReuse(TestContext t)
        {
            HeapStats before = KernelHeap.Stats;
            byte* a = KernelHeap.Allocate(40);
            if (a == null)
            {
                t.Fail("allocate");
                return;
            }
            t.Equal(0UL, (ulong)a % 16, "16-byte aligned");
            KernelHeap.Free(a);
            byte* b = KernelHeap.Allocate(40);
            t.Check(a == b, "freed block is reused");
            KernelHeap.Free(b);
            t.Equal(before.LiveBlocks, KernelHeap.Stats.LiveBlocks, "no live blocks left");
        }

        private static void HeapSizeClasses(TestContext t)
        {
            HeapStats before = KernelHeap.Stats;
            byte** blocks = stackalloc byte*[SizeClasses.Count];
            for (int i = 0; i < SizeClasses.Count; i++)
            {
                ulong size = SizeClasses.BlockSize(i) - 16;
                byte* p = KernelHeap.Allocate(size);
                if (p == null)
                {
                    t.Fail("allocate class");
                    return;
                }
                Memory.Fill(p, (byte)i, (nuint)size);
                blocks[i] = p;
            }
            for (int i = 0; i < SizeClasses.Count; i++)
            {
                t.Check(blocks[i][0] == (byte)i, "block contents intact");
                KernelHeap.Free(blocks[i]);
            }
            t.Equal(before.LiveBlocks, KernelHeap.Stats.LiveBlocks, "all freed");
            t.Equal(before.BytesInUse, KernelHeap.Stats.BytesInUse, "bytes in use back");
        }

        private static void HeapLarge(TestContext t)
        {
            ulong free = Pmm.FreeFrames;
            byte* p = KernelHeap.Allocate(1 << 20);
            if (p == null)
            {
                t.Fail("allocate 1 MiB");
                return;
            }
            Memory.Fill(p, 1, 1 << 20);
            t.Check(Pmm.FreeFrames < free - 255, "pages taken from the PMM");
            KernelHeap.Free(p);
            t.Equal(free, Pmm.FreeFrames, "pages returned to the PMM");
        }

        private static void HeapChurn(TestContext t)
        {
            HeapStats before = KernelHeap.Stats;
            ulong frames = Pmm.FreeFrames;
            byte** live = stackalloc byte*[64];
            for (int i = 0; i < 64; i++)
            {
                live[i] = null;
            }
            uint seed = 12345;
            for (int round = 0; round < 20000; round++)
            {
                seed = seed * 1103515245 + 12345;
                int slot = (int)((seed >> 16) % 64);
                if (live[slot] != null)
                {
                    KernelHeap.Free(live[slot]);
                    live[slot] = null;
                }
                else
                {
                    ulong size = 1 + (seed >> 8) % 3000;
                    byte* p = KernelHeap.Allocate(size);
                    if (p == null)
                    {
                        t.Fail("allocate during churn");
                        return;
                    }
                    p[0] = 1;
                    p[size - 1] = 2;
                    live[slot] = p;
                }
            }
            for (int i = 0; i < 64; i++)
            {
                KernelHeap.Free(live[i]);
            }
            t.Equal(before.LiveBlocks, KernelHeap.Stats.LiveBlocks, "no leaked blocks");
            t.Equal(before.BytesInUse, KernelHeap.Stats.BytesInUse, "no leaked bytes");
            // small-class pages stay cached in the free lists; large runs must all be back
            t.Check(Pmm.FreeFrames + 64 >= frames, "large runs returned to the PMM");
        }

        private static void HeapFailure(TestContext t)
        {
            ulong failedBefore = KernelHeap.Stats.FailedAllocations;
            KernelHeap.InjectFailure(2);
            byte* first = KernelHeap.Allocate(64);
            byte* second = KernelHeap.Allocate(64);
            KernelHeap.InjectFailure(0);
            t.Check(first != null, "first allocation succeeds");
            t.Check(second == null, "injected failure returns null");
            t.Equal(failedBefore + 1, KernelHeap.Stats.FailedAllocations, "failure counted");
            KernelHeap.Free(first);
        }

        // ---- time and threads ----------------------------------------------------------------------
        private static void TimerTicks(TestContext t)
        {
            ulong start = Scheduler.Ticks;
            ulong spins = 0;
            while (Scheduler.Ticks < start + 3 && spins < 2_000_000_000UL)
            {
                Cpu.Pause();
                spins++;
            }
            t.Check(Scheduler.Ticks >= start + 3, "timer ticks advance");
        }

        private static int s_sharedCounter;
        private static SpinLock? s_lock;
        private static Mutex? s_mutex;

        private static void AddHundred(ulong arg)
        {
            for (int i = 0; i < 100; i++)
            {
                s_sharedCounter++;
                if (i % 10 == 0)
                {
                    Scheduler.Yield();
                }
            }
        }

        private static void ThreadsSpawnJoin(TestContext t)
        {
            s_sharedCounter = 0;
            int a = Scheduler.Spawn(&AddHundred, 0);
            int b = Scheduler.Spawn(&AddHundred, 0);
            if (!t.Check(a > 0 && b > 0, "spawn"))
            {
                return;
            }
            Scheduler.Join(a);
            Scheduler.Join(b);
            t.Equal(200, s_sharedCounter, "both threads ran to completion");
        }

        private static void ThreadsSleep(TestContext t)
        {
            ulong start = Scheduler.Ticks;
            Scheduler.Sleep(50);
            ulong elapsed = Scheduler.Ticks - start;
            t.Check(elapsed >= 5, "slept at least 50 ms (5 ticks), got " + elapsed.ToString());
            t.Check(elapsed < 100, "woke up in time");
        }

        private static int s_spinnerProgress;
        private static int s_stopSpinner;

        private static void BusySpinner(ulong arg)
        {
            // never yields: only the timer can take the CPU away from it
            while (System.Threading.Volatile.Read(ref s_stopSpinner) == 0)
            {
                s_spinnerProgress++;
            }
        }

        private static void ThreadsPreemption(TestContext t)
        {
            s_stopSpinner = 0;
            s_spinnerProgress = 0;
            ulong switches = Scheduler.Switches;
            int id = Scheduler.Spawn(&BusySpinner, 0);
            if (!t.Check(id > 0, "spawn"))
            {
                return;
            }
            // the boot thread busy-waits too: both make progress only if the timer preempts
            ulong start = Scheduler.Ticks;
            while (Scheduler.Ticks < start + 5)
            {
                Cpu.Pause();
            }
            System.Threading.Volatile.Write(ref s_stopSpinner, 1);
            Scheduler.Join(id);
            t.Check(s_spinnerProgress > 0, "the non-yielding thread ran");
            t.Check(Scheduler.Switches > switches + 2, "timer switched threads");
        }

        private static void Nothing(ulong arg)
        {
        }

        private static void ThreadsReaped(TestContext t)
        {
            ulong stacks = Scheduler.LiveStacks;
            ulong frames = Pmm.FreeFrames;
            for (int i = 0; i < 100; i++)
            {
                int id = Scheduler.Spawn(&Nothing, 0);
                if (!t.Check(id > 0, "spawn"))
                {
                    return;
                }
                Scheduler.Join(id);
            }
            t.Equal(stacks, Scheduler.LiveStacks, "live stacks");
            t.Equal(frames, Pmm.FreeFrames, "stack frames returned");
            t.Check(Scheduler.StateOf(1) != ThreadState.Exited, "idle thread alive");
        }

        private static void LockedAdd(ulong arg)
        {
            SpinLock? l = s_lock;
            if (l == null)
            {
                return;
            }
            for (int i = 0; i < 1000; i++)
            {
                l.Acquire();
                int v = s_sharedCounter;
                Cpu.Pause();
                s_sharedCounter = v + 1;
                l.Release();
            }
        }

        private static void SyncSpinLock(TestContext t)
        {
            SpinLock l = new SpinLock();
            l.Init();
            s_lock = l;
            s_sharedCounter = 0;
            int a = Scheduler.Spawn(&LockedAdd, 0);
            int b = Scheduler.Spawn(&LockedAdd, 0);
            Scheduler.Join(a);
            Scheduler.Join(b);
            t.Equal(2000, s_sharedCounter, "no lost update under the spin lock");
            t.Check((Cpu.ReadFlags() & 0x200) != 0, "interrupts back on after release");
        }

        private static void MutexAdd(ulong arg)
        {
            Mutex? m = s_mutex;
            if (m == null)
            {
                return;
            }
            for (int i = 0; i < 50; i++)
            {
                m.Acquire();
                int v = s_sharedCounter;
                Scheduler.Yield(); // hold the mutex across a reschedule
                s_sharedCounter = v + 1;
                m.Release();
            }
        }

        private static void SyncMutex(TestContext t)
        {
            Mutex m = new Mutex();
            m.Init();
            s_mutex = m;
            s_sharedCounter = 0;
            int a = Scheduler.Spawn(&MutexAdd, 0);
            int b = Scheduler.Spawn(&MutexAdd, 0);
            Scheduler.Join(a);
            Scheduler.Join(b);
            t.Equal(100, s_sharedCounter, "no lost update under the mutex");
            t.Check(m.Contentions > 0, "the mutex was contended");
        }
    }
}
