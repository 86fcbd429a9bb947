using Seeding.Running;

namespace Seeding.Definitions;

/// <summary>
/// A migration written in C#, for what YAML cannot say. Mark the class with <see cref="MigrationAttribute"/>; the
/// generator adds it to the same registry, numbering and history rules as YAML files (checksum of its source).
/// </summary>
public interface IMigration
{
    /// <summary>Applies the migration. Record every document touched through <paramref name="context"/> so dry runs show the plan.</summary>
    Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken);
}

/// <summary>Declares a C# migration's id and phase, e.g. <c>[Migration("0002_migrate_consents", SeedPhase.Post)]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MigrationAttribute : Attribute
{
    /// <summary>Declares the migration.</summary>
    /// <param name="id">The id, <c>NNNN_snake_case</c>, numbered with the YAML files of the same phase.</param>
    /// <param name="phase">Pre or post.</param>
    public MigrationAttribute(string id, SeedPhase phase)
    {
        Id = id;
        Phase = phase;
    }

    /// <summary>The migration id.</summary>
    public string Id { get; }

    /// <summary>The phase.</summary>
    public SeedPhase Phase { get; }

    /// <summary>What the migration is for.</summary>
    public string? Description { get; set; }
}
