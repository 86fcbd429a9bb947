using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>Checks that need every seed file at once: migration numbers and created documents per phase.</summary>
internal static class CrossFileChecks
{
    public static EquatableArray<DiagnosticInfo> Run(ImmutableArray<SeedFileSummary> summaries)
    {
        try
        {
            return Check(summaries);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new[] { DiagnosticInfo.Create(SeedingDiagnostics.InternalError, null, ex.GetType().Name, "cross-file checks: " + YamlNode.Shorten(ex.Message)) }.ToEquatableArray();
        }
    }

    private static EquatableArray<DiagnosticInfo> Check(ImmutableArray<SeedFileSummary> summaries)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var ordered = summaries.OrderBy(s => s.Phase).ThenBy(s => s.RelativePath, StringComparer.Ordinal).ToList();

        foreach (var phase in ordered.GroupBy(s => s.Phase))
        {
            var numbers = new Dictionary<string, SeedFileSummary>(StringComparer.Ordinal);
            var created = new Dictionary<(string, string), (SeedFileSummary File, CreatedDocument Document)>();
            foreach (var file in phase)
            {
                if (file.Number is not null)
                {
                    if (numbers.TryGetValue(file.Number, out var first))
                    {
                        var folder = file.Phase == SeedPhaseKind.Pre ? "migrations/pre" : "migrations/post";
                        diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.DuplicateMigrationNumber, LocationInfo.FileStart(file.FilePath), file.Number, folder, first.Id, file.Id));
                    }
                    else
                    {
                        numbers[file.Number] = file;
                    }
                }

                // Documents created twice within one file are reported by the file's own parse.
                foreach (var document in file.CreatedDocuments.GroupBy(d => (d.Collection, d.Id)).Select(g => g.First()))
                {
                    var key = (document.Collection, document.Id);
                    if (created.TryGetValue(key, out var earlier) && earlier.File != file)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.DuplicateDocumentId, document.Location, FirestoreRules.Shorten(document.Id), document.Collection,
                            $"{earlier.File.RelativePath} {earlier.Document.Location.Describe()}"));
                    }
                    else if (!created.ContainsKey(key))
                    {
                        created[key] = (file, document);
                    }
                }
            }
        }

        return diagnostics.ToEquatableArray();
    }
}
