using Seeding.Resources;

namespace Seeding.Generators.Tests;

/// <summary>
/// Every setting of a resource spec as one line (labels and field indexes sorted): two specs with the same text declare
/// the same resource. Shared with the pull round trips in Seeding.Cli.Tests (linked there).
/// </summary>
internal static class ResourceSpecText
{
    public static string Of(TopicSpec t) =>
        $"topic {t.Name} labels=[{Labels(t.Labels)}] retention={t.MessageRetention}";

    public static string Of(SubscriptionSpec s) =>
        $"subscription {s.Name} topic={s.Topic} labels=[{Labels(s.Labels)}] ack={s.AckDeadline} retention={s.MessageRetention} " +
        $"filter={s.Filter ?? "(none)"} dead_letter={s.DeadLetter} push={s.PushEndpoint ?? "(none)"}";

    public static string Of(IndexSpec i) => $"index {i.CollectionGroup} {i.Scope} [{string.Join(", ", i.Fields.Select(f => $"{f.FieldPath} {f.Order}"))}]";

    public static string Of(FieldOverrideSpec f) =>
        $"field_override {f.CollectionGroup}.{f.FieldPath} ttl={f.Ttl?.ToString() ?? "(none)"} " +
        $"indexes={(f.Indexes is null ? "(none)" : "[" + string.Join(", ", f.Indexes.Select(i => $"{i.Order} {i.Scope}").Order(StringComparer.Ordinal)) + "]")}";

    private static string Labels(IReadOnlyDictionary<string, string> labels) =>
        string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}
