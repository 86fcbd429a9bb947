using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary>
/// Firestore's naming rules, new_id patterns, timestamp parsing and Pub/Sub's resource rules are written once in src/Seeding and compiled into
/// the generator as linked sources. These tests drive that one implementation from both ends: through the generator's
/// diagnostics and through the runtime's public API, which must agree on every input.
/// </summary>
public sealed class SharedRuleTests
{
    public static TheoryData<string, bool> Ids => new()
    {
        { "a", true }, { "platform-admin", true }, { "müller", true }, { "😀", true }, { "...", true }, { "__", true }, { "____", true },
        { "__a", true }, { "a__", true }, { "_a_", true }, { new string('a', 1500), true }, { new string('é', 750), true },
        { "a/b", false }, { ".", false }, { "..", false }, { "__a__", false }, { new string('a', 1501), false }, { new string('é', 751), false },
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_generator_and_the_runtime_accept_the_same_document_ids(string id, bool valid)
    {
        var yaml = $"create: roles\ndocuments:\n  - id: \"{id}\"\n    name: x\n";
        var compiles = !GeneratorHarness.Run(("migrations/pre/0001_ids.yaml", yaml)).Diagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Equal(valid, compiles);
        Assert.Equal(valid, Accepts(() => DocumentPath.Create("roles", id)));
    }

    [Theory]
    [InlineData("roles", true)]
    [InlineData("tenants/t1/users", true)]
    [InlineData("roles/admin", false)]
    [InlineData("a//b", false)]
    [InlineData("__x__", false)]
    public void The_runtime_checks_collection_paths_by_the_shared_rule(string path, bool valid) =>
        Assert.Equal(valid, Accepts(() => DocumentPath.ValidateCollectionPath(path)));

    [Theory]
    [InlineData("user", true)]
    [InlineData("User.Seeds", true)]
    [InlineData("9lives_v2-x", true)]
    [InlineData("-user", false)]
    [InlineData("my service", false)]
    [InlineData("müller", false)]
    public void The_generator_and_seeding_init_accept_the_same_service_names(string name, bool valid)
    {
        var diagnostics = GeneratorHarness.Run(("seeding.yaml", $"service: \"{name}\"\n"), ("migrations/pre/0001_a.yaml", "create: roles\ndocuments:\n  - { id: a }\n")).Diagnostics;
        Assert.Equal(valid, !diagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        Assert.Equal(valid, RuntimeServiceNameRule(name));
    }

    // This project sees the generator's internal copy of the linked rule and the runtime's public one under one name
    // (CS0433), so the runtime's is called through its assembly.
    private static bool RuntimeServiceNameRule(string name) =>
        (bool)typeof(SeedDefinition).Assembly.GetType("Seeding.Definitions.ServiceNameRule", throwOnError: true)!
            .GetMethod("IsValid")!.Invoke(null, [name])!;

    /// <summary>Firestore stores names as UTF-8, which cannot hold half a surrogate pair (not a theory: test case names cannot carry one).</summary>
    [Fact]
    public void Ids_with_a_lone_surrogate_are_rejected_and_surrogate_pairs_accepted()
    {
        foreach (var name in new[] { "lone\uD800", "\uDC00x", "ab\uDE00\uD83D" })
        {
            var id = Assert.Throws<ArgumentException>(() => DocumentPath.Create("roles", name));
            Assert.Contains("lone UTF-16 surrogate", id.Message, StringComparison.Ordinal);
            Assert.False(Accepts(() => DocumentPath.ValidateCollectionPath(name)));
        }

        Assert.True(Accepts(() => DocumentPath.Create("roles", "pair\uD83D\uDE00")));
    }

    [Theory]
    [InlineData("user-{hex:8}", true)]
    [InlineData("{hash:12}", true)]
    [InlineData("user", false)]
    [InlineData("user-{hex:3}", false)]
    [InlineData("user-{hash:65}", false)]
    [InlineData("user-{hex:8}-{id}", false)]
    [InlineData("a/{hex:8}", false)]
    [InlineData("__{hash:8}__", false)]
    public void The_generator_and_the_runtime_accept_the_same_new_id_patterns(string pattern, bool valid)
    {
        var yaml = $"create: users\nmatch: [email]\nnew_id: \"{pattern}\"\ndocuments:\n  - email: a@example.com\n";
        var compiles = !GeneratorHarness.Run(("migrations/pre/0001_users.yaml", yaml)).Diagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Equal(valid, compiles);
        Assert.Equal(valid, Accepts(() => SeedStep.CreateMatching("users", 1, [], ["email"], pattern)));
    }

    [Theory]
    [InlineData("2024-05-01T12:00:00Z", 1714564800000000L)]
    [InlineData("2024-05-01T12:00:00.123456Z", 1714564800123456L)]
    [InlineData("2024-05-01T12:00:00.1234567+02:00", 1714557600123456L)]
    [InlineData("2024-02-29T23:59:59-05:30", 1709270999000000L)]
    [InlineData("1970-01-01T00:00:00Z", 0L)]
    [InlineData("1969-12-31T23:59:59.9999999Z", -1L)]
    [InlineData(" 2024-05-01T12:00:00z ", 1714564800000000L)]
    public void Timestamps_parse_to_one_instant(string text, long micros) =>
        Assert.Equal(micros, Timestamp.Parse(text).UnixMicroseconds);

    [Theory]
    [InlineData("2024-05-01T12:00:00")]
    [InlineData("2024-05-01")]
    [InlineData("2024-05-01 12:00:00Z")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-02-30T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("tomorrow")]
    public void Invalid_timestamps_are_rejected_by_the_generator_and_the_runtime(string text)
    {
        Assert.False(Timestamp.TryParse(text, out _));
        var yaml = $"create: events\ndocuments:\n  - id: e1\n    at: !timestamp \"{text}\"\n";
        Assert.Contains(GeneratorHarness.Run(("migrations/pre/0001_events.yaml", yaml)).Diagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("audit-events", true)]
    [InlineData("A.b_c~d%e+f-g", true)]
    [InlineData("Goog-events", true)]
    [InlineData("ab", false)]
    [InlineData("goog-events", false)]
    [InlineData("google", false)]
    [InlineData("1-events", false)]
    [InlineData("-events", false)]
    [InlineData("audit/events", false)]
    [InlineData("audit events", false)]
    [InlineData("äudit-events", false)]
    [InlineData("audit-évents", false)]
    public void The_generator_and_the_runtime_accept_the_same_topic_and_subscription_ids(string id, bool valid)
    {
        Assert.Equal(valid, Compiles($"topic: \"{id}\"\n"));
        Assert.Equal(valid, Compiles($"steps:\n  - topic: t-one\n  - subscription: \"{id}\"\n    topic: t-one\n"));
        Assert.Equal(valid, RuntimeResourceRule("ValidatePubSubId", id, "topic") is null);
    }

    [Theory]
    [InlineData(255, true)]
    [InlineData(256, false)]
    public void Topic_ids_are_at_most_255_characters_for_both(int length, bool valid)
    {
        var id = "t" + new string('x', length - 1);
        Assert.Equal(valid, Compiles($"topic: {id}\n"));
        Assert.Equal(valid, RuntimeResourceRule("ValidatePubSubId", id, "topic") is null);
    }

    [Theory]
    [InlineData("team", "audit", true)]
    [InlineData("team_2-b", "", true)]
    [InlineData("équipe", "ünit", true)]
    [InlineData("Team", "audit", false)]
    [InlineData("2team", "audit", false)]
    [InlineData("_team", "audit", false)]
    [InlineData("team", "Audit", false)]
    [InlineData("team", "a.b", false)]
    [InlineData("team", "a b", false)]
    public void The_generator_and_the_runtime_accept_the_same_labels(string key, string value, bool valid)
    {
        Assert.Equal(valid, Compiles($"topic: t-one\nlabels: {{ \"{key}\": \"{value}\" }}\n"));
        Assert.Equal(valid, RuntimeResourceRule("ValidateLabelKey", key) is null && RuntimeResourceRule("ValidateLabelValue", value) is null);
    }

    [Theory]
    [InlineData(63, true)]
    [InlineData(64, false)]
    public void Label_keys_and_values_are_at_most_63_characters_for_both(int length, bool valid)
    {
        var text = new string('a', length);
        Assert.Equal(valid, Compiles($"topic: t-one\nlabels: {{ {text}: {text} }}\n"));
        Assert.Equal(valid, RuntimeResourceRule("ValidateLabelKey", text) is null && RuntimeResourceRule("ValidateLabelValue", text) is null);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Topics_carry_at_most_64_labels_for_both(int count, bool valid)
    {
        var labels = Enumerable.Range(0, count).Select(i => $"k{i}: v").ToArray();
        Assert.Equal(valid, Compiles($"topic: t-one\nlabels: {{ {string.Join(", ", labels)} }}\n"));
        Assert.Equal(valid, RuntimeResourceRule("ValidateLabelCount", count) is null);
    }

    /// <summary>Durations and the ranges of each setting: the message_retention of a topic and of a subscription, and ack_deadline.</summary>
    [Theory]
    [InlineData("message_retention", "ValidateTopicRetention", "10m", true)]
    [InlineData("message_retention", "ValidateTopicRetention", "31d", true)]
    [InlineData("message_retention", "ValidateTopicRetention", "744h", true)]
    [InlineData("message_retention", "ValidateTopicRetention", "745h", false)]
    [InlineData("message_retention", "ValidateTopicRetention", "599s", false)]
    [InlineData("message_retention", "ValidateTopicRetention", "7 d", false)]
    [InlineData("message_retention", "ValidateTopicRetention", "7D", false)]
    [InlineData("message_retention", "ValidateTopicRetention", "-1d", false)]
    [InlineData("message_retention", "ValidateTopicRetention", "+1d", false)]
    [InlineData("message_retention", "ValidateTopicRetention", "99999999999d", false)]
    [InlineData("message_retention", "ValidateTopicRetention", "d", false)]
    [InlineData("sub:message_retention", "ValidateSubscriptionRetention", "7d", true)]
    [InlineData("sub:message_retention", "ValidateSubscriptionRetention", "169h", true)]
    [InlineData("sub:message_retention", "ValidateSubscriptionRetention", "31d", true)]
    [InlineData("sub:message_retention", "ValidateSubscriptionRetention", "744h", true)]
    [InlineData("sub:message_retention", "ValidateSubscriptionRetention", "745h", false)]
    [InlineData("sub:message_retention", "ValidateSubscriptionRetention", "599s", false)]
    [InlineData("sub:ack_deadline", "ValidateAckDeadline", "10s", true)]
    [InlineData("sub:ack_deadline", "ValidateAckDeadline", "10m", true)]
    [InlineData("sub:ack_deadline", "ValidateAckDeadline", "11m", false)]
    [InlineData("sub:ack_deadline", "ValidateAckDeadline", "9s", false)]
    public void The_generator_and_the_runtime_accept_the_same_durations(string setting, string range, string text, bool valid)
    {
        var yaml = setting.StartsWith("sub:", StringComparison.Ordinal)
            ? $"steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    {setting[4..]}: \"{text}\"\n"
            : $"topic: t-one\n{setting}: \"{text}\"\n";
        Assert.Equal(valid, Compiles(yaml));
        var arguments = new object?[] { text, null };
        var parses = (bool)RuntimeResourceMethod("TryParseDuration").Invoke(null, arguments)!;
        Assert.Equal(valid, parses && RuntimeResourceRule(range, (TimeSpan)arguments[1]!) is null);
    }

    [Theory]
    [InlineData(600, "10m")]
    [InlineData(90, "90s")]
    [InlineData(5400, "90m")]
    [InlineData(604800, "7d")]
    [InlineData(7200, "2h")]
    [InlineData(0, "0s")]
    public void The_runtime_shows_durations_in_the_largest_exact_unit(int seconds, string shown) =>
        Assert.Equal(shown, RuntimeResourceMethod("FormatDuration").Invoke(null, [TimeSpan.FromSeconds(seconds)]));

    [Theory]
    [InlineData("https://audit.example.com/push", true)]
    [InlineData("https://127.0.0.1:8443/push?token=a", true)]
    [InlineData("http://audit.example.com/push", false)]
    [InlineData("/push", false)]
    [InlineData("audit.example.com/push", false)]
    [InlineData("ftp://audit.example.com/push", false)]
    public void The_generator_and_the_runtime_accept_the_same_push_endpoints(string endpoint, bool valid)
    {
        Assert.Equal(valid, Compiles($"steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    push_endpoint: \"{endpoint}\"\n"));
        Assert.Equal(valid, RuntimeResourceRule("ValidatePushEndpoint", endpoint) is null);
    }

    [Theory]
    [InlineData("email", true)]
    [InlineData("profile.email", true)]
    [InlineData("é.ü-x", true)]
    [InlineData("a..b", false)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    [InlineData("a.__x__", false)]
    public void The_generator_and_the_runtime_accept_the_same_index_field_paths(string path, bool valid)
    {
        Assert.Equal(valid, Compiles($"index: users\nfields:\n  - \"{path}\": ascending\n  - other: ascending\n"));
        Assert.Equal(valid, Compiles($"field_override: users\nfield: \"{path}\"\nttl: true\n"));
        Assert.Equal(valid, RuntimeResourceRule("ValidateFieldPath", path) is null);
    }

    [Theory]
    [InlineData("users", true)]
    [InlineData("tenants/t1/users", false)]
    [InlineData("__users__", false)]
    [InlineData("..", false)]
    public void The_generator_and_the_runtime_accept_the_same_collection_groups(string group, bool valid)
    {
        Assert.Equal(valid, Compiles($"index: \"{group}\"\nfields:\n  - a: ascending\n  - b: ascending\n"));
        Assert.Equal(valid, RuntimeResourceRule("ValidateCollectionGroup", group) is null);
    }

    private static bool Compiles(string yaml) =>
        !GeneratorHarness.Run(("migrations/pre/0001_resources.yaml", yaml)).Diagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);

    // As with ServiceNameRule: the generator's internal copy of ResourceRules and the runtime's public one share a name here.
    private static System.Reflection.MethodInfo RuntimeResourceMethod(string name) =>
        typeof(Seeding.Resources.TopicSpec).Assembly.GetType("Seeding.Resources.ResourceRules", throwOnError: true)!.GetMethod(name)!;

    private static string? RuntimeResourceRule(string name, params object[] arguments) => (string?)RuntimeResourceMethod(name).Invoke(null, arguments);

    private static bool Accepts(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return false;
        }
    }
}
