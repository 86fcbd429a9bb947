using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Seeding.Generators.Model;

namespace Seeding.Generators.Emit;

/// <summary>
/// Writes a record's documents in the compact form the runtime's <c>Seeding.Definitions.CompactDocuments</c> reads
/// (the grammar is documented there; this is its only writer). The result is text whose UTF-8 bytes are the data,
/// so it goes into a <c>u8</c> literal: static data in the assembly, no IL per document.
/// Each document holds exactly the fields the record's <c>ToFields()</c> (plus explicit nulls) would give it.
/// </summary>
internal static class CompactEncoder
{
    /// <summary>At most this many documents go into one part (one <c>u8</c> literal).</summary>
    public const int PartDocuments = 1000;

    /// <summary>At most this many UTF-8 bytes go into one part, unless its one document is larger.</summary>
    public const int PartBytes = 256 * 1024;

    /// <summary>
    /// The data of all documents of <paramref name="record"/> in parts of whole documents (at most
    /// <see cref="PartDocuments"/> documents and <see cref="PartBytes"/> bytes each: the compiler handles many
    /// bounded literals in far less memory than one huge one), or null when a string cannot be UTF-8 (a lone surrogate).
    /// </summary>
    public static CompactPart[]? Encode(RecordModel record)
    {
        var parts = new List<CompactPart>();
        var data = new StringBuilder();
        var (partDocuments, partBytes) = (0, 0);
        var body = new StringBuilder();
        var fields = new List<KeyValuePair<string, ValueModel>>(record.Fields.Count);
        var chars = new char[256];
        foreach (var document in record.Documents)
        {
            body.Clear();
            if (!Document(body, record, document, fields))
            {
                return null;
            }

            // The body's UTF-8 length, counted over a reused copy rather than a string per document.
            if (chars.Length < body.Length)
            {
                chars = new char[body.Length * 2];
            }

            body.CopyTo(0, chars, 0, body.Length);
            var utf8 = Utf8Length(chars, body.Length);
            var length = utf8.ToString(CultureInfo.InvariantCulture);
            var bytes = length.Length + 1 + utf8;
            if (partDocuments > 0 && (partDocuments == PartDocuments || partBytes + bytes > PartBytes))
            {
                parts.Add(new CompactPart(data.ToString(), partDocuments));
                data.Clear();
                (partDocuments, partBytes) = (0, 0);
            }

            data.Append(length).Append(':').Append(body);
            (partDocuments, partBytes) = (partDocuments + 1, partBytes + bytes);
        }

        parts.Add(new CompactPart(data.ToString(), partDocuments));
        return parts.ToArray();
    }

    private static bool Document(StringBuilder w, RecordModel record, DocumentModel document, List<KeyValuePair<string, ValueModel>> fields)
    {
        var ok = String(w, document.Id);
        w.Append(document.Line.ToString(CultureInfo.InvariantCulture)).Append(';');
        w.Append(document.Configured.Count.ToString(CultureInfo.InvariantCulture)).Append(';');
        foreach (var configured in document.Configured)
        {
            ok &= String(w, configured.Field) & String(w, configured.Key);
            w.Append(configured.Safe ? 't' : 'f');
        }

        // As ToFields writes them: record field order; a null property is left out when the field is absent
        // elsewhere (OmitWhenNull) and written as null otherwise; explicit nulls are added last (WithNulls).
        fields.Clear();
        for (var i = 0; i < record.Fields.Count; i++)
        {
            var field = record.Fields[i];
            var value = document.Values[i];
            var isNull = value.Kind == ValueKindModel.Absent || (value.Kind == ValueKindModel.Null && field.Kind != ClrKind.Value);
            if (isNull && field.OmitWhenNull)
            {
                continue;
            }

            fields.Add(new KeyValuePair<string, ValueModel>(field.YamlName, isNull ? ValueModel.Null : value));
        }

        foreach (var name in document.ExplicitNulls)
        {
            var at = fields.FindIndex(f => f.Key == name);
            if (at >= 0)
            {
                fields[at] = new KeyValuePair<string, ValueModel>(name, ValueModel.Null);
            }
            else
            {
                fields.Add(new KeyValuePair<string, ValueModel>(name, ValueModel.Null));
            }
        }

        w.Append(fields.Count.ToString(CultureInfo.InvariantCulture)).Append(';');
        foreach (var pair in fields)
        {
            ok &= String(w, pair.Key) & Value(w, pair.Value);
        }

        return ok;
    }

