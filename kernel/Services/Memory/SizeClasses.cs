namespace Kernel.Services.Memory
{
    /// <summary>Size classes of the kernel heap: blocks of 32 .. 2048 bytes (header included) carved from
    /// 4 KiB pages; anything larger is a run of whole pages. Pure: shared with host tests.</summary>
    public static class SizeClasses
    {
        public const int Count = 7;
        public const ulong MinBlock = 32;
        public const ulong MaxBlock = 2048;
        public const ulong PageSize = 4096;

        /// <summary>The class index for a block of <paramref name="total"/> bytes, or -1 for a page run.</summary>
        public static int IndexFor(ulong total)
        {
            ulong size = MinBlock;
            for (int i = 0; i < Count; i++)
            {
                if (total <= size)
                {
                    return i;
                }
                size <<= 1;
            }
            return -1;
        }

        public static ulong BlockSize(int index) => MinBlock << index;

        public static ulong PagesFor(ulong total) => (total + PageSize - 1) / PageSize;
    }

    /// <summary>Heap counters, exposed to tests to prove that nothing leaked.</summary>
    public struct HeapStats
    {
        public ulong Allocations;
        public ulong Frees;
        public ulong LiveBlocks;
        public ulong BytesInUse;
        public ulong PagesFromPmm;
        public ulong FailedAllocations;

        public void OnAllocate(ulong bytes)
        {
            Allocations++;
            LiveBlocks++;
            BytesInUse += bytes;
        }

        public void OnFree(ulong bytes)
        {
            Frees++;
            LiveBlocks--;
            BytesInUse -= bytes;
        }
    }
}
