namespace Seeding.Sqlite;

/// <summary>
/// Firestore's string order: by UTF-8 bytes, which is Unicode code point order. It is also SQLite's BINARY
/// order for UTF-8 text, so the store's SQL ordering and its C# cursor logic agree. It differs from UTF-16
/// ordinal order only when a character above U+FFFF meets one in U+E000..U+FFFF.
/// </summary>
internal static class Utf8Order
{
    /// <summary>Compares two well-formed strings by code point.</summary>
    public static int Compare(string left, string right)
    {
        var length = Math.Min(left.Length, right.Length);
        for (var i = 0; i < length; i++)
        {
            var l = left[i];
            var r = right[i];
            if (l == r)
            {
                continue;
            }

            // Surrogates encode code points above U+FFFF, which sort after every BMP character in UTF-8,
            // even those (U+E000..U+FFFF) whose UTF-16 code unit is larger than a surrogate's.
            var leftSurrogate = char.IsSurrogate(l);
            return leftSurrogate == char.IsSurrogate(r) ? l.CompareTo(r) : (leftSurrogate ? 1 : -1);
        }

        return left.Length.CompareTo(right.Length);
    }

    /// <summary>True when the text has no lone surrogate, so it converts to UTF-8 and back unchanged.</summary>
    public static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
