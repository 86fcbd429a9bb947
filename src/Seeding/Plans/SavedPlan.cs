using System.Security.Cryptography;
using System.Text;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Plans;

/// <summary>
/// A dry run saved for review (<c>seeding plan --out plan.json</c>) and applied later exactly as reviewed
/// (<c>seeding migrate --plan plan.json</c>): every planned write of every pending migration and bootstrap file, each
/// with what the plan's read saw of its document, so a document changed since can be refused instead of overwritten.
/// </summary>
public sealed record SavedPlan
{
    /// <summary>The version of the file format this runtime writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The version of the file format (<see cref="CurrentSchemaVersion"/>).</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The store the plan read (<see cref="IDocumentStore.Name"/>); a plan is applied only to the same store.</summary>
    public required string Store { get; init; }

    /// <summary>The phases planned, in run order.</summary>
    public required IReadOnlyList<SeedPhase> Phases { get; init; }

    /// <summary>The environment the plan resolved <c>environments:</c> and <c>when:</c> against, if any.</summary>
    public string? Environment { get; init; }

    /// <summary>The store's clock at the plan's read (the latest read time of what it read).</summary>
    public required Timestamp ReadAt { get; init; }

    /// <summary>The services planned, in the order they run.</summary>
    public required IReadOnlyList<SavedServicePlan> Services { get; init; }

    /// <summary>
    /// Refuses the plan for another store or another service set (each service's seeds are checked when it is applied,
    /// see <see cref="Running.SeedRunner.ApplyPlanAsync"/>).
    /// </summary>
    /// <param name="store">The store it is about to be applied to (<see cref="IDocumentStore.Name"/>).</param>
    /// <param name="services">The services it is about to be applied to, in order.</param>
    /// <exception cref="SavedPlanMismatchException">The plan was made for another store or other services; the message says which and what to do.</exception>
    public void EnsureFor(string store, IReadOnlyList<string> services)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(services);
        if (!string.Equals(store, Store, StringComparison.Ordinal))
        {
            throw new SavedPlanMismatchException(
                $"The plan was made for the store {Store}, not {store}. Apply it to the store it was made for, or make a new plan against this one (seeding plan --out).");
        }

        var planned = Services.Select(s => s.Service).ToArray();
        if (!planned.SequenceEqual(services, StringComparer.Ordinal))
        {
            throw new SavedPlanMismatchException(
                $"The plan was made for the services {string.Join(", ", planned)} (in that order), not {string.Join(", ", services)}. " +
                "Apply it with the same services (or name none: --plan alone applies the plan's services), or make a new plan for these.");
        }
    }
}

/// <summary>One service's part of a <see cref="SavedPlan"/>.</summary>
public sealed record SavedServicePlan
{
    /// <summary>The service.</summary>
    public required string Service { get; init; }

    /// <summary>
    /// The checksum of the service's compiled seed definitions (<see cref="SeedsChecksumOf"/>): a plan is
    /// applied only by a build with the same seed files. Seeds, not the assembly: the same seeds built twice (the pull
    /// request's build and the deploy's) must match, and an assembly's MVID changes on every build.
    /// </summary>
    public required string SeedsChecksum { get; init; }

    /// <summary>The seed files with something planned (pending migrations and bootstrap files), in run order.</summary>
    public required IReadOnlyList<SavedSeedPlan> Seeds { get; init; }

    /// <summary>
    /// <c>sha256:</c> over every seed definition of the service, one line each (<c>phase/id checksum</c>, ordinal
    /// order): the same for every build of the same seed files, different when any file (YAML or C# migration) changed,
    /// was added or was removed.
    /// </summary>
    public static string SeedsChecksumOf(ServiceSeeds service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var lines = service.Seeds.Select(s => $"{s}\t{s.Checksum}\n").Order(StringComparer.Ordinal);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(lines))));
    }
}

/// <summary>One seed file's planned writes in a <see cref="SavedServicePlan"/>.</summary>
/// <param name="Seed">The file, as <c>phase/id</c> (<see cref="SeedDefinition.ToString"/>).</param>
/// <param name="Checksum">Its checksum when planned.</param>
/// <param name="Entries">What happens to each of its documents, in order.</param>
public sealed record SavedSeedPlan(string Seed, string Checksum, IReadOnlyList<SavedPlanEntry> Entries);

/// <summary>What the plan's read saw of a document.</summary>
public enum SeenState
{
    /// <summary>No document was there.</summary>
    Absent,

    /// <summary>The document was there, last written at <see cref="SavedPlanEntry.SeenUpdateTime"/>.</summary>
    Present,

    /// <summary>An earlier entry of the same plan writes the document first: it is checked through that write.</summary>
    PlannedEarlier,
}

/// <summary>One document of a plan: what happens to it, and what the plan saw of it.</summary>
/// <param name="Path">The document.</param>
/// <param name="Action">What the plan does: a create or update carries <paramref name="Write"/>; a skip writes nothing but is still checked.</param>
/// <param name="Line">The YAML line that declares it (0 for C# migrations).</param>
/// <param name="Seen">What the plan's read saw.</param>
/// <param name="SeenUpdateTime">The update time the plan saw, when <paramref name="Seen"/> is <see cref="SeenState.Present"/>.</param>
/// <param name="Write">The write to apply (its own precondition is replaced by the one the plan saw); null for skips.</param>
public sealed record SavedPlanEntry(DocumentPath Path, PlanAction Action, int Line, SeenState Seen, Timestamp? SeenUpdateTime, DocumentWrite? Write);

/// <summary>A saved plan does not belong to this store, these services or this build; nothing was read or written.</summary>
public sealed class SavedPlanMismatchException(string message) : Exception(message);
