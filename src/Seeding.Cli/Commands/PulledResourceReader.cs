using Seeding.Cli.Stores;
using Seeding.Firestore.Indexes;
using Seeding.PubSub;
using Seeding.Resources;

namespace Seeding.Cli.Commands;

/// <summary>What <c>pull</c> read: the declarable resources, where they came from, and what was left out and why.</summary>
internal sealed record PulledResources(
    IReadOnlyList<TopicSpec> Topics, IReadOnlyList<SubscriptionSpec> Subscriptions, IReadOnlyList<IndexSpec> Indexes,
    IReadOnlyList<FieldOverrideSpec> FieldOverrides, IReadOnlyList<string> Sources, IReadOnlyList<string> Notes)
{
    public int Count => Topics.Count + Subscriptions.Count + Indexes.Count + FieldOverrides.Count;
}

/// <summary>
/// Reads the resources <c>pull</c> asks for: Pub/Sub through <see cref="IPubSubInventory"/>, indexes through the store's
/// <see cref="IIndexInventory"/> or from an index file (<see cref="FirestoreIndexFile.Parse"/>). Each resource is
/// checked by the rules a seed file is built with (<see cref="ResourceRules"/>); one that would not build is left out
/// with a note rather than written into a file the build would reject.
/// </summary>
internal static class PulledResourceReader
{
    public static async Task<PulledResources> ReadAsync(CommandContext context, ResourceRequest request, StoreArguments store, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var sources = new List<string>();
        IReadOnlyList<TopicSpec> topics = [];
        IReadOnlyList<SubscriptionSpec> subscriptions = [];
        IReadOnlyList<IndexSpec> indexes = [];
        IReadOnlyList<FieldOverrideSpec> fields = [];
        StoreSettings? settings = request.PubSub || (request.Indexes && request.File is null) ? store.Resolve(context) : null;
        if (request.PubSub)
        {
            (topics, subscriptions) = await ReadPubSubAsync(settings!, request, notes, cancellationToken).ConfigureAwait(false);
            sources.Add(settings!.Choice.PubSubDisplayName!);
        }

        if (request.File is { } file)
        {
            (indexes, fields) = await ReadFileAsync(context, file, notes, cancellationToken).ConfigureAwait(false);
            sources.Add(context.DisplayPath(context.ResolvePath(file)));
        }
        else if (request.Indexes)
        {
            (indexes, fields) = await ReadAdminAsync(settings!, notes, cancellationToken).ConfigureAwait(false);
            sources.Add(settings!.Choice.DisplayName);
        }

        return new PulledResources(topics, subscriptions, indexes, fields, sources, notes);
    }

    private static async Task<(IReadOnlyList<TopicSpec>, IReadOnlyList<SubscriptionSpec>)> ReadPubSubAsync(
        StoreSettings settings, ResourceRequest request, List<string> notes, CancellationToken cancellationToken)
    {
        if (settings.Choice.PubSub is null)
        {
            throw new UsageException(
                $"{(request.Topics ? "--topics" : "--subscriptions")} reads Pub/Sub, and this command has no Pub/Sub target: set --pubsub-emulator-host " +
                $"(or {PubSubOptions.EmulatorHostVariable}) for the emulator, or --pubsub-project (or {PubSubOptions.ProjectIdVariable}) for a project.");
        }

        PubSubAdmin client;
        try
        {
            client = settings.Choice.CreatePubSub()!;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CommandException(ExitCodes.Failure, $"Could not create the Pub/Sub client for {settings.Choice.PubSubDisplayName}: {e.Message}", e);
        }

        using (client)
        {
            try
            {
                IReadOnlyList<TopicSpec> topics = request.Topics ? await client.ListTopicsAsync(cancellationToken).ConfigureAwait(false) : [];
                IReadOnlyList<SubscriptionSpec> subscriptions = request.Subscriptions ? await client.ListSubscriptionsAsync(cancellationToken).ConfigureAwait(false) : [];
                return (Declarable(topics, TopicProblem, t => $"topic {t.Name}", notes), Declarable(subscriptions, SubscriptionProblem, s => $"subscription {s.Name}", notes));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new CommandException(ExitCodes.Failure, $"Could not read from {settings.Choice.PubSubDisplayName}: {e.Message}", e);
            }
        }
    }

    private static async Task<(IReadOnlyList<IndexSpec>, IReadOnlyList<FieldOverrideSpec>)> ReadFileAsync(
        CommandContext context, string file, List<string> notes, CancellationToken cancellationToken)
    {
        var path = context.ResolvePath(file);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandException(ExitCodes.Failure, $"Could not read the index file {context.DisplayPath(path)}: {e.Message}", e);
        }

