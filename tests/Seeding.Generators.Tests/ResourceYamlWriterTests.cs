using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Resources;

namespace Seeding.Generators.Tests;

/// <summary>
/// The resource-step writer (<c>seeding pull --topics --subscriptions --indexes</c>) against the generator's own reader:
/// what it writes compiles with no diagnostic and reads back as the very same specs, in the documented format.
/// </summary>
public sealed class ResourceYamlWriterTests
{
    private const string Path = "migrations/pre/0001_pulled.yaml";

    private static readonly TopicSpec[] Topics =
    [
        new("audit-events") { Labels = Labels(("team", "audit"), ("tier", "1")), MessageRetention = TimeSpan.FromDays(7) },
        new("audit-events-dead-letter"),
        new("Zeta.topic_~%+x") { MessageRetention = TimeSpan.FromMinutes(90) },
    ];

    private static readonly SubscriptionSpec[] Subscriptions =
    [
        new("audit-writer", "audit-events")
        {
            Labels = Labels(("team", "audit")),
            AckDeadline = TimeSpan.FromSeconds(45),
            MessageRetention = TimeSpan.FromHours(36),
            Filter = "attributes.kind = \"audit\" AND NOT attributes:yes",
            DeadLetter = new DeadLetterPolicy("audit-events-dead-letter", 12),
        },
        new("audit-archiver", "audit-events") { PushEndpoint = "https://audit.example.com/push?x=1#y", DeadLetter = new DeadLetterPolicy("audit-events-dead-letter", 5) },
        new("bare", "Zeta.topic_~%+x"),
    ];

    private static readonly IndexSpec[] Indexes =
    [
        new("users", IndexScope.Collection, [new("tenant_id", IndexOrder.Ascending), new("email", IndexOrder.Ascending)]),
        new("members", IndexScope.CollectionGroup, [new("roles", IndexOrder.Contains), new("profile.joined-at", IndexOrder.Descending), new("2nd", IndexOrder.Ascending)]),
    ];

    private static readonly FieldOverrideSpec[] FieldOverrides =
    [
        new("sessions", "expires_at") { Ttl = true },
        new("events", "payload") { Indexes = [] },
        new("members", "profile.e-mail") { Indexes = [new(IndexOrder.Descending, IndexScope.CollectionGroup), new(IndexOrder.Ascending, IndexScope.Collection)], Ttl = false },
        new("logs", "at") { Indexes = [new(IndexOrder.Descending, IndexScope.Collection), new(IndexOrder.Ascending, IndexScope.Collection)] },
    ];

    [Fact]
    public void Every_setting_compiles_without_a_diagnostic_and_reads_back_as_the_same_specs()
    {
        var yaml = Write();

        var run = GeneratorHarness.Run((Path, yaml)).AssertClean();
        var steps = SeedLanguageTests.Definition(run, "Pre0001Pulled").Steps;

        Assert.Equal(
            Topics.Select(ResourceSpecText.Of).Order(StringComparer.Ordinal),
            steps.OfType<TopicStep>().Select(s => ResourceSpecText.Of(s.Spec)).Order(StringComparer.Ordinal));
        Assert.Equal(
            Subscriptions.Select(ResourceSpecText.Of).Order(StringComparer.Ordinal),
            steps.OfType<SubscriptionStep>().Select(s => ResourceSpecText.Of(s.Spec)).Order(StringComparer.Ordinal));
        Assert.Equal(
            Indexes.Select(ResourceSpecText.Of).Order(StringComparer.Ordinal),
            steps.OfType<IndexStep>().Select(s => ResourceSpecText.Of(s.Spec)).Order(StringComparer.Ordinal));
        Assert.Equal(
            FieldOverrides.Select(ResourceSpecText.Of).Order(StringComparer.Ordinal),
            steps.OfType<FieldOverrideStep>().Select(s => ResourceSpecText.Of(s.Spec)).Order(StringComparer.Ordinal));
        Assert.Equal(Topics.Length + Subscriptions.Length + Indexes.Length + FieldOverrides.Length, steps.Count);
    }

    [Fact]
    public void The_same_resources_in_any_order_give_the_same_bytes()
    {
        var first = Write();
        var second = ResourceYamlWriter.SeedFile(
            ["Pulled by 'seeding pull' from:", "  pubsub-emulator:127.0.0.1:8085/projects/demo"], "Pulled",
            Topics.Reverse(), Subscriptions.Reverse(), Indexes.Reverse(), FieldOverrides.Reverse());

        Assert.Equal(first, second);
        Assert.DoesNotContain("\r", first, StringComparison.Ordinal);
        Assert.EndsWith("\n", first, StringComparison.Ordinal);
    }

    [Fact]
    public void The_output_is_the_documented_format_with_the_header_first_and_defaults_left_out()
    {
        var yaml = ResourceYamlWriter.SeedFile(
            ["Pulled by 'seeding pull' from:", "  pubsub:projects/p"], "Pulled from pubsub:projects/p",
            [Topics[0], Topics[1]], [Subscriptions[0], Subscriptions[1]], [Indexes[0], Indexes[1]], [FieldOverrides[0], FieldOverrides[2]]);

        Assert.Equal(
            """
            # Pulled by 'seeding pull' from:
            #   pubsub:projects/p
            description: "Pulled from pubsub:projects/p"
            steps:
              - topic: audit-events
                labels: { team: audit, tier: "1" }
                message_retention: 7d
              - topic: audit-events-dead-letter
              - subscription: audit-archiver
                topic: audit-events
                dead_letter: { topic: audit-events-dead-letter }
                push_endpoint: "https://audit.example.com/push?x=1#y"
              - subscription: audit-writer
                topic: audit-events
                labels: { team: audit }
                ack_deadline: 45s
                message_retention: 36h
                filter: "attributes.kind = \"audit\" AND NOT attributes:yes"
                dead_letter: { topic: audit-events-dead-letter, max_delivery_attempts: 12 }
              - index: members
                scope: collection_group
                fields:
                  - roles: contains
                  - profile.joined-at: descending
                  - "2nd": ascending
              - index: users
                fields:
                  - tenant_id: ascending
                  - email: ascending
              - field_override: members
                field: profile.e-mail
                ttl: false
                indexes: [{ order: ascending, scope: collection }, { order: descending, scope: collection_group }]
              - field_override: sessions
                field: expires_at
                ttl: true

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            yaml);
    }

    [Fact]
    public void Nothing_to_write_is_refused_rather_than_a_file_the_build_rejects() =>
        Assert.Throws<ArgumentException>(() => ResourceYamlWriter.SeedFile(["x"], "Pulled", [], [], [], []));

    private static string Write() => ResourceYamlWriter.SeedFile(
        ["Pulled by 'seeding pull' from:", "  pubsub-emulator:127.0.0.1:8085/projects/demo"], "Pulled",
        Topics, Subscriptions, Indexes, FieldOverrides);

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) => labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
}
