using System;

namespace Kernel.Services.Text
{
    /// <summary>Integer formatting into a caller's buffer (no allocation). Pure: also runs on the host.</summary>
    public static class NumberFormat
    {
        /// <summary>Enough characters for any 64-bit value in any supported form.</summary>
        public const int MaxChars = 24;

        public static int FormatUnsigned(ulong value, Span<char> buffer)
        {
            int n = 0;
            do
            {
                buffer[n++] = (char)('0' + (int)(value % 10));
                value /= 10;
            }
            while (value != 0);
            Reverse(buffer, 0, n);
            return n;
        }

        public static int FormatDecimal(long value, Span<char> buffer)
        {
            if (value >= 0)
            {
                return FormatUnsigned((ulong)value, buffer);
            }
            buffer[0] = '-';
            ulong magnitude = (ulong)(-(value + 1)) + 1; // safe for long.MinValue
            int n = 1;
            do
            {
                buffer[n++] = (char)('0' + (int)(magnitude % 10));
                magnitude /= 10;
            }
            while (magnitude != 0);
            Reverse(buffer, 1, n);
            return n;
        }

        public static int FormatHex(ulong value, int minDigits, Span<char> buffer)
        {
            if (minDigits < 1)
            {
                minDigits = 1;
            }
            if (minDigits > 16)
            {
                minDigits = 16;
            }
            buffer[0] = '0';
            buffer[1] = 'x';
            int n = 2;
            int digits = 0;
            do
            {
                int d = (int)(value & 0xF);
                buffer[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
                value >>= 4;
                digits++;
            }
            while (value != 0 || digits < minDigits);
            Reverse(buffer, 2, n);
            return n;
        }

        private static void Reverse(Span<char> buffer, int from, int to)
        {
            for (int i = from, j = to - 1; i < j; i++, j--)
            {
                char t = buffer[i];
                buffer[i] = buffer[j];
                buffer[j] = t;
            }
        }
    }
}
