using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Resources;

namespace Seeding.Generators.Parsing;

/// <summary>
/// Reads a resource step (<c>topic:</c>, <c>subscription:</c>, <c>index:</c>, <c>field_override:</c>) into a
/// <see cref="ResourceModel"/>, checking every name and setting by the runtime's own <see cref="ResourceRules"/>.
/// </summary>
internal sealed partial class ResourceStepReader
{
    /// <summary>The keys of resource steps, besides their verbs; none of them goes with create, upsert or backfill.</summary>
    public static readonly string[] SettingKeys = { "labels", "message_retention", "ack_deadline", "filter", "dead_letter", "push_endpoint", "scope", "fields", "field", "ttl", "indexes" };

    private static readonly string[] CommonKeys = { "description", "when", "environments" };
    private static readonly string[] DeadLetterKeys = { "topic", "max_delivery_attempts" };
    private static readonly string[] FieldIndexKeys = { "order", "scope" };

    private static readonly Dictionary<string, string[]> KeysOf = new(StringComparer.Ordinal)
    {
        [ResourceKinds.Topic] = new[] { "topic", "labels", "message_retention" },
        [ResourceKinds.Subscription] = new[] { "subscription", "topic", "labels", "message_retention", "ack_deadline", "filter", "dead_letter", "push_endpoint" },
        [ResourceKinds.Index] = new[] { "index", "scope", "fields" },
        [ResourceKinds.FieldOverride] = new[] { "field_override", "field", "ttl", "indexes" },
    };

    private readonly SourceMap _map;
    private readonly List<DiagnosticInfo> _diagnostics;

    public ResourceStepReader(SourceMap map, List<DiagnosticInfo> diagnostics)
    {
        _map = map;
        _diagnostics = diagnostics;
    }

    /// <summary>Which settings go with a resource verb, for messages.</summary>
    public static string KindsWith(string key) => string.Join(" and ", ResourceKinds.All.Where(kind => Array.IndexOf(KeysOf[kind], key) > 0).Select(kind => kind + " steps"));

