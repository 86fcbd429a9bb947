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
/// A file's data may come in parts (several literals, each holding whole documents, in order): the documents are
/// those of the parts one after the other, so indexes and ranges run across parts.
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
        return Documents([data], source, first, count);
    }

    /// <summary>Documents <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> of the data in <paramref name="parts"/>, decoded on demand.</summary>
    /// <param name="parts">The file's compact data in parts of whole documents, in order.</param>
    /// <param name="source">The YAML file, for messages and the <c>seeding.documents.decoded</c> counter.</param>
    /// <param name="first">The index of the step's first document across the parts.</param>
    /// <param name="count">How many documents the step has.</param>
    public static IReadOnlyList<SeedDocument> Documents(CompactData[] parts, string source, int first, int count)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        foreach (var part in parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(parts));
        }

        return new CompactDocumentList(parts, source, first, count);
    }

    /// <summary>Every document of <paramref name="data"/> as a typed record, decoded on demand.</summary>
    /// <param name="data">The file's compact data.</param>
    /// <param name="source">The YAML file.</param>
    /// <param name="count">How many documents the data holds.</param>
    /// <param name="fromFields">The record's <c>FromFields</c>.</param>
    public static IReadOnlyList<T> Records<T>(CompactData data, string source, int count, Func<IReadOnlyDictionary<string, Value>, T> fromFields)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Records([data], source, count, fromFields);
    }

    /// <summary>Every document of the data in <paramref name="parts"/> as a typed record, decoded on demand.</summary>
    /// <param name="parts">The file's compact data in parts of whole documents, in order.</param>
    /// <param name="source">The YAML file.</param>
    /// <param name="count">How many documents the parts hold together.</param>
    /// <param name="fromFields">The record's <c>FromFields</c>.</param>
    public static IReadOnlyList<T> Records<T>(CompactData[] parts, string source, int count, Func<IReadOnlyDictionary<string, Value>, T> fromFields)
    {
        ArgumentNullException.ThrowIfNull(fromFields);
        return new MappedList<SeedDocument, T>(Documents(parts, source, 0, count), document => fromFields(document.Fields));
    }

    /// <summary>
    /// The ids of <paramref name="documents"/> in order: read without decoding any field when the list is compact data,
    /// else each document's <see cref="SeedDocument.Id"/>. What <c>seeding diff</c>'s first pass reads.
    /// </summary>
    internal static IEnumerable<string> IdsOf(IReadOnlyList<SeedDocument> documents) =>
        documents is CompactDocumentList compact ? compact.Ids() : documents.Select(d => d.Id);

    /// <summary>A list that decodes its documents on each enumeration; indexing uses a position table built once.</summary>
    private sealed class CompactDocumentList(CompactData[] parts, string source, int first, int count) : IReadOnlyList<SeedDocument>
    {
        private (int Part, int Offset)[]? _positions;

        public int Count => count;

        public SeedDocument this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
                var (part, offset) = (_positions ??= Positions())[index];
                return Read(part, offset, out _);
            }
        }

        public IEnumerator<SeedDocument> GetEnumerator()
        {
            var (part, offset) = Skip(first);
            for (var i = 0; i < count; i++)
            {
                (part, offset) = Next(part, offset);
                yield return Read(part, offset, out offset);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public IEnumerable<string> Ids()
        {
            var (part, offset) = Skip(first);
            for (var i = 0; i < count; i++)
            {
                (part, offset) = Next(part, offset);
                yield return ReadId(part, offset, out offset);
            }
        }

        private string ReadId(int part, int offset, out int next)
        {
            var reader = new CompactReader(parts[part](), source, offset);
            var id = reader.ReadId();
            next = reader.Position;
            return id;
        }

        private SeedDocument Read(int part, int offset, out int next)
        {
            var reader = new CompactReader(parts[part](), source, offset);
            var document = reader.ReadDocument();
            next = reader.Position;
            SeedingTelemetry.DocumentsDecoded.Add(1, new KeyValuePair<string, object?>("seeding.source", source));
            return document;
        }

        /// <summary>Where the next document starts: <paramref name="offset"/>, or the start of the next part holding data.</summary>
        private (int Part, int Offset) Next(int part, int offset)
        {
            while (part < parts.Length && offset >= parts[part]().Length)
            {
                (part, offset) = (part + 1, 0);
            }

            return part < parts.Length
                ? (part, offset)
                : throw new FormatException($"The compiled seed data of {source} ends before its last document. Rebuild the service: the Seeding generator writes this data from the YAML.");
        }

        /// <summary>The position after <paramref name="documents"/> documents, moving past them without decoding.</summary>
        private (int Part, int Offset) Skip(int documents)
        {
            var (part, offset) = (0, 0);
            for (var i = 0; i < documents; i++)
            {
                (part, offset) = Next(part, offset);
                var reader = new CompactReader(parts[part](), source, offset);
                reader.SkipDocument();
                offset = reader.Position;
            }

            return (part, offset);
        }

        private (int Part, int Offset)[] Positions()
        {
            var positions = new (int Part, int Offset)[count];
            var (part, offset) = Skip(first);
            for (var i = 0; i < count; i++)
            {
                (part, offset) = Next(part, offset);
                positions[i] = (part, offset);
                var reader = new CompactReader(parts[part](), source, offset);
                reader.SkipDocument();
                offset = reader.Position;
            }

            return positions;
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
