namespace Kernel.Core
{
    /// <summary>Raw memory operations (the runtime's memset/memcpy/memmove use these).</summary>
    internal static unsafe class Memory
    {
        internal static void Fill(byte* dst, byte value, nuint count)
        {
            ulong pattern = value * 0x0101010101010101UL;
            while (count >= 8)
            {
                *(ulong*)dst = pattern;
                dst += 8;
                count -= 8;
            }
            while (count > 0)
            {
                *dst++ = value;
                count--;
            }
        }

        internal static void Copy(byte* dst, byte* src, nuint count)
        {
            while (count >= 8)
            {
                *(ulong*)dst = *(ulong*)src;
                dst += 8;
                src += 8;
                count -= 8;
            }
            while (count > 0)
            {
                *dst++ = *src++;
                count--;
            }
        }

        internal static void Move(byte* dst, byte* src, nuint count)
        {
            if (dst <= src || dst >= src + count)
            {
                Copy(dst, src, count);
                return;
            }
            while (count > 0)
            {
                count--;
                dst[count] = src[count];
            }
        }
    }
}
