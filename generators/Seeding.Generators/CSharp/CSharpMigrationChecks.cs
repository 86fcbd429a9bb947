using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;

namespace Seeding.Generators.CSharp;

/// <summary>Checks a C# migration's declaration: its id and phase, and whether the registry can create it.</summary>
internal static class CSharpMigrationChecks
{
    private static readonly Regex MigrationName = new(@"^([0-9]{4})_([a-z0-9]+(?:_[a-z0-9]+)*)$", RegexOptions.CultureInvariant);

    /// <summary>The phase of a valid declaration (pre or post), else null.</summary>
    public static SeedPhaseKind? PhaseOf(CSharpMigrationInfo migration) => migration.Phase switch
    {
        0 => SeedPhaseKind.Pre,
        1 => SeedPhaseKind.Post,
        _ => null,
    };

    /// <summary>The NNNN number of a well-formed id, else null.</summary>
    public static string? NumberOf(CSharpMigrationInfo migration)
    {
        var match = MigrationName.Match(migration.Id);
        return match.Success ? match.Groups[1].Value : null;
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
                    $"'{migration.Id}' is not a valid migration id: use NNNN_snake_case, four digits, an underscore and lower-case words, e.g. \"0002_migrate_consents\"."));
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
