using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Seeding.Documents;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;

namespace Seeding.Generators.Checks;

/// <summary>
/// A bootstrap file's <c>!ref</c> to a document that only a migration (pre or post) of this service creates or
/// upserts, and no bootstrap file does (SEED048, a warning). Bootstrap runs on every start, also before that migration
/// is applied (a host runs only bootstrap by default), and the reference then points to nothing. The build cannot know
/// what is applied, so this is decided from the files alone.
/// </summary>
internal static class BootstrapReferenceChecks
{
    public static IEnumerable<DiagnosticInfo> Check(ImmutableArray<SeedFileSummary> summaries)
    {
        var ordered = summaries.OrderBy(s => s.Phase).ThenBy(s => s.RelativePath, StringComparer.Ordinal).ToList();
        var seededByBootstrap = new HashSet<string>(ordered.Where(s => s.Phase == SeedPhase.Bootstrap).SelectMany(Seeds), StringComparer.Ordinal);
        var firstMigration = new Dictionary<string, SeedFileSummary>(StringComparer.Ordinal);
        foreach (var migration in ordered.Where(s => s.Phase != SeedPhase.Bootstrap))
        {
            foreach (var path in Seeds(migration).Where(p => !firstMigration.ContainsKey(p)))
            {
                firstMigration[path] = migration;
            }
        }

        return ordered
            .Where(s => s.Phase == SeedPhase.Bootstrap)
            .SelectMany(s => s.References)
            .Where(r => !seededByBootstrap.Contains(r.Name) && firstMigration.ContainsKey(r.Name))
            .Select(r => DiagnosticInfo.Create(SeedingDiagnostics.BootstrapReferenceToMigration, r.Location, DocumentRules.Shorten(r.Name), firstMigration[r.Name].RelativePath));
    }

    private static IEnumerable<string> Seeds(SeedFileSummary file) =>
        file.CreatedDocuments.Select(d => d.Collection + "/" + d.Id).Concat(file.UpsertedPaths);
}
