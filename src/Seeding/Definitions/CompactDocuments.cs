using System.Collections;
using System.ComponentModel;
using Seeding.Running;
using Seeding.Values;

namespace Seeding.Definitions;

/// <summary>
/// The documents of a large seed file as data: the UTF-8 bytes of a <c>u8</c> literal, which the compiler stores as
/// static data in the assembly (nothing to JIT, nothing materialized until it is read). Generated code only.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate ReadOnlySpan<byte> CompactData();

/// <summary>
/// Reads the compact form the generator emits for seed files with many documents (see docs/generated-code.md).
/// Generated code calls it; hand-written code has no reason to. Lists returned here decode on every enumeration
/// and keep nothing but an offset table for indexing, so a pending migration streams through memory and an applied
/// one is never decoded.
/// </summary>
/// <remarks>
/// The format (version 1) is UTF-8 text, so it fits a C# <c>u8</c> literal; every number is ASCII:
/// <code>
/// data      = document*
/// document  = len ':' id line ';' count ';' configured* count ';' field*   (len: bytes of what follows ':')
/// configured= string string ('t' | 'f')                                    (field, configuration key, safe)
/// field     = string value
/// string    = len ':' UTF-8 bytes
/// value     = 'n' | 't' | 'f' | 'N' (server time) | 'i' int ';' | 'd' hex16 (IEEE bits) | 'T' int ';' (Unix µs)
///           | 's' string | 'r' string (path) | 'b' string (base64) | 'g' hex16 hex16 | 'a' count ';' value*
///           | 'm' count ';' (string value)*
/// </code>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CompactDocuments
{
    /// <summary>Documents <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> of <paramref name="data"/>, decoded on demand.</summary>
    /// <param name="data">The file's compact data.</param>
    /// <param name="source">The YAML file, for messages and the <c>seeding.documents.decoded</c> counter.</param>
    /// <param name="first">The index of the step's first document in the data.</param>
    /// <param name="count">How many documents the step has.</param>
    public static IReadOnlyList<SeedDocument> Documents(CompactData data, string source, int first, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new CompactDocumentList(data, source, first, count);
    }

    /// <summary>Every document of <paramref name="data"/> as a typed record, decoded on demand.</summary>
    /// <param name="data">The file's compact data.</param>
    /// <param name="source">The YAML file.</param>
    /// <param name="count">How many documents the data holds.</param>
    /// <param name="fromFields">The record's <c>FromFields</c>.</param>
    public static IReadOnlyList<T> Records<T>(CompactData data, string source, int count, Func<IReadOnlyDictionary<string, Value>, T> fromFields)
    {
        ArgumentNullException.ThrowIfNull(fromFields);
        return new MappedList<SeedDocument, T>(Documents(data, source, 0, count), document => fromFields(document.Fields));
    }

    /// <summary>A list that decodes its documents on each enumeration; indexing uses an offset table built once.</summary>
    private sealed class CompactDocumentList(CompactData data, string source, int first, int count) : IReadOnlyList<SeedDocument>
    {
        private int[]? _offsets;

        public int Count => count;

        public SeedDocument this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
                var offsets = _offsets ??= Offsets();
                return Read(offsets[index], out _);
            }
        }

        public IEnumerator<SeedDocument> GetEnumerator()
        {
            var offset = Skip(first);
            for (var i = 0; i < count; i++)
            {
                yield return Read(offset, out offset);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private SeedDocument Read(int offset, out int next)
        {
            var reader = new CompactReader(data(), source, offset);
            var document = reader.ReadDocument();
            next = reader.Position;
            SeedingTelemetry.DocumentsDecoded.Add(1, new KeyValuePair<string, object?>("seeding.source", source));
            return document;
        }

        private int Skip(int documents)
        {
            var reader = new CompactReader(data(), source, 0);
            for (var i = 0; i < documents; i++)
            {
                reader.SkipDocument();
            }

            return reader.Position;
        }

        private int[] Offsets()
        {
            var offsets = new int[count];
            var reader = new CompactReader(data(), source, Skip(first));
            for (var i = 0; i < count; i++)
            {
                offsets[i] = reader.Position;
                reader.SkipDocument();
            }

            return offsets;
        }
    }
}

/// <summary>A read-only projection that maps items as they are read.</summary>
internal sealed class MappedList<TSource, TResult>(IReadOnlyList<TSource> source, Func<TSource, TResult> map) : IReadOnlyList<TResult>
{
    public int Count => source.Count;

    public TResult this[int index] => map(source[index]);

    public IEnumerator<TResult> GetEnumerator()
    {
        foreach (var item in source)
        {
            yield return map(item);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
