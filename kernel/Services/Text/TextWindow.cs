namespace Kernel.Services.Text
{
    /// <summary>Renders ASCII text into a window of a caller's byte buffer without allocating: the text is
    /// produced from its start, characters before <c>skip</c> (the file offset) are counted but not stored,
    /// and storage stops when the window is full. This is how a procfs file is read at an offset.</summary>
    public struct TextWindow
    {
        private readonly byte[] _buffer;
        private readonly int _start;
        private readonly int _capacity;
        private readonly long _skip;
        private long _position;
        private int _stored;

        public TextWindow(byte[] buffer, int start, int capacity, long skip)
        {
            _buffer = buffer;
            _start = start;
            _capacity = capacity;
            _skip = skip;
            _position = 0;
            _stored = 0;
        }

        /// <summary>Bytes stored into the buffer.</summary>
        public int Stored => _stored;

        /// <summary>Bytes of text produced so far (the file size when the text is complete).</summary>
        public long Produced => _position;

        public void Char(char c)
        {
            if (_position >= _skip && _stored < _capacity)
            {
                _buffer[_start + _stored] = (byte)c;
                _stored++;
            }
            _position++;
        }

        public void Text(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                Char(s[i]);
            }
        }

        public void Chars(char[] s, int length)
        {
            for (int i = 0; i < length; i++)
            {
                Char(s[i]);
            }
        }

        public void Decimal(long value)
        {
            ulong magnitude;
            if (value < 0)
            {
                Char('-');
                magnitude = (ulong)(-(value + 1)) + 1; // safe for long.MinValue
            }
            else
            {
                magnitude = (ulong)value;
            }
            Unsigned(magnitude);
        }

        public void Unsigned(ulong value)
        {
            ulong power = 1;
            while (value / power >= 10)
            {
                power *= 10;
            }
            for (; power != 0; power /= 10)
            {
                Char((char)('0' + (int)(value / power % 10)));
            }
        }

        /// <summary>Lower-case hex without prefix, zero-padded to <paramref name="minDigits"/> (1..16).</summary>
        public void Hex(ulong value, int minDigits)
        {
            int digits = 1;
            while (digits < 16 && (value >> (4 * digits)) != 0)
            {
                digits++;
            }
            if (digits < minDigits)
            {
                digits = minDigits > 16 ? 16 : minDigits;
            }
            for (int i = digits - 1; i >= 0; i--)
            {
                int d = (int)((value >> (4 * i)) & 0xF);
                Char((char)(d < 10 ? '0' + d : 'a' + d - 10));
            }
        }
    }
}
