using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Generators.Parsing;

namespace Seeding.Generators.Checks;

/// <summary>
/// Migration numbers, YAML files and C# <c>[Migration]</c> classes together: two migrations of one phase with one
/// number are an error (SEED012). It is reported on the migration that is not in seeding.lock.json, the newcomer that
/// should move; on each of them when none is locked, or when all are.
/// </summary>
internal static class MigrationNumberChecks
{
    private sealed record Numbered(SeedPhase Phase, string Number, string Id, LocationInfo Location);

    public static EquatableArray<DiagnosticInfo> Run(ImmutableArray<SeedFileSummary> summaries, EquatableArray<CSharpMigrationInfo> migrations, EquatableArray<string> lockedKeys)
    {
        var all = summaries
            .Where(s => s.Number is not null)
            .OrderBy(s => s.RelativePath, StringComparer.Ordinal)
            .Select(s => new Numbered(s.Phase, s.Number!, s.Id, LocationInfo.FileStart(s.FilePath)))
            .Concat(migrations
                .Where(m => m.Phase is not null && m.Number is not null)
                .OrderBy(m => m.FilePath, StringComparer.Ordinal)
                .ThenBy(m => m.Location.Start)
                .Select(m => new Numbered(m.Phase!.Value, m.Number!, m.Id, m.Location)))
            .ToList();
        var locked = new HashSet<string>(lockedKeys, StringComparer.Ordinal);
        var diagnostics = new List<DiagnosticInfo>();
        foreach (var phase in all.GroupBy(m => m.Phase).OrderBy(g => g.Key))
        {
            var next = (phase.Max(m => int.Parse(m.Number, CultureInfo.InvariantCulture)) + 1).ToString("D4", CultureInfo.InvariantCulture);
            var folder = phase.Key == SeedPhase.Pre ? "migrations/pre" : "migrations/post";
            foreach (var shared in phase.GroupBy(m => m.Number, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                var users = shared.ToList();
                var inLock = users.Where(m => locked.Contains(LockManifest.KeyOf(m.Phase, m.Id))).ToList();
                var names = Names(users.Select(m => m.Id).ToList());
                if (inLock.Count > 0 && inLock.Count < users.Count)
                {
                    var lockedNames = string.Join(" and ", inLock.Select(m => $"'{m.Id}'"));
                    foreach (var newcomer in users.Except(inLock))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.DuplicateMigrationNumber, newcomer.Location, shared.Key, folder, names,
                            $"{lockedNames} {(inLock.Count == 1 ? "is" : "are")} locked in seeding.lock.json, so renumber this one: give it the next free number, {next}."));
                    }

                    continue;
                }

                var advice = inLock.Count == 0
                    ? $"None of them is locked in seeding.lock.json yet: give the newer one the next free number, {next}."
                    : $"All of them are locked in seeding.lock.json: give the one not applied in every environment the next free number, {next} (it then runs there again under its new name), and lock again.";
                foreach (var user in users)
                {
                    diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.DuplicateMigrationNumber, user.Location, shared.Key, folder, names, advice));
                }
            }
        }

        return diagnostics.ToEquatableArray();
    }

    private static string Names(IReadOnlyList<string> ids) => ids.Count == 2
        ? $"both '{ids[0]}' and '{ids[1]}'"
        : string.Join(", ", ids.Take(ids.Count - 1).Select(id => $"'{id}'")) + $" and '{ids[ids.Count - 1]}'";
}
