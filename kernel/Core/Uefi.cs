using System.Runtime;

namespace Kernel.Core
{
    /// <summary>The UEFI path: read the firmware's memory map, leave boot services, and hand the
    /// conventional memory to the kernel. From then on the kernel owns the machine as in the multiboot path
    /// (its own GDT/IDT/PIC/PIT). Offsets are those of the UEFI 2.x system and boot services tables.</summary>
    internal static unsafe class Uefi
    {
        private const int SystemTableBootServices = 96;
        private const int BootServicesGetMemoryMap = 56;
        private const int BootServicesExitBootServices = 232;
        private const uint EfiConventionalMemory = 7;
        private const ulong EfiSuccess = 0;
        private const int MapBytes = 64 * 1024;

        private struct MapBuffer
        {
            public fixed byte Bytes[MapBytes];
        }

        private static MapBuffer s_map;

        internal static ulong DescriptorCount;

        /// <summary>GetMemoryMap, then ExitBootServices (retried once: the map key goes stale if the
        /// firmware's map changed in between). Panics when the firmware refuses twice.</summary>
        internal static void TakeOver(void* imageHandle, byte* systemTable)
        {
            byte* bs = *(byte**)(systemTable + SystemTableBootServices);
            var getMemoryMap = (delegate* unmanaged<ulong*, byte*, ulong*, ulong*, uint*, ulong>)(*(void**)(bs + BootServicesGetMemoryMap));
            var exitBootServices = (delegate* unmanaged<void*, ulong, ulong>)(*(void**)(bs + BootServicesExitBootServices));
            fixed (MapBuffer* map = &s_map)
            {
                for (int attempt = 0; attempt < 2; attempt++)
                {
                    ulong size = MapBytes;
                    ulong key = 0;
                    ulong descSize = 0;
                    uint version = 0;
                    ulong status = getMemoryMap(&size, map->Bytes, &key, &descSize, &version);
                    if (status != EfiSuccess || descSize == 0)
                    {
                        Panic.Halt("uefi: GetMemoryMap failed");
                    }
                    if (exitBootServices(imageHandle, key) == EfiSuccess)
                    {
                        Cpu.DisableInterrupts();
                        Collect(map->Bytes, size, descSize);
                        return;
                    }
                }
            }
            Panic.Halt("uefi: ExitBootServices failed");
        }

        private static void Collect(byte* map, ulong size, ulong descSize)
        {
            DescriptorCount = size / descSize;
            for (ulong off = 0; off + descSize <= size; off += descSize)
            {
                byte* d = map + off;
                uint type = *(uint*)d;
                ulong start = *(ulong*)(d + 8);
                ulong pages = *(ulong*)(d + 24);
                if (type == EfiConventionalMemory)
                {
                    BootMemory.Add(start, pages * 4096);
                }
            }
        }
    }
}
