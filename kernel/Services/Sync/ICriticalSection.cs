namespace Kernel.Services.Sync
{
    /// <summary>Mutual exclusion handed to a service by its host: the kernel passes one backed by its
    /// <c>SpinLock</c> (initialized before it is handed over), host tests one backed by a monitor. Held only
    /// for short, non-blocking sections: never across a yield point.</summary>
    public interface ICriticalSection
    {
        void Enter();

        void Exit();
    }
}
