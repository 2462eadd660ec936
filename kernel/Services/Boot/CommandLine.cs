namespace Kernel.Services.Boot
{
    /// <summary>The kernel command line: words separated by spaces. A boot loader may put the image path
    /// first (QEMU's multiboot loader does): such a word is skipped. Pure: shared with host tests.</summary>
    public sealed class CommandLine
    {
        private readonly string[] _words;

        private CommandLine(string[] words) { _words = words; }

        public int Count => _words.Length;

        public string this[int index] => _words[index];

        /// <summary>The command (first word), or "demo" when the line is empty.</summary>
        public string Command => _words.Length > 0 ? _words[0] : "demo";

        public static CommandLine Parse(string line)
        {
            int count = 0;
            ForEachWord(line, null, ref count);
            string[] words = new string[count];
            int filled = 0;
            ForEachWord(line, words, ref filled);
            if (filled > 0 && LooksLikeImagePath(words[0]))
            {
                string[] rest = new string[filled - 1];
                for (int i = 1; i < filled; i++)
                {
                    rest[i - 1] = words[i];
                }
                words = rest;
            }
            return new CommandLine(words);
        }

        private static void ForEachWord(string line, string[]? into, ref int n)
        {
            int i = 0;
            while (i < line.Length)
            {
                while (i < line.Length && line[i] == ' ')
                {
                    i++;
                }
                int start = i;
                while (i < line.Length && line[i] != ' ')
                {
                    i++;
                }
                if (i > start)
                {
                    if (into != null)
                    {
                        into[n] = line.Substring(start, i - start);
                    }
                    n++;
                }
            }
        }

        private static bool LooksLikeImagePath(string word)
        {
            return word.IndexOf('/') >= 0 || EndsWith(word, ".elf") || EndsWith(word, ".EFI");
        }

        private static bool EndsWith(string s, string suffix)
        {
            if (s.Length < suffix.Length)
            {
                return false;
            }
            for (int i = 0; i < suffix.Length; i++)
            {
                if (s[s.Length - suffix.Length + i] != suffix[i])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
