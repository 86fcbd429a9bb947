namespace Seeding.Running;

/// <summary>A migration already applied to this store has changed since; the run was refused before writing anything.</summary>
public sealed class MigrationDriftException : Exception
{
    /// <summary>Creates the exception for the drifted migrations.</summary>
    public MigrationDriftException(string service, IReadOnlyList<MigrationStatus> drifted)
        : base(Describe(service, drifted))
    {
        Service = service;
        Drifted = drifted;
    }

    /// <summary>The service whose migrations drifted.</summary>
    public string Service { get; }

    /// <summary>The drifted migrations.</summary>
    public IReadOnlyList<MigrationStatus> Drifted { get; }

    private static string Describe(string service, IReadOnlyList<MigrationStatus> drifted)
    {
        var lines = drifted.Select(d =>
            $"  {d.Seed.SourcePath}: applied with {d.AppliedChecksum}, the file now gives {d.Seed.Checksum}");
        return $"Service '{service}': {drifted.Count} applied migration(s) changed after they were applied:{Environment.NewLine}"
            + string.Join(Environment.NewLine, lines) + Environment.NewLine
            + "Applied migrations are immutable. Undo the edit (git checkout the file) and put the change in a new, "
            + "higher-numbered migration instead. Nothing was written.";
    }
}
