using System.Globalization;
using System.Text;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Definitions;

/// <summary>
/// Decodes one document at a time from the compact form (grammar in <see cref="CompactDocuments"/>). The one place that
/// reads it: generated code only hands over the bytes.
/// </summary>
internal ref struct CompactReader(ReadOnlySpan<byte> data, string source, int position)
{
    private readonly ReadOnlySpan<byte> _data = data;

    /// <summary>The byte offset of what is read next.</summary>
    public int Position { get; private set; } = position;

    /// <summary>Moves past one document without decoding it.</summary>
    public void SkipDocument()
    {
        var length = Number(':');
        Position = checked(Position + length);
        if (Position > _data.Length)
        {
            throw Damaged("a document runs past the end of the data");
        }
    }

    /// <summary>Reads one document's id and moves past the rest of it without decoding its fields.</summary>
    public string ReadId()
    {
        var length = Number(':');
        var end = checked(Position + length);
        var id = String();
        Position = end <= _data.Length ? end : throw Damaged($"document '{id}' runs past the end of the data");
        return id;
    }

    public SeedDocument ReadDocument()
    {
        var length = Number(':');
        var end = checked(Position + length);
        var id = String();
        var line = Number(';');
        var configuredCount = Number(';');
        ConfiguredField[]? configured = configuredCount == 0 ? null : new ConfiguredField[configuredCount];
        for (var i = 0; i < configuredCount; i++)
        {
            configured![i] = new ConfiguredField(String(), String(), Byte() == (byte)'t');
        }

        var fields = new System.Collections.ObjectModel.ReadOnlyDictionary<string, Value>(Map());
        if (Position != end)
        {
            throw Damaged($"document '{id}' does not end where its length says");
        }

        return new SeedDocument(id, fields, line, configured);
    }

    private Dictionary<string, Value> Map()
    {
        var count = Number(';');
        var fields = new Dictionary<string, Value>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = String();
            if (!fields.TryAdd(name, Value()))
            {
                throw Damaged($"field '{name}' appears twice");
            }
        }

        return fields;
    }

    private Value Value()
    {
        var kind = Byte();
        switch (kind)
        {
            case (byte)'n': return Values.Value.Null;
            case (byte)'t': return Values.Value.Boolean(true);
            case (byte)'f': return Values.Value.Boolean(false);
            case (byte)'N': return Values.Value.ServerTimestamp;
            case (byte)'i': return Values.Value.Integer(Signed());
            case (byte)'d': return Values.Value.Double(Double());
            case (byte)'T': return Values.Value.Timestamp(Timestamp.FromUnixMicroseconds(Signed()));
            case (byte)'s': return Values.Value.String(String());
            case (byte)'r': return Values.Value.Reference(DocumentPath.Parse(String()));
            case (byte)'b': return Values.Value.Bytes(Convert.FromBase64String(String()));
            case (byte)'g':
                var latitude = Double();
                return Values.Value.GeoPoint(new GeoPoint(latitude, Double()));
            case (byte)'a':
                var count = Number(';');
                var items = new Value[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = Value();
                }

                return Values.Value.OwnArray(items);
            case (byte)'m':
                return Values.Value.OwnMap(Map());
            default:
                Position--;
                throw Damaged($"unknown value kind '{(char)kind}'");
        }
    }

    private string String()
    {
        var length = Number(':');
        if (length > _data.Length - Position)
        {
            throw Damaged("a string runs past the end of the data");
        }

        var text = Encoding.UTF8.GetString(_data.Slice(Position, length));
        Position += length;
        return text;
    }

    private double Double()
    {
        if (_data.Length - Position < 16)
        {
            throw Damaged("a double runs past the end of the data");
        }

        if (!ulong.TryParse(_data.Slice(Position, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits))
        {
            throw Damaged("a double is not 16 hex digits");
        }

        Position += 16;
        return BitConverter.UInt64BitsToDouble(bits);
    }

    private byte Byte()
    {
        if (Position >= _data.Length)
        {
            throw Damaged("the data ends early");
        }

        return _data[Position++];
    }

    /// <summary>A non-negative decimal count or length ended by <paramref name="terminator"/>.</summary>
    private int Number(char terminator)
    {
        var value = Signed(terminator);
        return value is < 0 or > int.MaxValue ? throw Damaged($"{value} is not a count") : (int)value;
    }

    private long Signed(char terminator = ';')
    {
        var end = _data.Slice(Position).IndexOf((byte)terminator);
        if (end <= 0 || !long.TryParse(_data.Slice(Position, end), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Damaged($"expected a number ended by '{terminator}'");
        }

        Position += end + 1;
        return value;
    }

    private readonly FormatException Damaged(string what) => new(
        $"The compiled seed data of {source} is damaged at byte {Position} ({what}). Rebuild the service: the Seeding generator writes this data from the YAML.");
}
