using System;
using System.Collections.Generic;
using System.Linq;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Generators.Parsing;
using Seeding.Documents;

namespace Seeding.Generators.Descriptors;

/// <summary>
/// Turns a file's steps into records (one per collection, types inferred across all its steps), picks
/// collision-free C# names, and checks document ids for duplicates within the file.
/// </summary>
internal static class RecordBuilder
{
    public static (EquatableArray<RecordModel> Records, EquatableArray<StepModel> Steps) Build(SeedFileIdentity identity, List<StepDraft> steps, List<DiagnosticInfo> diagnostics, bool exactTypes = false)
    {
        CheckDuplicateIds(steps, diagnostics);

        // Names in the generated class: the class itself, its Definition, and the helper for explicit nulls.
        var taken = new HashSet<string>(StringComparer.Ordinal) { identity.ClassName, "Definition", "WithNulls" };
        var collections = steps.Where(s => s.Verb != "backfill" && s.Resource is null && !IsBound(s)).Select(s => s.Collection).Distinct(StringComparer.Ordinal).ToList();
        var records = new List<RecordModel>();
        var documentIndexes = new Dictionary<DocumentDraft, int>();
        foreach (var collection in collections)
        {
            var documents = steps.Where(s => s.Collection == collection && s.Verb != "backfill" && s.Resource is null && !IsBound(s)).SelectMany(s => s.Documents).ToList();
            var inference = new TypeInference(collection, diagnostics, exactTypes);
            documents.ForEach(inference.Observe);
            var inferred = inference.Result(documents.Count);

            var propertyNames = new HashSet<string>(StringComparer.Ordinal);
            var fields = inferred
                .Select(f => new FieldModel(f.YamlName, Naming.Unique(Naming.PropertyName(f.YamlName), propertyNames), f.Kind, f.Element, f.Nullable, f.OmitWhenNull))
                .ToList();

            var segment = collection.Substring(collection.LastIndexOf('/') + 1);
            var listName = Naming.ToPascalCase(segment, "Documents");
            var recordName = Naming.ToPascalCase(Naming.Singularize(segment), "Document");
            if (recordName == listName || propertyNames.Contains(recordName) || taken.Contains(recordName))
            {
                recordName += "Document";
            }

            var recordTaken = new HashSet<string>(taken.Concat(propertyNames), StringComparer.Ordinal);
            recordName = Naming.Unique(recordName, recordTaken);
            taken.Add(recordName);
            listName = Naming.Unique(listName, taken);

            var documentModels = new List<DocumentModel>();
            foreach (var document in documents)
            {
                documentIndexes[document] = documentModels.Count;
                documentModels.Add(ToModel(document, fields));
            }

            records.Add(new RecordModel(collection, recordName, listName, fields.ToEquatableArray(), documentModels.ToEquatableArray()));
        }

        var bindings = 0;
        var stepModels = steps.Select(s => new StepModel(
            s.Verb,
            s.Collection,
            s.Line,
            s.Verb == "backfill" || s.Resource is not null || IsBound(s) ? -1 : collections.IndexOf(s.Collection),
            IsBound(s) ? Enumerable.Range(0, s.Documents.Count).ToEquatableArray() : s.Documents.Select(d => documentIndexes[d]).ToEquatableArray(),
            s.Options.ToConditions(),
            s.MatchFields.ToEquatableArray(),
            s.NewId,
            s.Where.Select(w => w.Field).ToEquatableArray(),
            s.Set.Select(w => w.Field).ToEquatableArray(),
            IsBound(s) ? bindings++ : -1,
            s.Resource)).ToList();
        return (records.ToEquatableArray(), stepModels.ToEquatableArray());
    }

    /// <summary>A create or upsert step with <c>type:</c>: its documents bind to a C# type instead of an inferred record.</summary>
    public static bool IsBound(StepDraft step) => step.Verb != "backfill" && step.Options.Type is not null;

    private static DocumentModel ToModel(DocumentDraft document, List<FieldModel> fields)
    {
        var values = new List<ValueModel>(fields.Count);
        var explicitNulls = new List<string>();
        var configured = new List<ConfiguredFieldModel>();
        foreach (var field in fields)
        {
            var at = DocumentReader.IndexOf(document.Fields, field.YamlName);
            var value = at < 0 ? ValueModel.Absent : document.Fields[at].Value;
            if (value.Kind == ValueKindModel.Configured)
            {
                // Filled in at run time: absent from the typed data, so the value never reaches generated code.
                configured.Add(new ConfiguredFieldModel(field.YamlName, value.Text, value.IsSafe));
                value = ValueModel.Absent;
            }

            values.Add(Widen(field.Kind, field.ElementKind, value));
            if (value.Kind == ValueKindModel.Null && field.OmitWhenNull && field.Kind != ClrKind.Value)
            {
                explicitNulls.Add(field.YamlName);
            }
        }

        return new DocumentModel(document.Id, document.Line, values.ToEquatableArray(), explicitNulls.ToEquatableArray(), configured.ToEquatableArray());
    }

    /// <summary>The value a record property of this kind holds: an integer in a double field (or list) is that double.</summary>
    private static ValueModel Widen(ClrKind kind, ClrKind element, ValueModel value) => kind switch
    {
        ClrKind.Double when value.Kind == ValueKindModel.Integer => ValueModel.Double(ValueModel.ParseDouble(value.Text)),
        ClrKind.List when element != ClrKind.Value && value.Kind == ValueKindModel.Array =>
            value with { Items = value.Items.Select(item => Widen(element, ClrKind.Value, item)).ToEquatableArray() },
        _ => value,
    };

    /// <summary>
    /// A document created twice in one file is a mistake; so is one upserted twice in one step. Upserting the
    /// same document in two steps is allowed (later steps may change it again).
    /// </summary>
    private static void CheckDuplicateIds(List<StepDraft> steps, List<DiagnosticInfo> diagnostics)
    {
        var created = new Dictionary<(string, string), DocumentDraft>();
        foreach (var step in steps.Where(s => !s.IsMatch))
        {
            var inStep = new Dictionary<string, DocumentDraft>(StringComparer.Ordinal);
            foreach (var document in step.Documents)
            {
                DocumentDraft? first = null;
                if (!inStep.TryGetValue(document.Id, out first) && step.Verb == "create")
                {
                    created.TryGetValue((step.Collection, document.Id), out first);
                }

                if (first is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.DuplicateDocumentId, document.Location, DocumentRules.Shorten(document.Id), step.Collection, first.Location.Describe()));
                    continue;
                }

                inStep[document.Id] = document;
                if (step.Verb == "create")
                {
                    created[(step.Collection, document.Id)] = document;
                }
            }
        }
    }
}
