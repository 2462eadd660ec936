// Memory helpers the compiler calls for block copies and fills (cpblk, initblk, struct copies).
using System.Runtime.CompilerServices;

namespace System
{
    internal static unsafe class SpanHelpers
    {
        internal static void Memmove(ref byte dest, ref byte src, nuint len)
        {
            Kernel.Core.Memory.Move((byte*)Unsafe.AsPointer(ref dest), (byte*)Unsafe.AsPointer(ref src), len);
        }

        internal static void Fill(ref byte dest, byte value, nuint len)
        {
            Kernel.Core.Memory.Fill((byte*)Unsafe.AsPointer(ref dest), value, len);
        }

        internal static void ClearWithoutReferences(ref byte dest, nuint len)
        {
            Kernel.Core.Memory.Fill((byte*)Unsafe.AsPointer(ref dest), 0, len);
        }
    }

    public static unsafe class Buffer
    {
        // No GC: copying references needs no barrier.
        internal static void BulkMoveWithWriteBarrier(ref byte dest, ref byte src, nuint len)
        {
            Kernel.Core.Memory.Move((byte*)Unsafe.AsPointer(ref dest), (byte*)Unsafe.AsPointer(ref src), len);
        }

        /// <summary>The BCL's <c>Buffer.BlockCopy</c> for byte arrays (the only arrays the services copy in bulk):
        /// count bytes from src[srcOffset] to dst[dstOffset], overlapping ranges allowed (memmove). A range outside
        /// either array is an ArgumentOutOfRangeException, i.e. a panic here, never a write past the array.</summary>
        public static void BlockCopy(byte[] src, int srcOffset, byte[] dst, int dstOffset, int count)
        {
            if (srcOffset < 0 || dstOffset < 0 || count < 0 || count > src.Length - srcOffset || count > dst.Length - dstOffset)
            {
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
                return;
            }
            if (count == 0)
            {
                return;
            }
            ref byte s = ref Unsafe.As<Internal.Runtime.RawArrayData>(src).Data;
            ref byte d = ref Unsafe.As<Internal.Runtime.RawArrayData>(dst).Data;
            Kernel.Core.Memory.Move((byte*)Unsafe.AsPointer(ref d) + dstOffset, (byte*)Unsafe.AsPointer(ref s) + srcOffset, (nuint)count);
        }
    }
}
