using Kernel.Services.Text;

namespace Kernel.Core
{
    /// <summary>Formatted kernel console on the serial port. Interrupt-safe: a line is written with
    /// interrupts off, so lines of different threads never interleave.</summary>
    internal static unsafe class Console
    {
        internal static void Write(char c)
        {
            if (c == '\n')
            {
                Serial.WriteByte((byte)'\r');
            }
            Serial.WriteByte(c < 128 ? (byte)c : (byte)'?');
        }

        internal static void Write(string? s)
        {
            if (s is null)
            {
                Write("(null)");
                return;
            }
            ulong flags = Cpu.SaveFlagsAndDisable();
            for (int i = 0; i < s.Length; i++)
            {
                Write(s[i]);
            }
            Cpu.RestoreFlags(flags);
        }

        internal static void WriteLine(string? s)
        {
            ulong flags = Cpu.SaveFlagsAndDisable();
            Write(s);
            Write('\n');
            Cpu.RestoreFlags(flags);
        }

        internal static void WriteLine() => Write('\n');

        internal static void WriteDec(long value)
        {
            char* buf = stackalloc char[NumberFormat.MaxChars];
            int n = NumberFormat.FormatDecimal(value, new System.Span<char>(buf, NumberFormat.MaxChars));
            WriteChars(buf, n);
        }

        internal static void WriteUDec(ulong value)
        {
            char* buf = stackalloc char[NumberFormat.MaxChars];
            int n = NumberFormat.FormatUnsigned(value, new System.Span<char>(buf, NumberFormat.MaxChars));
            WriteChars(buf, n);
        }

        /// <summary>0x-prefixed hexadecimal, at least <paramref name="minDigits"/> digits.</summary>
        internal static void WriteHex(ulong value, int minDigits = 1)
        {
            char* buf = stackalloc char[NumberFormat.MaxChars];
            int n = NumberFormat.FormatHex(value, minDigits, new System.Span<char>(buf, NumberFormat.MaxChars));
            WriteChars(buf, n);
        }

        private static void WriteChars(char* chars, int count)
        {
            ulong flags = Cpu.SaveFlagsAndDisable();
            for (int i = 0; i < count; i++)
            {
                Write(chars[i]);
            }
            Cpu.RestoreFlags(flags);
        }
    }
}
