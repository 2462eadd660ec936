using System;
using Kernel.Services.Memory;

namespace Kernel.Core.Mm
{
    /// <summary>Physical memory manager: a frame bitmap (logic in Services/Memory/FrameBitmap) built from the
    /// boot memory map. Memory is identity mapped, so a frame's physical address is its kernel address.</summary>
    internal static unsafe class Pmm
    {
        internal const ulong PageSize = 4096;
        private const ulong MappedLimit = 0x1_0000_0000UL; // boot page tables map the first 4 GiB

        private static ulong* s_bits;
        private static ulong s_words;
        private static ulong s_frames;
        private static ulong s_free;
        private static ulong s_hint;
        private static ulong s_available;

        internal static ulong TotalFrames => s_frames;

        internal static ulong FreeFrames => s_free;

        internal static ulong AvailableBytes => s_available;

        private static Span<ulong> Bits => new Span<ulong>(s_bits, (int)s_words);

        /// <summary>Builds the bitmap from a memory map: <paramref name="regions"/> holds
        /// <paramref name="count"/> pairs (base, length) of usable RAM.</summary>
        internal static void Init(ulong* regions, int count)
        {
            ulong top = 0;
            for (int i = 0; i < count; i++)
            {
                ulong end = regions[i * 2] + regions[i * 2 + 1];
                if (end > top)
                {
                    top = end;
                }
            }
            if (top > MappedLimit)
            {
                top = MappedLimit;
            }
            s_frames = top / PageSize;
            s_words = FrameBitmap.WordsFor(s_frames);

            // the bitmap goes into the first usable RAM above 1 MiB that does not overlap the kernel image
            ulong bitmapBytes = (s_words * 8 + PageSize - 1) & ~(PageSize - 1);
            ulong bitmapStart = PlaceBitmap(regions, count, bitmapBytes);
            if (bitmapStart == 0)
            {
                Panic.Halt("pmm: no usable RAM for the frame bitmap");
            }
            s_bits = (ulong*)bitmapStart;
            FrameBitmap.SetAll(Bits, true);
            s_free = 0;
            for (int i = 0; i < count; i++)
            {
                ulong b = (regions[i * 2] + PageSize - 1) / PageSize;
                ulong e = (regions[i * 2] + regions[i * 2 + 1]) / PageSize;
                if (e > b)
                {
                    s_free += FrameBitmap.SetRange(Bits, s_frames, b, e - b, false);
                }
            }
            // reserved: the first 1 MiB (BIOS, boot data), the kernel image, the bitmap
            Reserve(0, 0x100000);
            Reserve((ulong)Cpu.ImageStart(), (ulong)Cpu.ImageEnd() - (ulong)Cpu.ImageStart());
            Reserve(bitmapStart, bitmapBytes);
            s_available = s_free * PageSize;
            s_hint = 0;
        }

        private static ulong PlaceBitmap(ulong* regions, int count, ulong bytes)
        {
            ulong imageStart = (ulong)Cpu.ImageStart();
            ulong imageEnd = ((ulong)Cpu.ImageEnd() + PageSize - 1) & ~(PageSize - 1);
            for (int i = 0; i < count; i++)
            {
                ulong start = (regions[i * 2] + PageSize - 1) & ~(PageSize - 1);
                ulong end = regions[i * 2] + regions[i * 2 + 1];
                if (start < 0x100000)
                {
                    start = 0x100000;
                }
                if (start < imageEnd && start + bytes > imageStart)
                {
                    start = imageEnd; // overlaps the image: try just after it
                }
                if (start + bytes <= end && start + bytes <= MappedLimit)
                {
                    return start;
                }
            }
            return 0;
        }

        private static void Reserve(ulong start, ulong length)
        {
            ulong first = start / PageSize;
            ulong last = (start + length + PageSize - 1) / PageSize;
            s_free -= FrameBitmap.SetRange(Bits, s_frames, first, last - first, true);
        }

        /// <summary>A run of <paramref name="count"/> contiguous zero-initialized-or-not frames, or null when
        /// physical memory is exhausted.</summary>
        [MayReturnNull]
        internal static byte* AllocatePages(ulong count)
        {
            ulong flags = Cpu.SaveFlagsAndDisable();
            long first = FrameBitmap.FindFreeRun(Bits, s_frames, count, s_hint);
            if (first < 0)
            {
                Cpu.RestoreFlags(flags);
                return null;
            }
            s_free -= FrameBitmap.SetRange(Bits, s_frames, (ulong)first, count, true);
            s_hint = (ulong)first + count;
            Cpu.RestoreFlags(flags);
            return (byte*)((ulong)first * PageSize);
        }

        internal static void FreePages(byte* pages, ulong count)
        {
            ulong first = (ulong)pages / PageSize;
            if ((ulong)pages % PageSize != 0 || first + count > s_frames)
            {
                Panic.Halt("pmm: free of a bad page address");
            }
            ulong flags = Cpu.SaveFlagsAndDisable();
            ulong changed = FrameBitmap.SetRange(Bits, s_frames, first, count, false);
            if (changed != count)
            {
                Panic.Halt("pmm: double free of a page");
            }
            s_free += changed;
            if (first < s_hint)
            {
                s_hint = first;
            }
            Cpu.RestoreFlags(flags);
        }
    }
}
