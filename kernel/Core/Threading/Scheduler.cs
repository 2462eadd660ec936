using System;
using Kernel.Core.Arch;
using Kernel.Core.Mm;
using Kernel.Services.Threading;

namespace Kernel.Core.Threading
{
    /// <summary>Kernel threads: preemptive round robin on the PIT tick (100 Hz), voluntary Yield, Sleep and
    /// Join. A switch is a return of another thread's saved interrupt frame from the interrupt dispatcher
    /// (boot/cpu.asm restores it). Thread 0 is the boot thread, thread 1 the idle thread.</summary>
    internal static unsafe class Scheduler
    {
        internal const int MaxThreads = 32;
        internal const uint TickHz = 100;
        private const ulong StackPages = 4; // 16 KiB per thread, plus one guard page below it
        private const int BootThread = 0;
        private const int IdleThread = 1;

        private struct Table
        {
            public fixed byte States[MaxThreads];
            public fixed ulong WakeTicks[MaxThreads];
            public fixed ulong Frames[MaxThreads];
            public fixed ulong Stacks[MaxThreads];
            public fixed ulong Entries[MaxThreads];
            public fixed ulong Args[MaxThreads];
            public fixed int JoinedBy[MaxThreads];
        }

        private static Table s_t;
        private static int s_current;
        private static ulong s_ticks;
        private static ulong s_switches;
        private static bool s_running;
        private static ulong s_liveStacks;

        internal static ulong Ticks => s_ticks;

        internal static ulong Switches => s_switches;

        internal static int CurrentId => s_current;

        /// <summary>Stacks of threads not yet reaped (leak counter for tests).</summary>
        internal static ulong LiveStacks => s_liveStacks;

        private static Span<ThreadState> States
        {
            get
            {
                fixed (Table* t = &s_t)
                {
                    return new Span<ThreadState>(t->States, MaxThreads);
                }
            }
        }

        private static ReadOnlySpan<ulong> WakeTicks
        {
            get
            {
                fixed (Table* t = &s_t)
                {
                    return new ReadOnlySpan<ulong>(t->WakeTicks, MaxThreads);
                }
            }
        }

        internal static void Init()
        {
            fixed (Table* t = &s_t)
            {
                t->States[BootThread] = (byte)ThreadState.Running;
            }
            s_current = BootThread;
            if (Spawn(&IdleLoop, 0) != IdleThread)
            {
                Panic.Halt("scheduler: idle thread not created first");
            }
            Interrupts.SetTimerHandler(&OnTimer);
            Interrupts.SetYieldHandler(&OnYield);
            Pit.Start(TickHz);
            s_running = true;
            Cpu.EnableInterrupts();
        }

        private static void IdleLoop(ulong arg)
        {
            for (;;)
            {
                Cpu.Halt();
            }
        }

        /// <summary>Creates a thread running <paramref name="entry"/>(<paramref name="arg"/>). Returns its id, or
        /// -1 when the table is full or its stack cannot be allocated.</summary>
        internal static int Spawn(delegate*<ulong, void> entry, ulong arg)
        {
            Reap();
            byte* guard = Pmm.AllocatePages(StackPages + 1);
            if (guard == null)
            {
                return -1;
            }
            Paging.Unmap((ulong)guard);
            byte* stack = guard + Pmm.PageSize;
            ulong flags = Cpu.SaveFlagsAndDisable();
            int id = -1;
            fixed (Table* t = &s_t)
            {
                for (int i = 0; i < MaxThreads; i++)
                {
                    if (t->States[i] == (byte)ThreadState.Unused)
                    {
                        id = i;
                        break;
                    }
                }
                if (id < 0)
                {
                    Cpu.RestoreFlags(flags);
                    FreeStack(stack);
                    return -1;
                }
                ulong top = (ulong)stack + StackPages * Pmm.PageSize;
                *(ulong*)(top - 8) = 0; // fake return address: ends backtraces
                InterruptFrame* f = (InterruptFrame*)((top - 16 - (ulong)sizeof(InterruptFrame)) & ~15UL);
                Memory.Fill((byte*)f, 0, (nuint)sizeof(InterruptFrame));
                *(ushort*)f->FxState = 0x037F;        // x87 control word
                *(uint*)(f->FxState + 24) = 0x1F80;   // MXCSR: all SSE exceptions masked
                f->Rip = (ulong)(delegate*<void>)&ThreadStart;
                f->Cs = Gdt.KernelCode;
                f->Rflags = 0x202;                    // IF
                f->Rsp = top - 8;
                f->Ss = Gdt.KernelData;
                t->Frames[id] = (ulong)f;
                t->Stacks[id] = (ulong)stack;
                t->Entries[id] = (ulong)entry;
                t->Args[id] = arg;
                t->JoinedBy[id] = -1;
                t->States[id] = (byte)ThreadState.Ready;
                s_liveStacks++;
            }
            Cpu.RestoreFlags(flags);
            return id;
        }

