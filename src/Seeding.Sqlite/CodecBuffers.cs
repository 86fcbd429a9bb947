using System.Buffers.Binary;

namespace Seeding.Sqlite;

// The byte-level writer and reader under the field codec (FieldCodec): varints, zigzag, length-prefixed UTF-8,
// corruption errors.

/// <summary>Appends the codec's encoding to a growing buffer.</summary>
internal struct CodecWriter(int capacity)
{
    private byte[] _buffer = new byte[capacity];
    private int _length;

    public void Byte(byte value) => Take(1)[0] = value;

    public void Span(ReadOnlySpan<byte> value) => value.CopyTo(Take(value.Length));

    public void Double(double value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), BitConverter.DoubleToInt64Bits(value));

    public void VarInt(long value) => VarUInt((ulong)((value << 1) ^ (value >> 63)));

    public void VarUInt(ulong value)
    {
        while (value >= 0x80)
        {
            Byte((byte)(value | 0x80));
            value >>= 7;
        }

        Byte((byte)value);
    }

    public int ReserveLength()
    {
        Take(4);
        return _length;
    }

    public readonly void PatchLength(int bodyStart)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(bodyStart - 4, 4), (uint)(_length - bodyStart));
    }

    public Span<byte> Take(int count)
    {
        if (_length + count > _buffer.Length)
        {
            System.Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public readonly byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();
}

/// <summary>Reads the codec's encoding, failing with <see cref="InvalidDataException"/> on corrupt data.</summary>
internal ref struct CodecReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public byte Byte() => Take(1)[0];

    public double Double() => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(Take(8)));

    public long VarInt()
    {
        var raw = VarUInt();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public ulong VarUInt()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Byte();
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Corrupt("a varint is too long");
    }

    public int Count()
    {
        var value = VarUInt();
        if (value > (ulong)(_data.Length - _position))
        {
            throw Corrupt($"a length of {value} runs past the end");
        }

        return (int)value;
    }

    public string Utf8() => FieldCodec.StrictUtf8.GetString(Take(Count()));

    public int ContainerEnd()
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        if (length > (uint)(_data.Length - _position))
        {
            throw Corrupt($"a container of {length} bytes runs past the end");
        }

        return _position + (int)length;
    }

    public void Seek(int position) => _position = position;

    public readonly void ExpectPosition(int position)
    {
        if (_position != position)
        {
            throw Corrupt("a container's length does not match its content");
        }
    }

    public readonly void ExpectEnd()
    {
        if (_position != _data.Length)
        {
            throw Corrupt("bytes follow the last field");
        }
    }

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _data.Length - _position)
        {
            throw Corrupt("the data ends early");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    public readonly InvalidDataException Corrupt(string problem) =>
        new($"Stored document is corrupt at byte {_position}: {problem}.");
}