        try
        {
            var read = FirestoreIndexFile.Parse(text, skipped => notes.Add($"{context.DisplayPath(path)} {skipped}"));
            return (read.Indexes, read.FieldOverrides);
        }
        catch (FormatException e)
        {
            throw new CommandException(ExitCodes.Failure,
                $"{context.DisplayPath(path)} is not an index file in the Firebase CLI's format ({{\"indexes\": [...], \"fieldOverrides\": [...]}}): {e.Message}", e);
        }
    }

    private static async Task<(IReadOnlyList<IndexSpec>, IReadOnlyList<FieldOverrideSpec>)> ReadAdminAsync(
        StoreSettings settings, List<string> notes, CancellationToken cancellationToken)
    {
        await using var store = await MigrateCommand.Open(settings, cancellationToken).ConfigureAwait(false);
        var why = store.Store switch
        {
            IIndexInventory { IndexesUnavailableReason: { } unavailable } => unavailable,
            IIndexInventory => null,
            _ => $"the {store.DisplayName} store has no Firestore indexes",
        };
        if (why is not null)
        {
            throw new UsageException(
                $"--indexes reads the Firestore Admin API, and here {why}. Pass --indexes-file {FirestoreIndexFile.DefaultFileName} instead (the file " +
                "'firebase firestore:indexes' exports or 'seeding indexes --file' writes), or point the command at production Firestore (--firestore-project).");
        }

        var inventory = (IIndexInventory)store.Store;
        try
        {
            var states = await inventory.ListAllIndexesAsync(name => notes.Add($"index {name}: Seeding cannot declare it (vector or search fields, another API or query scope)"), cancellationToken)
                .ConfigureAwait(false);
            var indexes = new List<IndexSpec>();
            foreach (var state in states)
            {
                if (state.State == IndexBuildState.NeedsRepair)
                {
                    notes.Add($"index {state.Index}: its build failed (NEEDS_REPAIR); delete it and declare it again");
                }
                else
                {
                    indexes.Add(state.Index);
                }
            }

            var fields = await inventory.ListFieldOverridesAsync(name => notes.Add($"field {name}: the database-wide default, or a name holding a '.', which a declaration cannot name"), cancellationToken)
                .ConfigureAwait(false);
            return (indexes, fields);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CommandException(ExitCodes.Failure, $"Could not read the indexes of {store.DisplayName}: {e.Message}", e);
        }
    }

    private static IReadOnlyList<T> Declarable<T>(IReadOnlyList<T> specs, Func<T, string?> problem, Func<T, string> describe, List<string> notes)
    {
        var kept = new List<T>();
        foreach (var spec in specs)
        {
            if (problem(spec) is { } why)
            {
                notes.Add($"{describe(spec)}: {why}");
            }
            else
            {
                kept.Add(spec);
            }
        }

        return kept;
    }

    private static string? TopicProblem(TopicSpec topic) =>
        ResourceRules.ValidatePubSubId(topic.Name, "topic")
        ?? LabelsProblem(topic.Labels)
        ?? (topic.MessageRetention is { } retention ? ResourceRules.ValidateTopicRetention(retention) : null);

    private static string? SubscriptionProblem(SubscriptionSpec subscription) =>
        ResourceRules.ValidatePubSubId(subscription.Name, "subscription")
        ?? TopicNameProblem(subscription.Topic, "its topic")
        ?? (subscription.DeadLetter is { } deadLetter
            ? TopicNameProblem(deadLetter.Topic, "its dead-letter topic") ?? ResourceRules.ValidateMaxDeliveryAttempts(deadLetter.MaxDeliveryAttempts)
            : null)
        ?? LabelsProblem(subscription.Labels)
        ?? (subscription.AckDeadline is { } deadline ? ResourceRules.ValidateAckDeadline(deadline) : null)
        ?? (subscription.MessageRetention is { } retention ? ResourceRules.ValidateSubscriptionRetention(retention) : null)
        ?? (subscription.Filter is { } filter ? ResourceRules.ValidateFilter(filter) : null)
        ?? (subscription.PushEndpoint is { } endpoint ? ResourceRules.ValidatePushEndpoint(endpoint) : null);

    // A topic of another project keeps its full name, and a deleted one reads as _deleted-topic_: neither is an id a seed file can name.
    private static string? TopicNameProblem(string topic, string what) => topic switch
    {
        "_deleted-topic_" => $"{what} was deleted",
        _ when topic.StartsWith("projects/", StringComparison.Ordinal) => $"{what} is {topic}, in another project; a seed file names topics of its own project",
        _ => ResourceRules.ValidatePubSubId(topic, "topic") is { } problem ? $"{what}: {problem}" : null,
    };

    private static string? LabelsProblem(IReadOnlyDictionary<string, string> labels) =>
        ResourceRules.ValidateLabelCount(labels.Count)
        ?? labels.Select(l => ResourceRules.ValidateLabelKey(l.Key) ?? ResourceRules.ValidateLabelValue(l.Value)).FirstOrDefault(p => p is not null);
}