    private static bool Value(StringBuilder w, ValueModel value)
    {
        switch (value.Kind)
        {
            case ValueKindModel.Boolean:
                w.Append(value.Text == "true" ? 't' : 'f');
                return true;
            case ValueKindModel.Integer:
                w.Append('i').Append(value.Text).Append(';');
                return true;
            case ValueKindModel.Double:
                w.Append('d');
                Double(w, value.Text);
                return true;
            case ValueKindModel.String:
                w.Append('s');
                return String(w, value.Text);
            case ValueKindModel.ServerTime:
                w.Append('N');
                return true;
            case ValueKindModel.Timestamp:
                w.Append('T').Append(value.Text).Append(';');
                return true;
            case ValueKindModel.Reference:
                w.Append('r');
                return String(w, value.Text);
            case ValueKindModel.Bytes:
                w.Append('b');
                return String(w, value.Text);
            case ValueKindModel.GeoPoint:
                w.Append('g');
                Double(w, value.Items[0].Text);
                Double(w, value.Items[1].Text);
                return true;
            case ValueKindModel.Array:
                w.Append('a').Append(value.Items.Count.ToString(CultureInfo.InvariantCulture)).Append(';');
                var all = true;
                foreach (var item in value.Items)
                {
                    all &= Value(w, item);
                }

                return all;
            case ValueKindModel.Map:
                w.Append('m').Append(value.Keys.Count.ToString(CultureInfo.InvariantCulture)).Append(';');
                var ok = true;
                for (var i = 0; i < value.Keys.Count; i++)
                {
                    ok &= String(w, value.Keys[i]) & Value(w, value.Items[i]);
                }

                return ok;
            default:
                w.Append('n');
                return true;
        }
    }

    private static void Double(StringBuilder w, string canonical) =>
        w.Append(BitConverter.DoubleToInt64Bits(ValueModel.ParseDouble(canonical)).ToString("X16", CultureInfo.InvariantCulture));

    private static bool String(StringBuilder w, string text)
    {
        var length = Utf8Length(text);
        if (length < 0)
        {
            return false;
        }

        w.Append(length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(text);
        return true;
    }

    /// <summary>The UTF-8 length of <paramref name="text"/>, or -1 when it holds a lone surrogate (not UTF-8 encodable).</summary>
    private static int Utf8Length(string text)
    {
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var bytes = Utf8Bytes(text[i], i + 1 < text.Length ? text[i + 1] : '\0');
            if (bytes < 0)
            {
                return -1;
            }

            length += bytes;
            i += bytes == 4 ? 1 : 0;
        }

        return length;
    }

    /// <summary>The same for the first <paramref name="count"/> characters of a buffer.</summary>
    private static int Utf8Length(char[] text, int count)
    {
        var length = 0;
        for (var i = 0; i < count; i++)
        {
            var bytes = Utf8Bytes(text[i], i + 1 < count ? text[i + 1] : '\0');
            if (bytes < 0)
            {
                return -1;
            }

            length += bytes;
            i += bytes == 4 ? 1 : 0;
        }

        return length;
    }

    /// <summary>UTF-8 bytes of <paramref name="c"/> (4 for a pair with <paramref name="next"/>), -1 for a lone surrogate.</summary>
    private static int Utf8Bytes(char c, char next) =>
        c < 0x80 ? 1
        : c < 0x800 ? 2
        : char.IsHighSurrogate(c) && char.IsLowSurrogate(next) ? 4
        : char.IsSurrogate(c) ? -1
        : 3;
}

/// <summary>One part of a record's compact data: whole documents, in order.</summary>
internal sealed class CompactPart(string data, int documents)
{
    /// <summary>The text whose UTF-8 bytes are the part's data.</summary>
    public string Data { get; } = data;

    /// <summary>How many documents it holds.</summary>
    public int Documents { get; } = documents;
}
