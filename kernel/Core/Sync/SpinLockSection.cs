using Kernel.Services.Sync;

namespace Kernel.Core.Sync
{
    /// <summary>A service's critical section backed by a kernel <see cref="SpinLock"/>, initialized here before
    /// the section can be handed to anyone.</summary>
    internal sealed class SpinLockSection : ICriticalSection
    {
        private readonly SpinLock _lock;

        internal SpinLockSection()
        {
            SpinLock l = new SpinLock();
            l.Init();
            _lock = l;
        }

        /// <summary>Frees the lock object (no GC); the section must not be used afterwards.</summary>
        internal void ReturnStorage(Services.Memory.IStorageSink sink) => sink.Free(_lock);

        public void Enter() => _lock.Acquire();

        public void Exit() => _lock.Release();
    }
}
