namespace Kernel.Analyzers.Tests.KRN002LockUsedBeforeInit;

/// <summary>Declarations the KRN002 cases share, appended after each case so that case line numbers start at 1.</summary>
internal static class Code
{
    public const string Prelude = """


        public struct SpinLock
        {
            private int state;
            private bool initialized;
            public bool IsInitialized => initialized;
            public void Init() { state = 0; initialized = true; }
            public void Acquire() { state = 1; }
            public bool TryAcquire() { state = 1; return true; }
            public void Release() { state = 0; }
            public static void Init(ref SpinLock l) { l.state = 0; l.initialized = true; }
        }

        public sealed class KMutex
        {
            private bool ready;
            public void Initialize() { ready = true; }
            public void Lock() { }
            public void Unlock() { }
            public bool IsReady => ready;
        }

        public sealed class RequiresInitAttribute : System.Attribute { }

        public unsafe struct SockList { public SockList* Next; public int Count; }

        public static unsafe class Mem
        {
            public static extern void* Alloc(int size);
        }
        """;
}
