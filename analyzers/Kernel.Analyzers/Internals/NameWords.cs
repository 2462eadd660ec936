using System;
using System.Collections.Generic;

namespace Kernel.Analyzers.Internals;

/// <summary>
/// Splits identifiers into words the way people read them: snake_case pieces, PascalCase and camelCase words,
/// ALL_CAPS pieces. A trailing digit run belongs to its word (<c>accept4</c>, <c>V4</c>).
/// </summary>
internal static class NameWords
{
    public static List<string> Split(string? name)
    {
        var words = new List<string>();
        if (name is null)
        {
            return words; // Error-recovery symbols can come without a name.
        }

        var start = -1;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush(name, ref start, i, words);
                continue;
            }

            if (start < 0)
            {
                start = i;
                continue;
            }

            var previous = name[i - 1];
            var startsWord =
                (char.IsUpper(c) && (char.IsLower(previous) || char.IsDigit(previous))) ||
                (char.IsUpper(c) && char.IsUpper(previous) && i + 1 < name.Length && char.IsLower(name[i + 1]));
            if (startsWord)
            {
                Flush(name, ref start, i, words);
                start = i;
            }
        }

        Flush(name, ref start, name.Length, words);
        return words;
    }

    /// <summary>True when one word of <paramref name="name"/>, without its trailing digits, is <paramref name="word"/> (any case).</summary>
    public static bool ContainsWord(string name, string word)
    {
        foreach (var candidate in Split(name))
        {
            if (string.Equals(TrimTrailingDigits(candidate), word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the last word of <paramref name="name"/> is one of <paramref name="words"/> (any case).</summary>
    public static bool EndsWithWord(string name, params string[] words)
    {
        var split = Split(name);
        if (split.Count == 0)
        {
            return false;
        }

        var last = TrimTrailingDigits(split[split.Count - 1]);
        foreach (var word in words)
        {
            if (string.Equals(last, word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string TrimTrailingDigits(string word)
    {
        var end = word.Length;
        while (end > 0 && char.IsDigit(word[end - 1]))
        {
            end--;
        }

        return end == 0 ? word : word.Substring(0, end);
    }

    private static void Flush(string name, ref int start, int end, List<string> words)
    {
        if (start >= 0 && end > start)
        {
            words.Add(name.Substring(start, end - start));
        }

        start = -1;
    }
}
