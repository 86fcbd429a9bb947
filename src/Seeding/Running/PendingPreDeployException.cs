using Seeding.Definitions;

namespace Seeding.Running;

/// <summary>
/// A run of post-deploy migrations without the pre-deploy phase was refused, writing nothing, because pre-deploy
/// migrations of the service are still pending: post-deploy migrations assume the pre-deploy ones ran (the deploy order is
/// pre, deploy, post). The host and the <c>seeding</c> command refuse alike (the command exits 5).
/// <see cref="RunRequest.AllowPendingPreDeploy"/> runs them anyway.
/// </summary>
public sealed class PendingPreDeployException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="service">The service.</param>
    /// <param name="pending">Its pending pre-deploy migrations.</param>
    public PendingPreDeployException(string service, IReadOnlyList<SeedDefinition> pending)
        : base(Describe(service, pending))
    {
        Service = service;
        Pending = pending;
    }

    /// <summary>The service.</summary>
    public string Service { get; }

    /// <summary>Its pending pre-deploy migrations, in run order.</summary>
    public IReadOnlyList<SeedDefinition> Pending { get; }

    /// <summary>The pending migrations in one phrase, e.g. <c>1 pre-deploy migration is pending: pre/0001_roles</c>.</summary>
    public static string Summary(IReadOnlyCollection<SeedDefinition> pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return $"{pending.Count} {(pending.Count == 1 ? "pre-deploy migration is" : "pre-deploy migrations are")} pending: {string.Join(", ", pending)}";
    }

    private static string Describe(string service, IReadOnlyList<SeedDefinition> pending) =>
        $"Service '{service}': post-deploy migrations refused, nothing was written: {Summary(pending)}. Apply the pre-deploy phase first " +
        "(`seeding migrate --phase pre`, or MIGRATION_PHASE=pre), or allow it (`--allow-pending-pre`, Seeding:AllowPendingPreDeploy=true).";
}
