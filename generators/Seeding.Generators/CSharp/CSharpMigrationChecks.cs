using System.Collections.Generic;
using System.Linq;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Generators.Shared;

namespace Seeding.Generators.CSharp;

/// <summary>Checks a C# migration's declaration: its id and phase, and whether the registry can create it.</summary>
internal static class CSharpMigrationChecks
{
    /// <summary>The phase of a valid declaration (pre or post), else null.</summary>
    public static SeedPhase? PhaseOf(CSharpMigrationInfo migration) =>
        (SeedPhase)migration.Phase is SeedPhase.Pre or SeedPhase.Post ? (SeedPhase)migration.Phase : null;

    /// <summary>The NNNN number of a well-formed id, else null.</summary>
    public static string? NumberOf(CSharpMigrationInfo migration)
    {
        return MigrationFileName.TryParse(migration.Id, out var number, out _) ? number : null;
    }

    /// <summary>True when the migration can be listed in the registry.</summary>
    public static bool IsRegistrable(CSharpMigrationInfo migration) =>
        migration.Problems.Count == 0 && PhaseOf(migration) is not null && NumberOf(migration) is not null;

    public static EquatableArray<DiagnosticInfo> Validate(EquatableArray<CSharpMigrationInfo> migrations)
    {
        var diagnostics = new List<DiagnosticInfo>();
        foreach (var migration in migrations)
        {
            if (NumberOf(migration) is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidMigrationAttribute, migration.Location,
                    $"'{migration.Id}' is not a valid migration id: {MigrationFileName.Hint}, e.g. \"0002_migrate_consents\"."));
            }

            if (PhaseOf(migration) is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidMigrationAttribute, migration.Location,
                    "A C# migration runs once and is recorded in history: use SeedPhase.Pre or SeedPhase.Post (bootstrap seeds are YAML files)."));
            }

            diagnostics.AddRange(migration.Problems.Select(problem => DiagnosticInfo.Create(SeedingDiagnostics.UnusableMigrationClass, migration.Location, problem)));
        }

        return diagnostics.ToEquatableArray();
    }

    /// <summary>The registry entry of a registrable migration.</summary>
    public static string RegistryEntry(CSharpMigrationInfo migration) =>
        "global::Seeding.Definitions.SeedDefinition.FromCode(" +
        $"{Emit.CSharpText.Literal(migration.Id)}, global::Seeding.Definitions.SeedPhase.{PhaseOf(migration)}, {Emit.CSharpText.Literal(migration.Checksum)}, " +
        $"{Emit.CSharpText.Literal(migration.FilePath)}, {(migration.Description is null ? "null" : Emit.CSharpText.Literal(migration.Description))}, new {migration.ClassName}())";
}