    /// <summary>Reads the step; null when it cannot be used (reported).</summary>
    public StepDraft? Read(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, YamlNode mapping, string what, StepOptions options, string kind, (YamlNode Key, YamlNode Value) verb)
    {
        var allowed = KeysOf[kind].Concat(CommonKeys).ToArray();
        var ok = true;
        foreach (var entry in keys.Where(k => Array.IndexOf(allowed, k.Key) < 0 && k.Key != "type"))
        {
            Report(SeedingDiagnostics.UnknownKey, entry.Value.Key, entry.Key, $"{(kind == ResourceKinds.Index ? "an" : "a")} {kind} step", KeySuggestion.Advice(entry.Key, allowed));
            ok = false;
        }

        if (options.Type is not null)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.ConflictingKeys, options.Type.Location, "type", $"'{kind}:'",
                $"'type:' binds the documents of a create or upsert step; a {kind} step writes no documents. Give 'type:' on the steps that create or upsert."));
            ok = false;
        }

        var name = Text(verb.Value, $"'{kind}:'", kind is ResourceKinds.Topic or ResourceKinds.Subscription ? $"a {kind} id, e.g. audit-events" : "a collection group (a collection id), e.g. users");
        if (name is not null)
        {
            var problem = kind is ResourceKinds.Topic or ResourceKinds.Subscription ? ResourceRules.ValidatePubSubId(name, kind) : ResourceRules.ValidateCollectionGroup(name);
            if (problem is not null)
            {
                if (kind is ResourceKinds.Topic or ResourceKinds.Subscription)
                {
                    Report(SeedingDiagnostics.InvalidPubSubId, verb.Value, kind, problem);
                }
                else
                {
                    Report(SeedingDiagnostics.InvalidIndex, verb.Value, Describe(kind), problem);
                }

                name = null;
            }
        }

        var step = name is null ? null : new StepDraft(kind, name, verb.Key.Start.Line + 1, options) { ResourceLocation = _map.At(verb.Value) };
        var resource = kind switch
        {
            ResourceKinds.Topic => ReadTopic(keys, name ?? string.Empty),
            ResourceKinds.Subscription => ReadSubscription(keys, mapping, what, name ?? string.Empty, step),
            ResourceKinds.Index => ReadIndex(keys, mapping, what, name ?? string.Empty),
            _ => ReadFieldOverride(keys, mapping, what, name ?? string.Empty),
        };
        if (step is null || resource is null || !ok)
        {
            return null;
        }

        step.Resource = resource;
        return step;
    }

    private ResourceModel? ReadTopic(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, string name)
    {
        var labels = ReadLabels(keys);
        var retention = ReadDuration(keys, "message_retention", ResourceRules.ValidateTopicRetention);
        return labels is null || retention.Failed ? null : new ResourceModel(ResourceKinds.Topic, name) { Labels = labels.Value, MessageRetention = retention.Value };
    }

    private ResourceModel? ReadSubscription(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, YamlNode mapping, string what, string name, StepDraft? step)
    {
        string? topic = null;
        var ok = true;
        if (!keys.TryGetValue("topic", out var topicEntry))
        {
            Report(SeedingDiagnostics.MissingKey, mapping, what, "'topic: <id>', the topic the subscription receives messages from");
            ok = false;
        }
        else
        {
            topic = ReadTopicName(topicEntry.Value, "'topic:'", step, "Topic");
            ok &= topic is not null;
        }

        var labels = ReadLabels(keys);
        var retention = ReadDuration(keys, "message_retention", ResourceRules.ValidateSubscriptionRetention);
        var deadline = ReadDuration(keys, "ack_deadline", ResourceRules.ValidateAckDeadline);
        var filter = ReadSetting(keys, "filter", "a filter on message attributes, e.g. 'attributes.kind = \"audit\"'", ResourceRules.ValidateFilter);
        var push = ReadSetting(keys, "push_endpoint", "an https URL, e.g. https://audit.example.com/push", ResourceRules.ValidatePushEndpoint);
        var deadLetter = ReadDeadLetter(keys, step);
        if (!ok || labels is null || retention.Failed || deadline.Failed || filter.Failed || push.Failed || deadLetter.Failed)
        {
            return null;
        }

        return new ResourceModel(ResourceKinds.Subscription, name)
        {
            Topic = topic,
            Labels = labels.Value,
            MessageRetention = retention.Value,
            AckDeadline = deadline.Value,
            Filter = filter.Value,
            PushEndpoint = push.Value,
            DeadLetterTopic = deadLetter.Topic,
            MaxDeliveryAttempts = deadLetter.Attempts,
        };
    }

    private (string? Topic, long Attempts, bool Failed) ReadDeadLetter(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, StepDraft? step)
    {
        if (!keys.TryGetValue("dead_letter", out var entry))
        {
            return (null, 0, false);
        }

        const string Shape = "a mapping { topic: <id>, max_delivery_attempts: 5..100 }";
        if (entry.Value.Kind != YamlNodeKind.Mapping)
        {
            Report(SeedingDiagnostics.UnexpectedNode, entry.Value, "'dead_letter:'", Shape, entry.Value.Describe());
            return (null, 0, true);
        }

        var failed = false;
        YamlNode? topicNode = null;
        YamlNode? attemptsNode = null;
        foreach (var pair in entry.Value.Pairs)
        {
            var key = pair.Key.Kind == YamlNodeKind.Scalar ? pair.Key.Value : null;
            if (key == "topic")
            {
                topicNode = pair.Value;
            }
            else if (key == "max_delivery_attempts")
            {
                attemptsNode = pair.Value;
            }
            else
            {
                Report(SeedingDiagnostics.UnknownKey, pair.Key, YamlNode.Shorten(key ?? pair.Key.Describe()), "'dead_letter:'", KeySuggestion.Advice(key ?? string.Empty, DeadLetterKeys));
                failed = true;
            }
        }

        string? topic = null;
        if (topicNode is null)
        {
            Report(SeedingDiagnostics.MissingKey, entry.Value, "'dead_letter:'", "'topic: <id>', the topic undeliverable messages go to");
            failed = true;
        }
        else
        {
            topic = ReadTopicName(topicNode, "The dead-letter topic", step, "Dead-letter topic");
            failed |= topic is null;
        }

        // Pub/Sub's own default when a dead-letter policy gives none.
        long attempts = ResourceRules.MinDeliveryAttempts;
        if (attemptsNode is not null)
        {
            var value = attemptsNode.Kind == YamlNodeKind.Scalar && attemptsNode.Tag is null && attemptsNode.IsPlain ? ScalarResolver.ResolvePlain(attemptsNode.Value, out _) : null;
            if (value?.Kind != ValueKindModel.Integer || !long.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out attempts))
            {
                Report(SeedingDiagnostics.UnexpectedNode, attemptsNode, "'max_delivery_attempts:'", $"a whole number from {ResourceRules.MinDeliveryAttempts} to {ResourceRules.MaxDeliveryAttempts}", attemptsNode.Describe());
                return (null, 0, true);
            }

            var problem = ResourceRules.ValidateMaxDeliveryAttempts(attempts);
            if (problem is not null)
            {
                Report(SeedingDiagnostics.InvalidPubSubSetting, attemptsNode, "max_delivery_attempts", problem);
                failed = true;
            }
        }

        return (topic, attempts, failed);
    }

    private string? ReadTopicName(YamlNode node, string what, StepDraft? step, string referenceKind)
    {
        var topic = Text(node, what, "a topic id, e.g. audit-events");
        var problem = topic is null ? null : ResourceRules.ValidatePubSubId(topic, "topic");
        if (problem is not null)
        {
            Report(SeedingDiagnostics.InvalidPubSubId, node, "topic", problem);
            return null;
        }

        if (topic is not null)
        {
            step?.TopicReferences.Add(new NamedLocation(referenceKind + "\n" + topic, _map.At(node)));
        }

        return topic;
    }

    private EquatableArray<LabelModel>? ReadLabels(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys)
    {
        if (!keys.TryGetValue("labels", out var entry))
        {
            return EquatableArray<LabelModel>.Empty;
        }

        if (entry.Value.Kind != YamlNodeKind.Mapping)
        {
            Report(SeedingDiagnostics.UnexpectedNode, entry.Value, "'labels:'", "a mapping of label keys to values, e.g. { team: audit }", entry.Value.Describe());
            return null;
        }

        var ok = true;
        var labels = new List<LabelModel>();
        foreach (var pair in entry.Value.Pairs)
        {
            var key = Text(pair.Key, "A label key", "a name of lowercase letters, digits, '_' and '-'");
            var value = Text(pair.Value, "A label value", "text of lowercase letters, digits, '_' and '-' (\"\" for an empty value)");
            string? problem = null;
            if (key is not null && (problem = ResourceRules.ValidateLabelKey(key)) is not null)
            {
                Report(SeedingDiagnostics.InvalidLabel, pair.Key, problem);
            }
            else if (value is not null && (problem = ResourceRules.ValidateLabelValue(value)) is not null)
            {
                Report(SeedingDiagnostics.InvalidLabel, pair.Value, problem);
            }

            if (key is null || value is null || problem is not null)
            {
                ok = false;
                continue;
            }

            labels.Add(new LabelModel(key, value));
        }

        if (ResourceRules.ValidateLabelCount(labels.Count) is { } tooMany)
        {
            Report(SeedingDiagnostics.InvalidLabel, entry.Key, tooMany + ". Remove some");
            ok = false;
        }

        return ok ? labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToEquatableArray() : null;
    }

    private (DurationModel? Value, bool Failed) ReadDuration(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, string key, Func<TimeSpan, string?> range)
    {
        if (!keys.TryGetValue(key, out var entry))
        {
            return (null, false);
        }

        var text = Text(entry.Value, $"'{key}:'", ResourceRules.DurationSyntax);
        if (text is null)
        {
            return (null, true);
        }

        if (!ResourceRules.TryParseDuration(text, out var duration))
        {
            Report(SeedingDiagnostics.InvalidPubSubSetting, entry.Value, key, $"'{YamlNode.Shorten(text)}' is not a duration; write {ResourceRules.DurationSyntax}");
            return (null, true);
        }

        var problem = range(duration);
        if (problem is not null)
        {
            Report(SeedingDiagnostics.InvalidPubSubSetting, entry.Value, key, problem);
            return (null, true);
        }

        var amount = long.Parse(text.Substring(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture);
        return (new DurationModel((long)duration.TotalSeconds, amount, text[text.Length - 1]), false);
    }

    private (string? Value, bool Failed) ReadSetting(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, string key, string need, Func<string, string?> rule)
    {
        if (!keys.TryGetValue(key, out var entry))
        {
            return (null, false);
        }

        var text = Text(entry.Value, $"'{key}:'", need);
        var problem = text is null ? null : rule(text);
        if (problem is not null)
        {
            Report(SeedingDiagnostics.InvalidPubSubSetting, entry.Value, key, problem);
        }

        return text is null || problem is not null ? (null, true) : (text, false);
    }

    /// <summary>Untagged (or <c>!!str</c>) scalar text; anything else is reported.</summary>
    private string? Text(YamlNode node, string what, string need)
    {
        if (node.Tag is ValueConverter.EnvTag or ValueConverter.SafeEnvTag)
        {
            Report(SeedingDiagnostics.ConfiguredValueNotAllowed, node, $"for {what}", "resource names and settings are fixed parts of the seed file (its checksum covers them). Write the value.");
            return null;
        }

        if (node.Kind != YamlNodeKind.Scalar || node.IsNullScalar || (node.Tag is not null and not "!" and not "tag:yaml.org,2002:str"))
        {
            Report(SeedingDiagnostics.UnexpectedNode, node, what, need, node.Describe());
            return null;
        }

        return node.Value;
    }

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, YamlNode node, params object[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, _map.At(node), arguments));

    private static string Describe(string kind) => kind == ResourceKinds.Index ? "index" : "field override";
}
