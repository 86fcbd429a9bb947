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
/// A bootstrap file's <c>!ref</c> to a document that only a pending migration (pre or post) of this service creates or
/// upserts, and no bootstrap file does (SEED048, a warning). Bootstrap runs on every start, also before that migration
/// is applied (a host runs only bootstrap by default), and the reference then points to nothing. At build time
/// seeding.lock.json is what is known to be applied (<c>seeding lock</c> records only applied migrations), so a target
/// that a locked migration creates does not warn.
/// </summary>
internal static class BootstrapReferenceChecks
{
    public static EquatableArray<DiagnosticInfo> Check(ImmutableArray<SeedFileSummary> summaries, EquatableArray<string> lockedKeys)
    {
        var locked = new HashSet<string>(lockedKeys, StringComparer.Ordinal);
        var ordered = summaries.OrderBy(s => s.Phase).ThenBy(s => s.RelativePath, StringComparer.Ordinal).ToList();
        var seededByBootstrap = new HashSet<string>(ordered.Where(s => s.Phase == SeedPhase.Bootstrap).SelectMany(Seeds), StringComparer.Ordinal);
        var firstMigration = new Dictionary<string, SeedFileSummary>(StringComparer.Ordinal);
        var seededByLocked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var migration in ordered.Where(s => s.Phase != SeedPhase.Bootstrap))
        {
            var isLocked = locked.Contains(LockManifest.KeyOf(migration.Phase, migration.Id));
            foreach (var path in Seeds(migration))
            {
                if (isLocked)
                {
                    seededByLocked.Add(path);
                }
                else if (!firstMigration.ContainsKey(path))
                {
                    firstMigration[path] = migration;
                }
            }
        }

        return ordered
            .Where(s => s.Phase == SeedPhase.Bootstrap)
            .SelectMany(s => s.References)
            .Where(r => !seededByBootstrap.Contains(r.Name) && !seededByLocked.Contains(r.Name) && firstMigration.ContainsKey(r.Name))
            .Select(r =>
            {
                var migration = firstMigration[r.Name];
                var phase = migration.Phase == SeedPhase.Pre ? "pre" : "post";
                return DiagnosticInfo.Create(SeedingDiagnostics.BootstrapReferenceToMigration, r.Location, DocumentRules.Shorten(r.Name), migration.RelativePath, phase);
            })
            .ToEquatableArray();
    }

    private static IEnumerable<string> Seeds(SeedFileSummary file) =>
        file.CreatedDocuments.Select(d => d.Collection + "/" + d.Id).Concat(file.UpsertedPaths);
}
