using Seeding.Values;

namespace Seeding.Definitions;

/// <summary>
/// One step of a seed file: a verb applied to documents of one collection, or a resource the file ensures
/// (a Pub/Sub topic or subscription, a Firestore index or field override; see <see cref="ResourceStep"/>).
/// </summary>
public abstract class SeedStep
{
    private protected SeedStep(string collection, int line, IReadOnlyList<SeedDocument> documents, StepConditions? conditions)
        : this(line, collection, conditions)
    {
        Seeding.Documents.DocumentPath.ValidateCollectionPath(collection);
        Documents = documents ?? throw new ArgumentNullException(nameof(documents));
    }

    // Resource steps name a resource, not a collection, and declare no documents.
    private protected SeedStep(int line, string target, StepConditions? conditions)
    {
        Collection = target ?? throw new ArgumentNullException(nameof(target));
        Line = line;
        Documents = [];
        Conditions = conditions ?? StepConditions.None;
    }

    /// <summary>
    /// The collection path the step writes to; for a <see cref="ResourceStep"/>, what it ensures (a topic or subscription
    /// id, or the collection group of an index), so <c>{Verb} {Collection}</c> names any step.
    /// </summary>
    public string Collection { get; }

    /// <summary>The 1-based YAML line where the step starts.</summary>
    public int Line { get; }

    /// <summary>The documents the step declares, in YAML order.</summary>
    public IReadOnlyList<SeedDocument> Documents { get; }

    /// <summary>When the step runs (<c>when</c>, <c>environments</c>).</summary>
    public StepConditions Conditions { get; }

    /// <summary>The YAML verb, such as <c>create</c>.</summary>
    public abstract string Verb { get; }

    /// <summary>A copy of this step with other documents (used when configuration values are filled in).</summary>
    internal abstract SeedStep WithDocuments(IReadOnlyList<SeedDocument> documents);

    /// <summary>A <c>create</c> step: each document is created when its id is absent and never overwritten.</summary>
    public static SeedStep Create(string collection, int line, IReadOnlyList<SeedDocument> documents, StepConditions? conditions = null) =>
        new CreateStep(collection, line, documents, conditions);

    /// <summary>An <c>upsert</c> step: the declared fields are merged into each document, which is created when absent.</summary>
    public static SeedStep Upsert(string collection, int line, IReadOnlyList<SeedDocument> documents, StepConditions? conditions = null) =>
        new UpsertStep(collection, line, documents, conditions);

    /// <summary>
    /// A <c>create</c> step with <c>match</c>: a document exists when a query on the match fields finds one; otherwise it
    /// is created under an id made by <paramref name="newId"/> (<c>{hex:N}</c> random, <c>{hash:N}</c> derived from the match values).
    /// </summary>
    public static SeedStep CreateMatching(string collection, int line, IReadOnlyList<SeedDocument> documents, IReadOnlyList<string> match, string newId, StepConditions? conditions = null) =>
        new MatchStep(collection, line, documents, match, NewIdRule.Parse(newId), conditions);

    /// <summary>A <c>backfill</c> step: every document matching <paramref name="where"/> gets the <paramref name="set"/> fields.</summary>
    public static SeedStep Backfill(string collection, int line, IReadOnlyDictionary<string, Value> where, IReadOnlyDictionary<string, Value> set, StepConditions? conditions = null) =>
        new BackfillStep(collection, line, where, set, conditions);

    /// <summary>A <c>topic</c> step: the Pub/Sub topic is created when absent (a bootstrap file also updates declared settings that differ).</summary>
    public static SeedStep Topic(int line, Resources.TopicSpec topic, StepConditions? conditions = null) => new TopicStep(line, topic, conditions);

    /// <summary>A <c>subscription</c> step: the Pub/Sub subscription is created when absent (a bootstrap file also updates declared settings that differ).</summary>
    public static SeedStep Subscription(int line, Resources.SubscriptionSpec subscription, StepConditions? conditions = null) => new SubscriptionStep(line, subscription, conditions);

    /// <summary>An <c>index</c> step (pre-deploy only): the Firestore composite index is created when absent.</summary>
    public static SeedStep Index(int line, Resources.IndexSpec index, StepConditions? conditions = null) => new IndexStep(line, index, conditions);

