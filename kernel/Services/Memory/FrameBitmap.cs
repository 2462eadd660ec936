using System;

namespace Kernel.Services.Memory
{
    /// <summary>Bit operations of the physical frame allocator: one bit per 4 KiB frame, 1 = used.
    /// Pure code over a caller's storage, so the same logic runs in the kernel and in host tests.</summary>
    public static class FrameBitmap
    {
        public static ulong WordsFor(ulong frames) => (frames + 63) / 64;

        public static bool IsUsed(ReadOnlySpan<ulong> bits, ulong frame) => (bits[(int)(frame / 64)] & (1UL << (int)(frame % 64))) != 0;

        public static void SetAll(Span<ulong> bits, bool used)
        {
            ulong v = used ? ulong.MaxValue : 0;
            for (int i = 0; i < bits.Length; i++)
            {
                bits[i] = v;
            }
        }

        /// <summary>Marks [first, first + count) used or free; returns how many frames changed state.</summary>
        public static ulong SetRange(Span<ulong> bits, ulong frameCount, ulong first, ulong count, bool used)
        {
            ulong changed = 0;
            ulong end = first + count;
            if (end > frameCount)
            {
                end = frameCount;
            }
            for (ulong f = first; f < end; f++)
            {
                int w = (int)(f / 64);
                ulong mask = 1UL << (int)(f % 64);
                bool now = (bits[w] & mask) != 0;
                if (now != used)
                {
                    changed++;
                    if (used)
                    {
                        bits[w] |= mask;
                    }
                    else
                    {
                        bits[w] &= ~mask;
                    }
                }
            }
            return changed;
        }

        /// <summary>First-fit search for <paramref name="count"/> consecutive free frames at or after
        /// <paramref name="hint"/> (wrapping once). Returns the first frame, or -1 when there is no such run.</summary>
        public static long FindFreeRun(ReadOnlySpan<ulong> bits, ulong frameCount, ulong count, ulong hint)
        {
            if (count == 0 || count > frameCount)
            {
                return -1;
            }
            if (hint >= frameCount)
            {
                hint = 0;
            }
            long r = Scan(bits, hint, frameCount, count);
            if (r < 0 && hint > 0)
            {
                ulong limit = hint + count - 1;
                r = Scan(bits, 0, limit < frameCount ? limit : frameCount, count);
            }
            return r;
        }

        private static long Scan(ReadOnlySpan<ulong> bits, ulong from, ulong to, ulong count)
        {
            ulong run = 0;
            ulong start = from;
            ulong f = from;
            while (f < to)
            {
                // skip a fully used word quickly
                if (f % 64 == 0 && run == 0 && bits[(int)(f / 64)] == ulong.MaxValue)
                {
                    f += 64;
                    start = f;
                    continue;
                }
                if (IsUsed(bits, f))
                {
                    run = 0;
                    start = f + 1;
                }
                else
                {
                    run++;
                    if (run == count)
                    {
                        return (long)start;
                    }
                }
                f++;
            }
            return -1;
        }
    }
}