        private static void ThreadStart()
        {
            ulong entry;
            ulong arg;
            fixed (Table* t = &s_t)
            {
                entry = t->Entries[s_current];
                arg = t->Args[s_current];
            }
            ((delegate*<ulong, void>)entry)(arg);
            Exit();
        }

        /// <summary>Ends the calling thread; a thread waiting in Join runs again.</summary>
        internal static void Exit()
        {
            Cpu.DisableInterrupts();
            fixed (Table* t = &s_t)
            {
                t->States[s_current] = (byte)ThreadState.Exited;
                int joiner = t->JoinedBy[s_current];
                if (joiner >= 0 && t->States[joiner] == (byte)ThreadState.Blocked)
                {
                    t->States[joiner] = (byte)ThreadState.Ready;
                }
            }
            Cpu.Yield();
            Panic.Halt("scheduler: an exited thread ran again");
        }

        internal static void Yield()
        {
            if (s_running)
            {
                Cpu.Yield();
            }
        }

        internal static void Sleep(ulong milliseconds)
        {
            if (!s_running)
            {
                Panic.Halt("Sleep before the scheduler runs");
            }
            ulong flags = Cpu.SaveFlagsAndDisable();
            fixed (Table* t = &s_t)
            {
                t->WakeTicks[s_current] = s_ticks + SchedulerPolicy.TicksFor(milliseconds, TickHz);
                t->States[s_current] = (byte)ThreadState.Sleeping;
            }
            Cpu.Yield();
            Cpu.RestoreFlags(flags);
        }

        /// <summary>Waits until thread <paramref name="id"/> has exited, then frees its stack.</summary>
        internal static void Join(int id)
        {
            if (id < 0 || id >= MaxThreads || id == s_current)
            {
                Panic.Halt("Join: bad thread id");
            }
            ulong flags = Cpu.SaveFlagsAndDisable();
            fixed (Table* t = &s_t)
            {
                while (t->States[id] != (byte)ThreadState.Exited && t->States[id] != (byte)ThreadState.Unused)
                {
                    t->JoinedBy[id] = s_current;
                    t->States[s_current] = (byte)ThreadState.Blocked;
                    Cpu.Yield();
                }
            }
            Cpu.RestoreFlags(flags);
            Reap();
        }

        internal static ThreadState StateOf(int id)
        {
            fixed (Table* t = &s_t)
            {
                return (ThreadState)t->States[id];
            }
        }

        /// <summary>Frees the stacks of exited threads (never the current one's).</summary>
        private static void Reap()
        {
            ulong flags = Cpu.SaveFlagsAndDisable();
            fixed (Table* t = &s_t)
            {
                for (int i = 0; i < MaxThreads; i++)
                {
                    if (i != s_current && t->States[i] == (byte)ThreadState.Exited)
                    {
                        FreeStack((byte*)t->Stacks[i]);
                        t->Stacks[i] = 0;
                        t->States[i] = (byte)ThreadState.Unused;
                        s_liveStacks--;
                    }
                }
            }
            Cpu.RestoreFlags(flags);
        }

        private static void FreeStack(byte* stack)
        {
            byte* guard = stack - Pmm.PageSize;
            Paging.Map((ulong)guard);
            Pmm.FreePages(guard, StackPages + 1);
        }

        /// <summary>The thread whose stack guard page holds <paramref name="address"/>, or -1.</summary>
        internal static int GuardPageOwner(ulong address)
        {
            fixed (Table* t = &s_t)
            {
                for (int i = 0; i < MaxThreads; i++)
                {
                    ulong stack = t->Stacks[i];
                    if (stack != 0 && address >= stack - Pmm.PageSize && address < stack)
                    {
                        return i;
                    }
                }
            }
            return -1;
        }

        private static InterruptFrame* OnTimer(InterruptFrame* frame)
        {
            s_ticks++;
            SchedulerPolicy.WakeSleepers(States, WakeTicks, s_ticks);
            return Switch(frame);
        }

        private static InterruptFrame* OnYield(InterruptFrame* frame) => Switch(frame);

        private static InterruptFrame* Switch(InterruptFrame* frame)
        {
            fixed (Table* t = &s_t)
            {
                t->Frames[s_current] = (ulong)frame;
                int next = SchedulerPolicy.PickNext(States, s_current, IdleThread);
                if (next == s_current)
                {
                    return frame;
                }
                if (t->States[s_current] == (byte)ThreadState.Running)
                {
                    t->States[s_current] = (byte)ThreadState.Ready;
                }
                t->States[next] = (byte)ThreadState.Running;
                s_current = next;
                s_switches++;
                return (InterruptFrame*)t->Frames[next];
            }
        }
    }
}
