using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Seeding.Generators.Model;
using Seeding.Generators.Shared;

namespace Seeding.Generators.Parsing;

/// <summary>
/// The checksum of a seed file's parsed content: SHA-256 over a canonical rendering in which map keys are
/// sorted ordinally and every scalar is written by its resolved type. Comments, whitespace, quoting style,
/// key order, anchors and line endings therefore do not change it; any value or tag change does.
/// </summary>
internal static class Checksum
{
    public static string Compute(ValueModel root)
    {
        var builder = new StringBuilder();
        Render(root, builder);
        return Sha256Hex.Of(builder.ToString());
    }

    /// <summary>The canonical text; each form is prefixed by its type so "1" and 1 never collide.</summary>
    public static void Render(ValueModel value, StringBuilder builder)
    {
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
                    Render(value.Items[i], i == 0 ? builder : builder.Append(','));
                }

                builder.Append(']');
                break;
            case ValueKindModel.Map:
                builder.Append('{');
                var order = Enumerable.Range(0, value.Keys.Count).OrderBy(i => value.Keys[i], StringComparer.Ordinal).ToArray();
                for (var i = 0; i < order.Length; i++)
                {
                    Quote(value.Keys[order[i]], i == 0 ? builder : builder.Append(','));
                    Render(value.Items[order[i]], builder.Append(':'));
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
}
