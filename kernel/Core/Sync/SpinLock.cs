using System.Threading;
using Kernel.Core.Threading;

namespace Kernel.Core.Sync
{
    /// <summary>A spin lock that also disables interrupts while held (single CPU: the holder cannot be
    /// preempted, so waiting never spins in practice). Must be initialized with <see cref="Init"/>; use
    /// before Init is a panic at run time and a KRN002 error at build time.</summary>
    [RequiresInit]
    public sealed class SpinLock
    {
        private int _state;
        private bool _initialized;
        private ulong _savedFlags;

        public bool IsInitialized => _initialized;

        public void Init()
        {
            _state = 0;
            _savedFlags = 0;
            _initialized = true;
        }

        public void Acquire()
        {
            if (!_initialized)
            {
                Panic.Halt("SpinLock used before Init");
            }
            ulong flags = Cpu.SaveFlagsAndDisable();
            while (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            {
                Cpu.Pause();
            }
            _savedFlags = flags;
        }

        public void Release()
        {
            if (_state == 0)
            {
                Panic.Halt("SpinLock released while not held");
            }
            ulong flags = _savedFlags;
            Volatile.Write(ref _state, 0);
            Cpu.RestoreFlags(flags);
        }
    }

    /// <summary>A sleeping lock: a waiter yields to other threads until the owner releases. Must be
    /// initialized with <see cref="Init"/>.</summary>
    [RequiresInit]
    public sealed class Mutex
    {
        private int _owner;
        private bool _initialized;
        private ulong _contentions;

        public bool IsInitialized => _initialized;

        /// <summary>How many times an Acquire had to wait (for tests).</summary>
        public ulong Contentions => _contentions;

        public void Init()
        {
            _owner = -1;
            _contentions = 0;
            _initialized = true;
        }

        public void Acquire()
        {
            if (!_initialized)
            {
                Panic.Halt("Mutex used before Init");
            }
            int me = Scheduler.CurrentId;
            if (_owner == me)
            {
                Panic.Halt("Mutex acquired twice by the same thread");
            }
            while (Interlocked.CompareExchange(ref _owner, me, -1) != -1)
            {
                _contentions++;
                Scheduler.Yield();
            }
        }

        public void Release()
        {
            if (_owner != Scheduler.CurrentId)
            {
                Panic.Halt("Mutex released by a thread that does not own it");
            }
            Volatile.Write(ref _owner, -1);
        }
    }
}
