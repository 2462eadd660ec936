using System;

namespace Kernel.Services.Threading
{
    public enum ThreadState : byte
    {
        Unused = 0,
        Ready,
        Running,
        Sleeping,
        Blocked,
        Exited,
    }

    /// <summary>Round-robin choice of the next thread. Pure (no clock, no CPU state): time comes in as
    /// an argument, so the policy is tested on the host.</summary>
    public static class SchedulerPolicy
    {
        /// <summary>Wakes every sleeper whose deadline has passed; returns how many woke.</summary>
        public static int WakeSleepers(Span<ThreadState> states, ReadOnlySpan<ulong> wakeTicks, ulong now)
        {
            int woken = 0;
            for (int i = 0; i < states.Length; i++)
            {
                if (states[i] == ThreadState.Sleeping && wakeTicks[i] <= now)
                {
                    states[i] = ThreadState.Ready;
                    woken++;
                }
            }
            return woken;
        }

        /// <summary>The next runnable thread after <paramref name="current"/> (round robin), skipping the idle
        /// thread unless nothing else can run; the current thread counts when it is still Running.</summary>
        public static int PickNext(ReadOnlySpan<ThreadState> states, int current, int idle)
        {
            int n = states.Length;
            for (int step = 1; step <= n; step++)
            {
                int i = (current + step) % n;
                if (i == idle)
                {
                    continue;
                }
                if (states[i] == ThreadState.Ready || (i == current && states[i] == ThreadState.Running))
                {
                    return i;
                }
            }
            return idle;
        }

        /// <summary>Ticks to sleep for <paramref name="milliseconds"/> at <paramref name="hz"/> (at least one).</summary>
        public static ulong TicksFor(ulong milliseconds, uint hz)
        {
            ulong t = (milliseconds * hz + 999) / 1000;
            return t == 0 ? 1 : t;
        }
    }
}
