using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Seeding.Generators.Model;
using Seeding.Generators.Shared;

namespace Seeding.Generators.Descriptors;

/// <summary>
/// The checksum of a seed file's parsed content: SHA-256 over a canonical rendering in which map keys are
/// sorted ordinally and every scalar is written by its resolved type. Comments, whitespace, quoting style,
/// key order, anchors and line endings therefore do not change it; any value or tag change does.
/// </summary>
internal static class Checksum
{
    /// <summary>Flush the rendering into the hash every this many characters, so a large file's text is never held whole.</summary>
    private const int ChunkChars = 32 * 1024;

    public static string Compute(ValueModel root)
    {
        using var hash = new StreamingHash();
        var builder = new StringBuilder(ChunkChars + 1024);
        Render(root, builder, hash);
        hash.Append(builder);
        return Sha256Hex.Format(hash.Finish());
    }

    /// <summary>The canonical text; each form is prefixed by its type so "1" and 1 never collide.</summary>
    private static void Render(ValueModel value, StringBuilder builder, StreamingHash hash)
    {
        if (builder.Length >= ChunkChars)
        {
            hash.Append(builder);
        }

        switch (value.Kind)
        {
            case ValueKindModel.Absent:
            case ValueKindModel.Null:
                builder.Append("null");
                break;
            case ValueKindModel.Boolean:
                builder.Append(value.Text);
                break;
            case ValueKindModel.Integer:
                builder.Append("i:").Append(value.Text);
                break;
            case ValueKindModel.Double:
                builder.Append("d:").Append(value.Text);
                break;
            case ValueKindModel.String:
                Quote(value.Text, builder.Append("s:"));
                break;
            case ValueKindModel.ServerTime:
                builder.Append("!now");
                break;
            case ValueKindModel.Timestamp:
                builder.Append("!timestamp:").Append(value.Text);
                break;
            case ValueKindModel.Reference:
                Quote(value.Text, builder.Append("!ref:"));
                break;
            case ValueKindModel.Bytes:
                builder.Append("!bytes:").Append(value.Text);
                break;
            case ValueKindModel.Configured:
                Quote(value.Text, builder.Append(value.IsSafe ? "!env:safe:" : "!env:"));
                break;
            case ValueKindModel.GeoPoint:
                builder.Append("!geo:[").Append(value.Items[0].Text).Append(',').Append(value.Items[1].Text).Append(']');
                break;
            case ValueKindModel.Array:
                builder.Append('[');
                for (var i = 0; i < value.Items.Count; i++)
                {
                    Render(value.Items[i], i == 0 ? builder : builder.Append(','), hash);
                }

                builder.Append(']');
                break;
            case ValueKindModel.Map:
                builder.Append('{');
                // Keys are unique within a map (the reader drops duplicates), so an unstable sort gives the one order.
                var keys = new string[value.Keys.Count];
                var order = new int[keys.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    keys[i] = value.Keys[i];
                    order[i] = i;
                }

                Array.Sort(keys, order, StringComparer.Ordinal);
                for (var i = 0; i < order.Length; i++)
                {
                    Quote(value.Keys[order[i]], i == 0 ? builder : builder.Append(','));
                    Render(value.Items[order[i]], builder.Append(':'), hash);
                }

                builder.Append('}');
                break;
        }
    }

    private static void Quote(string text, StringBuilder builder)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\' || c < 0x20 || char.IsSurrogate(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append('"');
    }

    /// <summary>SHA-256 over UTF-8 text fed in pieces; the encoder carries a surrogate pair split between pieces.</summary>
    private sealed class StreamingHash : IDisposable
    {
        private readonly SHA256 _sha = SHA256.Create();
        private readonly Encoder _encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
        private char[] _chars = new char[ChunkChars + 1024];
        private byte[] _bytes = new byte[(ChunkChars + 1024) * 3];

        /// <summary>Hashes the text of <paramref name="builder"/> and empties it.</summary>
        public void Append(StringBuilder builder)
        {
            var length = builder.Length;
            if (_chars.Length < length)
            {
                _chars = new char[length];
                _bytes = new byte[length * 3];
            }

            builder.CopyTo(0, _chars, 0, length);
            builder.Clear();
            var count = _encoder.GetBytes(_chars, 0, length, _bytes, 0, flush: false);
            _sha.TransformBlock(_bytes, 0, count, null, 0);
        }

        public byte[] Finish()
        {
            var count = _encoder.GetBytes(_chars, 0, 0, _bytes, 0, flush: true);
            _sha.TransformFinalBlock(_bytes, 0, count);
            return _sha.Hash;
        }

        public void Dispose() => _sha.Dispose();
    }
}
