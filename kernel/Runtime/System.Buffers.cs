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

    internal static unsafe class Buffer
    {
        // No GC: copying references needs no barrier.
        internal static void BulkMoveWithWriteBarrier(ref byte dest, ref byte src, nuint len)
        {
            Kernel.Core.Memory.Move((byte*)Unsafe.AsPointer(ref dest), (byte*)Unsafe.AsPointer(ref src), len);
        }
    }
}
