namespace Kernel.Core
{
    /// <summary>16550 UART on COM1 (0x3F8), 115200 8N1, polled output.</summary>
    internal static class Serial
    {
        private const ushort Com1 = 0x3F8;
        private static bool s_ready;

        internal static void Init()
        {
            Cpu.OutB(Com1 + 1, 0x00); // no interrupts
            Cpu.OutB(Com1 + 3, 0x80); // DLAB
            Cpu.OutB(Com1 + 0, 0x01); // divisor 1: 115200 baud
            Cpu.OutB(Com1 + 1, 0x00);
            Cpu.OutB(Com1 + 3, 0x03); // 8N1
            Cpu.OutB(Com1 + 2, 0xC7); // FIFO on, cleared, 14-byte threshold
            Cpu.OutB(Com1 + 4, 0x03); // DTR, RTS
            s_ready = true;
        }

        internal static void WriteByte(byte b)
        {
            if (!s_ready)
            {
                Init();
            }
            // wait for the transmit holding register (bounded: a missing UART must not hang the kernel)
            for (int spin = 0; spin < 100000 && (Cpu.InB(Com1 + 5) & 0x20) == 0; spin++)
            {
                Cpu.Pause();
            }
            Cpu.OutB(Com1, b);
        }
    }
}
