namespace Kernel.Core.Mm
{
    /// <summary>Kernel heap (placeholder: bump allocation over a fixed region; replaced by size classes).</summary>
    internal static unsafe class KernelHeap
    {
        private static byte* s_next;
        private static byte* s_end;

        internal static void InitRegion(byte* start, ulong size)
        {
            s_next = start;
            s_end = start + size;
        }

        internal static byte* AllocateZeroed(ulong size)
        {
            size = (size + 15) & ~15UL;
            if (s_next == null || s_next + size > s_end)
            {
                return null;
            }
            byte* p = s_next;
            s_next += size;
            Kernel.Core.Memory.Fill(p, 0, (nuint)size);
            return p;
        }
    }
}
