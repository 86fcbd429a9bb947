using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Generators.Parsing;

namespace Seeding.Generators.Checks;

/// <summary>
/// The migrations against the committed lock manifest (<see cref="LockManifest"/>): a migration whose checksum differs
/// from its locked one has been changed after it was locked, a compile error.
/// </summary>
internal static class LockChecks
{
    /// <summary>Every migration (YAML or C#) whose checksum differs from its locked one.</summary>
    public static EquatableArray<DiagnosticInfo> Check(LockManifestModel manifest, ImmutableArray<SeedFileSummary> summaries, EquatableArray<CSharpMigrationInfo> migrations, string? service)
    {
        var diagnostics = new List<DiagnosticInfo>(manifest.Diagnostics);
        if (manifest.FilePath is null)
        {
            return diagnostics.ToEquatableArray();
        }

        if (manifest.Service is not null && service is not null && manifest.Service != service)
        {
            diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidLockManifest, LocationInfo.FileStart(manifest.FilePath),
                $"it locks service '{manifest.Service}' but this project is service '{service}'; regenerate it with 'seeding lock'"));
            return diagnostics.ToEquatableArray();
        }

        var locked = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in manifest.Entries)
        {
            locked[entry.Key] = entry.Checksum;
        }

        var current = summaries
            .Where(s => s.Phase != SeedPhase.Bootstrap)
            .OrderBy(s => s.RelativePath, StringComparer.Ordinal)
            .Select(s => (Key: LockManifest.KeyOf(s.Phase, s.Id), s.Checksum, Location: LocationInfo.FileStart(s.FilePath)))
            .Concat(migrations
                .Where(m => m.Phase is not null)
                .Select(m => (Key: LockManifest.KeyOf(m.Phase!.Value, m.Id), m.Checksum, m.Location)));
        foreach (var (key, checksum, location) in current)
        {
            if (locked.TryGetValue(key, out var expected) && expected != checksum)
            {
                diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.LockedMigrationChanged, location, key, expected, checksum));
            }
        }

        return diagnostics.ToEquatableArray();
    }
}
