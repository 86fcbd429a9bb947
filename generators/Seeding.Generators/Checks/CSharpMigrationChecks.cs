using System.Collections.Generic;
using System.Linq;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Generators.Shared;

namespace Seeding.Generators.Checks;

/// <summary>Checks a C# migration's declaration: its id and phase, and whether the registry can create it.</summary>
internal static class CSharpMigrationChecks
{
    public static EquatableArray<DiagnosticInfo> Validate(EquatableArray<CSharpMigrationInfo> migrations)
    {
        var diagnostics = new List<DiagnosticInfo>();
        foreach (var migration in migrations)
        {
            if (migration.Number is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidMigrationAttribute, migration.Location, $"'{migration.Id}'", "id",
                    $"{MigrationFileName.Hint}, e.g. \"0002_migrate_consents\"."));
            }

            if (migration.Phase is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidMigrationAttribute, migration.Location, "This", "phase",
                    "a C# migration runs once and is recorded in history; use SeedPhase.Pre or SeedPhase.Post (bootstrap seeds are YAML files)."));
            }

            diagnostics.AddRange(migration.Problems.Select(problem => DiagnosticInfo.Create(SeedingDiagnostics.UnusableMigrationClass, migration.Location, migration.Name, problem)));
        }

        return diagnostics.ToEquatableArray();
    }
}
