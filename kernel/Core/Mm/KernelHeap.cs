using Kernel.Services.Memory;

namespace Kernel.Core.Mm
{
    /// <summary>The kernel heap: size-class free lists (32 .. 2048-byte blocks carved from PMM pages) and page
    /// runs for larger blocks, with real free. Every block carries a 16-byte header (magic, class, size), so
    /// free needs no size and double or wild frees are caught. The managed runtime's allocation helpers
    /// (RhpNewFast, RhpNewArray...) come here: see README.md "Memory model".</summary>
    internal static unsafe class KernelHeap
    {
        private const uint LiveMagic = 0x4B484C56;  // "KHLV"
        private const uint FreeMagic = 0x4B484652;  // "KHFR"
        private const uint PageRunClass = 0xFF;
        private const ulong HeaderSize = 16;

        private struct Header
        {
            public uint Magic;
            public uint Class;
            public ulong Size; // requested bytes; for page runs also the page count is derived from it
        }

        private struct Lists
        {
            public fixed ulong Head[SizeClasses.Count];
        }

        private static Lists s_free;
        private static HeapStats s_stats;

        /// <summary>When non-zero, the allocation with this ordinal (1-based, counting from when it was
        /// set) fails: failure injection for tests.</summary>
        private static ulong s_failAfter;

        internal static HeapStats Stats => s_stats;

        /// <summary>Makes the n-th next allocation fail (0 turns injection off).</summary>
        internal static void InjectFailure(ulong nth) => s_failAfter = nth;

        [MayReturnNull]
        internal static byte* AllocateZeroed(ulong size)
        {
            byte* p = Allocate(size);
            if (p != null)
            {
                Memory.Fill(p, 0, (nuint)size);
            }
            return p;
        }

        /// <summary>Returns <paramref name="size"/> bytes (16-byte aligned), or null when memory is exhausted.</summary>
        [MayReturnNull]
        internal static byte* Allocate(ulong size)
        {
            ulong flags = Cpu.SaveFlagsAndDisable();
            byte* result = AllocateLocked(size);
            Cpu.RestoreFlags(flags);
            return result;
        }

        private static byte* AllocateLocked(ulong size)
        {
            if (s_failAfter != 0 && --s_failAfter == 0)
            {
                s_stats.FailedAllocations++;
                return null;
            }
            ulong total = size + HeaderSize;
            int cls = SizeClasses.IndexFor(total);
            Header* h;
            if (cls < 0)
            {
                ulong pages = SizeClasses.PagesFor(total);
                byte* run = Pmm.AllocatePages(pages);
                if (run == null)
                {
                    s_stats.FailedAllocations++;
                    return null;
                }
                s_stats.PagesFromPmm += pages;
                h = (Header*)run;
                h->Class = PageRunClass;
            }
            else
            {
                // free blocks: the magic at offset 0, the next-free link at offset 8
                byte* block = (byte*)s_free.Head[cls];
                if (block == null)
                {
                    if (!Refill(cls))
                    {
                        s_stats.FailedAllocations++;
                        return null;
                    }
                    block = (byte*)s_free.Head[cls];
                    if (block == null)
                    {
                        s_stats.FailedAllocations++;
                        return null;
                    }
                }
                s_free.Head[cls] = ((ulong*)block)[1];
                h = (Header*)block;
                if (h->Magic != FreeMagic)
                {
                    Panic.Halt("heap: free list corrupted (a block was written after free)");
                }
                h->Class = (uint)cls;
            }
            h->Magic = LiveMagic;
            h->Size = size;
            s_stats.OnAllocate(size);
            return (byte*)h + HeaderSize;
        }

        private static bool Refill(int cls)
        {
            byte* page = Pmm.AllocatePages(1);
            if (page == null)
            {
                return false;
            }
            s_stats.PagesFromPmm++;
            ulong block = SizeClasses.BlockSize(cls);
            for (ulong off = 0; off + block <= SizeClasses.PageSize; off += block)
            {
                byte* b = page + off;
                ((Header*)b)->Magic = FreeMagic;
                // the free-list link overlays the header's Size word, the magic stays readable
                ((ulong*)b)[1] = s_free.Head[cls];
                s_free.Head[cls] = (ulong)b;
            }
            return true;
        }

        internal static void Free(byte* p)
        {
            if (p == null)
            {
                return;
            }
            ulong flags = Cpu.SaveFlagsAndDisable();
            Header* h = (Header*)(p - HeaderSize);
            if (h->Magic == FreeMagic)
            {
                Panic.Halt("heap: double free");
            }
            if (h->Magic != LiveMagic)
            {
                Panic.Halt("heap: free of a pointer the heap did not return");
            }
            ulong size = h->Size;
            s_stats.OnFree(size);
            if (h->Class == PageRunClass)
            {
                ulong pages = SizeClasses.PagesFor(size + HeaderSize);
                h->Magic = FreeMagic;
                Pmm.FreePages((byte*)h, pages);
            }
            else
            {
                int cls = (int)h->Class;
                h->Magic = FreeMagic;
                ((ulong*)h)[1] = s_free.Head[cls];
                s_free.Head[cls] = (ulong)h;
            }
            Cpu.RestoreFlags(flags);
        }

        /// <summary>Releases a managed object allocated by `new` (no GC: the owner frees explicitly). The
        /// caller guarantees no reference to it remains.</summary>
        internal static void FreeObject(object o)
        {
            byte* obj = *(byte**)System.Runtime.CompilerServices.Unsafe.AsPointer(ref o);
            Free(obj - 8);
        }
    }
}
