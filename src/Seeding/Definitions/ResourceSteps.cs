using Seeding.Resources;

namespace Seeding.Definitions;

/// <summary>
/// A step that ensures a resource outside the document store: a Pub/Sub topic or subscription (ensured through
/// <see cref="IPubSubAdmin"/>), or a Firestore composite index or field override (through the store's
/// <see cref="IIndexAdmin"/>). Without such a target the runner reports the step as skipped with the reason.
/// </summary>
public abstract class ResourceStep : SeedStep
{
    private protected ResourceStep(int line, string target, StepConditions? conditions)
        : base(line, target, conditions)
    {
    }

    internal override SeedStep WithDocuments(IReadOnlyList<SeedDocument> documents) => this;
}

/// <summary>Ensures a Pub/Sub topic (<c>topic:</c>).</summary>
public sealed class TopicStep : ResourceStep
{
    internal TopicStep(int line, TopicSpec topic, StepConditions? conditions)
        : base(line, (topic ?? throw new ArgumentNullException(nameof(topic))).Name, conditions) => Spec = topic;

    /// <summary>The declared topic.</summary>
    public TopicSpec Spec { get; }

    /// <inheritdoc />
    public override string Verb => "topic";
}

/// <summary>Ensures a Pub/Sub subscription (<c>subscription:</c>).</summary>
public sealed class SubscriptionStep : ResourceStep
{
    internal SubscriptionStep(int line, SubscriptionSpec subscription, StepConditions? conditions)
        : base(line, (subscription ?? throw new ArgumentNullException(nameof(subscription))).Name, conditions) => Spec = subscription;

    /// <summary>The declared subscription.</summary>
    public SubscriptionSpec Spec { get; }

    /// <inheritdoc />
    public override string Verb => "subscription";
}

/// <summary>Ensures a Firestore composite index (<c>index:</c>).</summary>
public sealed class IndexStep : ResourceStep
{
    internal IndexStep(int line, IndexSpec index, StepConditions? conditions)
        : base(line, (index ?? throw new ArgumentNullException(nameof(index))).CollectionGroup, conditions) => Spec = index;

    /// <summary>The declared index.</summary>
    public IndexSpec Spec { get; }

    /// <inheritdoc />
    public override string Verb => "index";
}

/// <summary>Ensures a Firestore single-field override (<c>field_override:</c>).</summary>
public sealed class FieldOverrideStep : ResourceStep
{
    internal FieldOverrideStep(int line, FieldOverrideSpec field, StepConditions? conditions)
        : base(line, (field ?? throw new ArgumentNullException(nameof(field))).ToString(), conditions) => Spec = field;

    /// <summary>The declared override.</summary>
    public FieldOverrideSpec Spec { get; }

    /// <inheritdoc />
    public override string Verb => "field_override";
}
