using Seeding.Definitions;
using Seeding.Documents;

namespace Seeding.Running;

/// <summary>Why a revert left a document in place.</summary>
/// <param name="Path">The document kept.</param>
/// <param name="Reason">Why.</param>
public sealed record KeptDocument(DocumentPath Path, string Reason);

/// <summary>What a revert deleted and what it kept.</summary>
/// <param name="Migration">The migration reverted.</param>
/// <param name="DryRun">True when nothing was deleted.</param>
/// <param name="Deleted">Documents the migration created and nobody changed since: deleted.</param>
/// <param name="Kept">Documents left in place, each with its reason.</param>
public sealed record RevertReport(SeedDefinition Migration, bool DryRun, IReadOnlyList<DocumentPath> Deleted, IReadOnlyList<KeptDocument> Kept)
{
    /// <summary>
    /// The migration's topics, subscriptions, indexes and field overrides, all left in place: a revert deletes documents
    /// only, because other services may already publish to a topic or query through an index. Delete them by hand if they must go.
    /// </summary>
    public IReadOnlyList<KeptResource> KeptResources { get; init; } = [];
}

/// <summary>A resource a revert left in place.</summary>
/// <param name="Kind">What kind of resource it is.</param>
/// <param name="Name">Its name, as in a run's plan.</param>
/// <param name="Line">The YAML line of the step that declares it.</param>
/// <param name="Reason">Why it was kept.</param>
public sealed record KeptResource(ResourceKind Kind, string Name, int Line, string Reason);
