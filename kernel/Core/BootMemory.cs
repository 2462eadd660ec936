namespace Kernel.Core
{
    /// <summary>The usable RAM regions handed over by the boot path (multiboot or UEFI memory map), kept in
    /// kernel storage so the physical memory manager can take over the firmware's memory.</summary>
    internal static unsafe class BootMemory
    {
        internal const int MaxRegions = 128;

        private struct Storage
        {
            public fixed ulong Regions[MaxRegions * 2];
        }

        private static Storage s_storage;
        private static int s_count;
        private static ulong s_dropped;

        internal static int Count => s_count;

        /// <summary>Regions that did not fit in the table (reported at boot, never silently lost).</summary>
        internal static ulong Dropped => s_dropped;

        internal static void Add(ulong start, ulong length)
        {
            if (length == 0)
            {
                return;
            }
            fixed (Storage* st = &s_storage)
            {
                // merge with the previous region when contiguous (UEFI maps are fragmented)
                if (s_count > 0 && st->Regions[(s_count - 1) * 2] + st->Regions[(s_count - 1) * 2 + 1] == start)
                {
                    st->Regions[(s_count - 1) * 2 + 1] += length;
                    return;
                }
                if (s_count == MaxRegions)
                {
                    s_dropped += length;
                    return;
                }
                st->Regions[s_count * 2] = start;
                st->Regions[s_count * 2 + 1] = length;
                s_count++;
            }
        }

        internal static ulong* Regions()
        {
            fixed (Storage* st = &s_storage)
            {
                return st->Regions;
            }
        }
    }
}
