using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Seeding.Documents;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Generators.Parsing;

namespace Seeding.Generators.Checks;

/// <summary>
/// Checks that need every seed file at once: created documents per phase, <c>!ref</c> targets (also those of
/// bootstrap files that only a migration seeds, see <see cref="BootstrapReferenceChecks"/>), resources declared twice or differently (see <see cref="ResourceChecks"/>), and environment
/// names against seeding.yaml.
/// </summary>
internal static class CrossFileChecks
{
    public static EquatableArray<DiagnosticInfo> Run(ImmutableArray<SeedFileSummary> summaries)
    {
        try
        {
            var diagnostics = Check(summaries).Concat(CheckReferences(summaries)).Concat(ResourceChecks.Check(summaries)).Concat(BootstrapReferenceChecks.Check(summaries));
            return diagnostics.ToEquatableArray();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new[] { DiagnosticInfo.Create(SeedingDiagnostics.InternalError, null, ex.GetType().Name, "cross-file checks: " + YamlNode.Shorten(ex.Message)) }.ToEquatableArray();
        }
    }

    /// <summary>Environment names used by seed files must be ones the service knows (seeding.yaml, or the defaults).</summary>
    public static EquatableArray<DiagnosticInfo> CheckEnvironments(ImmutableArray<SeedFileSummary> summaries, ServiceSettingsModel settings)
    {
        var known = settings.Environments;
        return summaries
            .SelectMany(s => s.Environments)
            .Where(e => !known.Any(k => string.Equals(k, e.Name, StringComparison.OrdinalIgnoreCase)))
            .Select(e => DiagnosticInfo.Create(SeedingDiagnostics.UnknownEnvironment, e.Location, e.Name, string.Join(", ", known)))
            .ToEquatableArray();
    }

    /// <summary>A <c>!ref</c> whose target no create or upsert of this project seeds (match steps cannot be known).</summary>
    private static IEnumerable<DiagnosticInfo> CheckReferences(ImmutableArray<SeedFileSummary> summaries)
    {
        var seeded = new HashSet<string>(
            summaries.SelectMany(s => s.CreatedDocuments.Select(d => d.Collection + "/" + d.Id).Concat(s.UpsertedPaths)),
            StringComparer.Ordinal);
        return summaries
            .OrderBy(s => s.RelativePath, StringComparer.Ordinal)
            .SelectMany(s => s.References)
            .Where(r => !seeded.Contains(r.Name))
            .Select(r => DiagnosticInfo.Create(SeedingDiagnostics.UnseededReference, r.Location, DocumentRules.Shorten(r.Name)));
    }

    private static List<DiagnosticInfo> Check(ImmutableArray<SeedFileSummary> summaries)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var ordered = summaries.OrderBy(s => s.Phase).ThenBy(s => s.RelativePath, StringComparer.Ordinal).ToList();

        foreach (var phase in ordered.GroupBy(s => s.Phase))
        {
            var created = new Dictionary<(string, string), (SeedFileSummary File, CreatedDocument Document)>();
            foreach (var file in phase)
            {
                // Documents created twice within one file are reported by the file's own parse.
                foreach (var document in file.CreatedDocuments.GroupBy(d => (d.Collection, d.Id)).Select(g => g.First()))
                {
                    var key = (document.Collection, document.Id);
                    if (created.TryGetValue(key, out var earlier) && earlier.File != file)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.DuplicateDocumentId, document.Location, DocumentRules.Shorten(document.Id), document.Collection,
                            $"{earlier.File.RelativePath} {earlier.Document.Location.Describe()}"));
                    }
                    else if (!created.ContainsKey(key))
                    {
                        created[key] = (file, document);
                    }
                }
            }
        }

        return diagnostics;
    }
}
