using Internal.Runtime;
using Kernel.Services.Memory;

namespace Kernel.Core.Mm
{
    /// <summary>Array allocation that reports failure instead of panicking (`new T[n]` panics when the heap
    /// is exhausted): for initializers that check every allocation and unwind, like the TOA module's. The
    /// heap's failure injection (KernelHeap.InjectFailure) reaches these.</summary>
    internal static unsafe class KernelArrays
    {
        // One instance of each array type, only for its MethodTable pointer (never freed, never written).
        private static readonly int[] s_int32Type = new int[1];
        private static readonly ulong[] s_uint64Type = new ulong[1];

        /// <summary>Runs the static initializer (the prototypes) ahead of a test's heap baseline.</summary>
        internal static int Prepare() => s_int32Type.Length + s_uint64Type.Length;

        [MayReturnNull]
        internal static int[]? TryInt32(int length)
        {
            object? o = RuntimeAllocator.TryNewArray(TypeOf(s_int32Type), length);
            return o == null ? null : System.Runtime.CompilerServices.Unsafe.As<int[]>(o);
        }

        [MayReturnNull]
        internal static ulong[]? TryUInt64(int length)
        {
            object? o = RuntimeAllocator.TryNewArray(TypeOf(s_uint64Type), length);
            return o == null ? null : System.Runtime.CompilerServices.Unsafe.As<ulong[]>(o);
        }

        private static MethodTable* TypeOf(object prototype) => prototype.m_pMethodTable;
    }

    /// <summary>The kernel's <see cref="IStorageSink"/>: a service's storage goes back to the kernel heap.</summary>
    internal sealed class HeapStorageSink : IStorageSink
    {
        internal ulong Freed;

        public void Free(object storage)
        {
            Freed++;
            KernelHeap.FreeObject(storage);
        }
    }
}
