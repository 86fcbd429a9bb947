using Microsoft.CodeAnalysis;
using Seeding.Definitions;
using Seeding.Resources;

namespace Seeding.Generators.Tests;

/// <summary>
/// Topic, subscription, index and field_override steps: what the generated definitions hold (read back through the
/// runtime's public types), how they take part in the checksum and conditions, and the checks across a service's files.
/// </summary>
public sealed class ResourceStepTests
{
    [Fact]
    public void Topics_and_subscriptions_become_specs_with_every_declared_setting()
    {
        var run = GeneratorHarness.Run((SeedSamples.AuditTopicsPath, SeedSamples.AuditTopics)).AssertClean();
        var steps = SeedLanguageTests.Definition(run, "Pre0002AuditTopics").Steps;

        Assert.Equal(["topic audit-events", "topic audit-events-dead-letter", "subscription audit-writer", "subscription audit-archiver"], steps.Select(s => $"{s.Verb} {s.Collection}"));
        Assert.Equal([3, 6, 7, 14], steps.Select(s => s.Line));
        Assert.All(steps, s => Assert.Empty(s.Documents));

        var topic = Assert.IsType<TopicStep>(steps[0]).Spec;
        Assert.Equal("audit-events", topic.Name);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "audit", ["tier"] = "1" }, topic.Labels);
        Assert.Equal(TimeSpan.FromDays(7), topic.MessageRetention);

        var bare = Assert.IsType<TopicStep>(steps[1]).Spec;
        Assert.Empty(bare.Labels);
        Assert.Null(bare.MessageRetention);

        var writer = Assert.IsType<SubscriptionStep>(steps[2]).Spec;
        Assert.Equal(("audit-writer", "audit-events"), (writer.Name, writer.Topic));
        Assert.Equal(TimeSpan.FromSeconds(60), writer.AckDeadline);
        Assert.Equal(TimeSpan.FromDays(7), writer.MessageRetention);
        Assert.Equal("attributes.kind = \"audit\"", writer.Filter);
        Assert.Equal(new DeadLetterPolicy("audit-events-dead-letter", 5), writer.DeadLetter);
        Assert.Null(writer.PushEndpoint);
        Assert.True(steps[2].Conditions.Environments is null or { Count: 0 });

        var archiver = Assert.IsType<SubscriptionStep>(steps[3]).Spec;
        Assert.Equal("https://audit.example.com/push", archiver.PushEndpoint);
        Assert.Null(archiver.AckDeadline);
        Assert.Equal(["production"], steps[3].Conditions.Environments!);
    }

    [Fact]
    public void Indexes_and_field_overrides_become_specs()
    {
        var run = GeneratorHarness.Run((SeedSamples.UserIndexesPath, SeedSamples.UserIndexes)).AssertClean();
        var steps = SeedLanguageTests.Definition(run, "Pre0003UserIndexes").Steps;

        var users = Assert.IsType<IndexStep>(steps[0]).Spec;
        Assert.True(users.SameIndexAs(new IndexSpec("users", IndexScope.Collection, [new("tenant_id", IndexOrder.Ascending), new("email", IndexOrder.Ascending)])));
        var members = Assert.IsType<IndexStep>(steps[1]).Spec;
        Assert.True(members.SameIndexAs(new IndexSpec("members", IndexScope.CollectionGroup, [new("roles", IndexOrder.Contains), new("profile.joined_at", IndexOrder.Descending)])));

        var sessions = Assert.IsType<FieldOverrideStep>(steps[2]).Spec;
        Assert.Equal(("sessions", "expires_at", (bool?)true), (sessions.CollectionGroup, sessions.FieldPath, sessions.Ttl));
        Assert.Equal([new FieldIndex(IndexOrder.Ascending, IndexScope.Collection), new FieldIndex(IndexOrder.Descending, IndexScope.CollectionGroup)], sessions.Indexes!);
        Assert.Equal("field_override sessions.expires_at", $"{steps[2].Verb} {steps[2].Collection}");

        var payload = Assert.IsType<FieldOverrideStep>(steps[3]).Spec;
        Assert.NotNull(payload.Indexes);
        Assert.Empty(payload.Indexes!);
        Assert.Null(payload.Ttl);
    }

    [Fact]
    public void Resource_steps_mix_with_document_steps_and_take_file_conditions()
    {
        const string Yaml = """
            environments: [staging]
            when: !env AUDIT_ENABLED
            steps:
              - create: audit_sinks
                documents:
                  - { id: main, topic: audit-events }
              - topic: audit-events
                message_retention: 90m
            """;
        var run = GeneratorHarness.Run(("bootstrap/audit.yaml", Yaml)).AssertClean();
        var steps = SeedLanguageTests.Definition(run, "BootstrapAudit").Steps;
        Assert.Equal(["create", "topic"], steps.Select(s => s.Verb));
        var topic = Assert.IsType<TopicStep>(steps[1]);
        Assert.Equal(TimeSpan.FromMinutes(90), topic.Spec.MessageRetention);
        Assert.Equal("AUDIT_ENABLED", topic.Conditions.When);
        Assert.Equal(["staging"], topic.Conditions.Environments!);
    }

    [Fact]
    public void Booleans_and_integers_are_read_by_the_YAML_core_schema()
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_core.yaml", """
            steps:
              - topic: t-one
              - subscription: s-one
                topic: t-one
                dead_letter: { topic: t-one, max_delivery_attempts: 0x10 }
              - field_override: sessions
                field: expires_at
                ttl: False
            """)).AssertClean();
        var steps = SeedLanguageTests.Definition(run, "Pre0001Core").Steps;
        Assert.Equal(16, Assert.IsType<SubscriptionStep>(steps[1]).Spec.DeadLetter!.MaxDeliveryAttempts);
        Assert.False(Assert.IsType<FieldOverrideStep>(steps[2]).Spec.Ttl);
    }

    [Fact]
    public void A_resource_step_is_part_of_the_checksum()
    {
        string Checksum(string yaml) => SeedLanguageTests.Definition(GeneratorHarness.Run(("migrations/pre/0001_topics.yaml", yaml)).AssertClean(), "Pre0001Topics").Checksum;

        var original = Checksum("topic: audit-events\nmessage_retention: 7d\n");
        Assert.Equal(original, Checksum("# comment\nmessage_retention: 7d   \ntopic: 'audit-events'\n"));
        Assert.NotEqual(original, Checksum("topic: audit-events\nmessage_retention: 6d\n"));
        Assert.NotEqual(original, Checksum("topic: audit-events-2\nmessage_retention: 7d\n"));
    }

    [Fact]
    public void The_same_topic_with_the_same_settings_in_two_files_is_fine()
    {
        const string Topic = "topic: audit-events\nlabels: { team: audit }\nmessage_retention: 1d\n";
        GeneratorHarness.Run(("migrations/pre/0001_topics.yaml", Topic), ("bootstrap/topics.yaml", "message_retention: 24h\nlabels: { team: audit }\ntopic: audit-events\n")).AssertClean();
    }

    [Fact]
    public void The_same_topic_with_other_settings_is_an_error_at_both_declarations()
    {
        var run = GeneratorHarness.Run(
            ("migrations/pre/0001_topics.yaml", "topic: audit-events\nlabels: { team: audit }\nmessage_retention: 1d\n"),
            ("bootstrap/topics.yaml", "description: x\ntopic: audit-events\nlabels: { team: ops }\n"));
        var first = DiagnosticTests.AssertReported(run, "SEED047", "bootstrap/topics.yaml", 2, 8);
        Assert.Equal(
            "The topic 'audit-events' is also declared at migrations/pre/0001_topics.yaml line 1, column 8, with other settings (labels, message_retention). Declare it once, or with the same settings everywhere; to change an existing one's settings, declare them in one bootstrap file, which updates the settings that differ.",
            first.GetMessage());
        var both = run.Diagnostics.Where(d => d.Id == "SEED047").Select(d => (d.Location.GetLineSpan().Path, d.Location.GetLineSpan().StartLinePosition.Line + 1)).ToList();
        Assert.Equal([(GeneratorHarness.PathOf("bootstrap/topics.yaml"), 2), (GeneratorHarness.PathOf("migrations/pre/0001_topics.yaml"), 1)], both);
    }

    [Fact]
    public void A_subscription_to_another_topic_under_the_same_name_is_an_error()
    {
        var run = GeneratorHarness.Run(
            ("migrations/pre/0001_a.yaml", "steps:\n  - topic: t-one\n  - topic: t-two\n  - subscription: s-one\n    topic: t-one\n"),
            ("migrations/pre/0002_b.yaml", "subscription: s-one\ntopic: t-two\n"));
        var diagnostic = DiagnosticTests.AssertReported(run, "SEED047", "migrations/pre/0001_a.yaml", 4, 19);
        Assert.Contains("(topic)", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_index_in_two_files_is_an_error_pointing_at_both()
    {
        const string Index = "index: users\nfields:\n  - tenant_id: ascending\n  - email: ascending\n";
        var run = GeneratorHarness.Run(("migrations/pre/0003_user_indexes.yaml", Index), ("migrations/pre/0004_more.yaml", "description: again\n" + Index));
        var first = DiagnosticTests.AssertReported(run, "SEED046", "migrations/pre/0003_user_indexes.yaml", 1, 8);
        Assert.Contains("is also declared at migrations/pre/0004_more.yaml line 2, column 8.", first.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(2, run.Diagnostics.Count);
        var later = run.Diagnostics[1];
        Assert.Equal(("SEED046", GeneratorHarness.PathOf("migrations/pre/0004_more.yaml"), 1), (later.Id, later.Location.GetLineSpan().Path, later.Location.GetLineSpan().StartLinePosition.Line));
        Assert.Equal(
            "The index users (tenant_id ascending, email ascending) is also declared at migrations/pre/0003_user_indexes.yaml line 1, column 8. Firestore holds one of each: remove one of the declarations.",
            later.GetMessage());
    }

    [Fact]
    public void Indexes_differing_in_scope_or_field_order_are_different_indexes()
    {
        GeneratorHarness.Run(("migrations/pre/0001_indexes.yaml", """
            steps:
              - index: users
                fields: [{ tenant_id: ascending }, { email: ascending }]
              - index: users
                scope: collection_group
                fields: [{ tenant_id: ascending }, { email: ascending }]
              - index: users
                fields: [{ email: ascending }, { tenant_id: ascending }]
              - index: users
                fields: [{ tenant_id: ascending }, { email: descending }]
            """)).AssertClean();
    }

    [Fact]
    public void The_same_field_override_twice_is_an_error_even_in_one_file()
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_fields.yaml", "steps:\n  - field_override: sessions\n    field: expires_at\n    ttl: true\n  - field_override: sessions\n    field: expires_at\n    indexes: []\n"));
        var diagnostic = DiagnosticTests.AssertReported(run, "SEED046", "migrations/pre/0001_fields.yaml", 2, 21);
        Assert.Contains("field override sessions.expires_at is also declared at migrations/pre/0001_fields.yaml line 5, column 21", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_subscription_to_an_undeclared_topic_is_a_warning_and_still_compiles()
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_subs.yaml", "subscription: s-one\ntopic: elsewhere\ndead_letter: { topic: also-elsewhere }\n"));
        var topic = DiagnosticTests.AssertReported(run, "SEED043", "migrations/pre/0001_subs.yaml", 2, 8);
        Assert.Equal("Topic 'elsewhere' is declared by no seed file of this service. Check the name, or declare it with 'topic: elsewhere' (or suppress SEED043 when another service or tool creates it).", topic.GetMessage());
        var deadLetter = run.Diagnostics.Last();
        Assert.Equal("SEED043", deadLetter.Id);
        Assert.StartsWith("Dead-letter topic 'also-elsewhere'", deadLetter.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(2, run.Diagnostics.Count);

        var spec = Assert.IsType<SubscriptionStep>(Assert.Single(SeedLanguageTests.Definition(run, "Pre0001Subs").Steps)).Spec;
        Assert.Equal(new DeadLetterPolicy("also-elsewhere", 5), spec.DeadLetter);
    }

    [Fact]
    public void A_topic_declared_in_another_phase_counts_as_declared()
    {
        GeneratorHarness.Run(
            ("bootstrap/topics.yaml", "topic: audit-events\n"),
            ("migrations/post/0001_subs.yaml", "subscription: audit-writer\ntopic: audit-events\n")).AssertClean();
    }

    [Theory]
    [InlineData("bootstrap/indexes.yaml", "a bootstrap file")]
    [InlineData("migrations/post/0001_indexes.yaml", "a post-deploy migration")]
    public void Indexes_outside_pre_deploy_migrations_are_errors_saying_why(string path, string where)
    {
        var run = GeneratorHarness.Run((path, "steps:\n  - topic: fine-here\n  - field_override: sessions\n    field: expires_at\n    ttl: true\n"));
        var diagnostic = DiagnosticTests.AssertReported(run, "SEED044", path, 3, 21);
        Assert.Contains($"'field_override:' steps belong in pre-deploy migrations, not in {where}", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("Move this step to a file under migrations/pre/", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(run.HintNames, h => h.StartsWith(path.StartsWith("bootstrap", StringComparison.Ordinal) ? "Bootstrap" : "Post", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_with_a_resource_error_generates_no_class()
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_topics.yaml", "steps:\n  - topic: ok-topic\n  - topic: goog-topic\n"));
        Assert.Contains(run.Diagnostics, d => d.Id == "SEED040");
        Assert.DoesNotContain("Pre0001Topics.g.cs", run.HintNames);
    }
}