    /// <summary>A <c>field_override</c> step (pre-deploy only): the field's single-field indexes and TTL policy are set when they differ.</summary>
    public static SeedStep FieldOverride(int line, Resources.FieldOverrideSpec field, StepConditions? conditions = null) => new FieldOverrideStep(line, field, conditions);
}

/// <summary>Check-then-create by id: absent documents are created (create-only precondition), present ones are skipped.</summary>
internal sealed class CreateStep : SeedStep
{
    internal CreateStep(string collection, int line, IReadOnlyList<SeedDocument> documents, StepConditions? conditions)
        : base(collection, line, documents, conditions)
    {
    }

    /// <inheritdoc />
    public override string Verb => "create";

    internal override SeedStep WithDocuments(IReadOnlyList<SeedDocument> documents) => new CreateStep(Collection, Line, documents, Conditions);
}

/// <summary>
/// Set with merge: the declared fields are written and other fields are kept. A document whose declared fields
/// already hold the declared values is skipped (server timestamps alone do not count as a change).
/// </summary>
internal sealed class UpsertStep : SeedStep
{
    internal UpsertStep(string collection, int line, IReadOnlyList<SeedDocument> documents, StepConditions? conditions)
        : base(collection, line, documents, conditions)
    {
    }

    /// <inheritdoc />
    public override string Verb => "upsert";

    internal override SeedStep WithDocuments(IReadOnlyList<SeedDocument> documents) => new UpsertStep(Collection, Line, documents, Conditions);
}

/// <summary>Check-then-create by query on <see cref="MatchFields"/>; new documents get an id from <see cref="NewId"/>.</summary>
internal sealed class MatchStep : SeedStep
{
    internal MatchStep(string collection, int line, IReadOnlyList<SeedDocument> documents, IReadOnlyList<string> match, NewIdRule newId, StepConditions? conditions)
        : base(collection, line, documents, conditions)
    {
        if (match is null || match.Count == 0)
        {
            throw new ArgumentException("A match step needs at least one match field.", nameof(match));
        }

        MatchFields = match;
        NewId = newId;
    }

    /// <summary>The fields whose values identify a document.</summary>
    public IReadOnlyList<string> MatchFields { get; }

    /// <summary>How new documents are named.</summary>
    public NewIdRule NewId { get; }

    /// <inheritdoc />
    public override string Verb => "create (match)";

    internal override SeedStep WithDocuments(IReadOnlyList<SeedDocument> documents) => new MatchStep(Collection, Line, documents, MatchFields, NewId, Conditions);
}

/// <summary>
/// Sets fields on every document that matches <see cref="Where"/>; a <see cref="Value.Null"/> condition matches null
/// or missing. Pages through the collection and writes in batches, so memory stays flat whatever its size.
/// </summary>
internal sealed class BackfillStep : SeedStep
{
    internal BackfillStep(string collection, int line, IReadOnlyDictionary<string, Value> where, IReadOnlyDictionary<string, Value> set, StepConditions? conditions)
        : base(collection, line, [], conditions)
    {
        Where = where ?? throw new ArgumentNullException(nameof(where));
        Set = set is { Count: > 0 } ? set : throw new ArgumentException("A backfill needs at least one field to set.", nameof(set));
    }

    /// <summary>The conditions a document must meet (all of them).</summary>
    public IReadOnlyDictionary<string, Value> Where { get; }

    /// <summary>The fields written to each matching document.</summary>
    public IReadOnlyDictionary<string, Value> Set { get; }

    /// <inheritdoc />
    public override string Verb => "backfill";

    internal override SeedStep WithDocuments(IReadOnlyList<SeedDocument> documents) => this;

    /// <summary>
    /// The conditions a store query can carry: the equality ones. A null condition means "null or missing", which
    /// Firestore cannot query for a missing field, so it is checked on each document read (<see cref="Matches"/>).
    /// </summary>
    internal Store.FieldFilter[] StoreFilters() =>
        Where.Where(c => !c.Value.IsNull).Select(c => Store.FieldFilter.EqualTo(c.Key, c.Value)).ToArray();

    /// <summary>True when a document's fields meet every condition.</summary>
    public bool Matches(IReadOnlyDictionary<string, Value> fields) => Where.All(condition => condition.Value.IsNull
        ? !fields.TryGetValue(condition.Key, out var present) || present.IsNull
        : fields.TryGetValue(condition.Key, out var value) && value.Equals(condition.Value));
}
