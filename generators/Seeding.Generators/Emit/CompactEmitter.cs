using System.Globalization;
using System.Linq;
using Seeding.Generators.Model;

namespace Seeding.Generators.Emit;

/// <summary>
/// The parts of a large seed file's class that differ from a small one's: its documents as compact data in a
/// <c>u8</c> literal (no IL per document, nothing decoded until read) instead of an initializer, a typed list that
/// decodes on access, and steps made on first use. Records, the step list, checksum and lines stay readable.
/// </summary>
internal static class CompactEmitter
{
    private const string DefinitionsNs = "global::Seeding.Definitions";

    /// <summary>
    /// The compact data of each record in parts (see <see cref="CompactEncoder.Encode"/>), or null when the file stays in the initializer form: it has no more documents
    /// than the threshold, binds C# types (<c>type:</c>), or holds a string that is not valid UTF-16.
    /// </summary>
    public static CompactPart[][]? Encode(SeedFileModel model, EmitContext context)
    {
        if (model.Records.Sum(r => r.Documents.Count) <= context.CompactThreshold || model.Bound.Count > 0 || !StepsAreRanges(model))
        {
            return null;
        }

        var data = new CompactPart[model.Records.Count][];
        for (var i = 0; i < data.Length; i++)
        {
            var encoded = CompactEncoder.Encode(model.Records[i]);
            if (encoded is null)
            {
                return null;
            }

            data[i] = encoded;
        }

        return data;
    }

    /// <summary>The typed list, decoded on each access, and the data it decodes: one literal, or several parts.</summary>
    public static void EmitData(SourceWriter w, RecordModel record, CompactPart[] parts, string source)
    {
        var count = record.Documents.Count;
        w.Line($"/// <summary>The <c>{CSharpText.Comment(record.Collection)}</c> documents of this file, in YAML order: {Count(count)} {Lines(record, 0, count, source)}; decoded from <see cref=\"{DataName(record)}\"/> on each access.</summary>");
        w.Line($"public static global::System.Collections.Generic.IReadOnlyList<{record.RecordName}> {record.ListName} => {DefinitionsNs}.CompactDocuments.Records({DataArgument(record, parts)}, {CSharpText.Literal(source)}, {CSharpText.Int(count)}, {record.RecordName}.FromFields);");
        w.Line();
        if (parts.Length == 1)
        {
            w.Line($"// The {Count(count)} above as data ({source} is what to read and review; the format is in docs/generated-code.md).");
            w.Line($"private static global::System.ReadOnlySpan<byte> {DataName(record)} => {CSharpText.Literal(parts[0].Data)}u8;");
            return;
        }

        // Many bounded literals rather than one huge one: the compiler's memory stays near that of several small files.
        w.Line($"// The {Count(count)} above as data in {CSharpText.Int(parts.Length)} parts of at most {CompactEncoder.PartDocuments.ToString("N0", CultureInfo.InvariantCulture)} documents and {CompactEncoder.PartBytes / 1024} KB each");
        w.Line($"// ({source} is what to read and review; the format is in docs/generated-code.md).");
        w.Line($"private static {DefinitionsNs}.CompactData[] {DataName(record)} => new {DefinitionsNs}.CompactData[]");
        w.Line("{");
        for (var i = 0; i < parts.Length; i++)
        {
            w.Line($"    static () => {PartName(record, i)},");
        }

        w.Line("};");
        var first = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var documents = parts[i].Documents;
            w.Line();
            w.Line($"// {Count(documents)} {Lines(record, first, documents, source)}");
            w.Line($"private static global::System.ReadOnlySpan<byte> {PartName(record, i)} => {CSharpText.Literal(parts[i].Data)}u8;");
            first += documents;
        }
    }

    /// <summary>A create or upsert step over its range of the record's data.</summary>
    public static void EmitStep(SourceWriter w, SeedFileModel model, CompactPart[][] compact, StepModel step, string head, string tail)
    {
        var record = model.Records[step.RecordIndex];
        var first = step.DocumentIndexes.Count == 0 ? 0 : step.DocumentIndexes[0];
        var count = step.DocumentIndexes.Count;
        w.Line($"// {Count(count)} {Lines(record, first, count, model.RelativePath)}");
        w.Line($"{head}{DefinitionsNs}.CompactDocuments.Documents({DataArgument(record, compact[step.RecordIndex])}, {CSharpText.Literal(model.RelativePath)}, first: {CSharpText.Int(first)}, count: {CSharpText.Int(count)}){tail}");
    }

    private static string DataName(RecordModel record) => record.ListName + "_Data";

    private static string PartName(RecordModel record, int part) => DataName(record) + part.ToString(CultureInfo.InvariantCulture);

    // One literal passes as a delegate (the form of files with one part, unchanged); parts pass as their array.
    private static string DataArgument(RecordModel record, CompactPart[] parts) => parts.Length == 1 ? $"static () => {DataName(record)}" : DataName(record);

    private static string Count(int count) => count.ToString("N0", CultureInfo.InvariantCulture) + (count == 1 ? " document" : " documents");

    private static string Lines(RecordModel record, int first, int count, string source) => count == 0
        ? "(none)"
        : $"at {CSharpText.Comment(source)}:{CSharpText.Int(record.Documents[first].Line)}-{CSharpText.Int(record.Documents[first + count - 1].Line)}";

    // Each step writes a contiguous range of its record's documents (the record collects them step by step).
    private static bool StepsAreRanges(SeedFileModel model) => model.Steps
        .Where(s => s.RecordIndex >= 0)
        .All(s => s.DocumentIndexes.Select((index, i) => index == s.DocumentIndexes[0] + i).All(x => x));
}
