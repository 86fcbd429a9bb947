namespace Seeding.Definitions;

/// <summary>One step of a seed file: a verb applied to documents of one collection.</summary>
public abstract class SeedStep
{
    private protected SeedStep(string collection, int line, IReadOnlyList<SeedDocument> documents)
    {
        Seeding.Documents.DocumentPath.ValidateCollectionPath(collection);
        Collection = collection;
        Line = line;
        this.Documents = documents;
    }

    /// <summary>The collection path the step writes to.</summary>
    public string Collection { get; }

    /// <summary>The 1-based YAML line where the step starts.</summary>
    public int Line { get; }

    /// <summary>The documents the step declares, in YAML order.</summary>
    public IReadOnlyList<SeedDocument> Documents { get; }

    /// <summary>The YAML verb, such as <c>create</c>.</summary>
    public abstract string Verb { get; }

    /// <summary>A <c>create</c> step: each document is created when its id is absent and never overwritten.</summary>
    public static SeedStep Create(string collection, int line, IReadOnlyList<SeedDocument> documents) => new CreateStep(collection, line, documents);

    /// <summary>An <c>upsert</c> step: the declared fields are merged into each document, which is created when absent.</summary>
    public static SeedStep Upsert(string collection, int line, IReadOnlyList<SeedDocument> documents) => new UpsertStep(collection, line, documents);
}

/// <summary>Check-then-create by id: absent documents are created (create-only precondition), present ones are skipped.</summary>
public sealed class CreateStep : SeedStep
{
    internal CreateStep(string collection, int line, IReadOnlyList<SeedDocument> documents)
        : base(collection, line, documents)
    {
    }

    /// <inheritdoc />
    public override string Verb => "create";
}

/// <summary>
/// Set with merge: the declared fields are written and other fields are kept. A document whose declared fields
/// already hold the declared values is skipped (server timestamps alone do not count as a change).
/// </summary>
public sealed class UpsertStep : SeedStep
{
    internal UpsertStep(string collection, int line, IReadOnlyList<SeedDocument> documents)
        : base(collection, line, documents)
    {
    }

    /// <inheritdoc />
    public override string Verb => "upsert";
}
