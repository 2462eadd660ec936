using System.Runtime.CompilerServices;

namespace System.Threading
{
    // The compiler expands these intrinsics inline (lock cmpxchg / xchg / xadd); the recursive bodies are
    // never executed, as in the BCL.
    public static class Interlocked
    {
        [Intrinsic]
        public static int CompareExchange(ref int location1, int value, int comparand) => CompareExchange(ref location1, value, comparand);

        [Intrinsic]
        public static long CompareExchange(ref long location1, long value, long comparand) => CompareExchange(ref location1, value, comparand);

        [Intrinsic]
        public static int Exchange(ref int location1, int value) => Exchange(ref location1, value);

        [Intrinsic]
        public static long Exchange(ref long location1, long value) => Exchange(ref location1, value);

        [Intrinsic]
        internal static int ExchangeAdd(ref int location1, int value) => ExchangeAdd(ref location1, value);

        [Intrinsic]
        internal static long ExchangeAdd(ref long location1, long value) => ExchangeAdd(ref location1, value);

        public static int Increment(ref int location) => ExchangeAdd(ref location, 1) + 1;

        public static long Increment(ref long location) => ExchangeAdd(ref location, 1) + 1;

        public static int Decrement(ref int location) => ExchangeAdd(ref location, -1) - 1;
    }

    public static class Volatile
    {
        [Intrinsic]
        public static int Read(ref readonly int location) => location;

        [Intrinsic]
        public static void Write(ref int location, int value) { location = value; }
    }
}
