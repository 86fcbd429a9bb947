namespace Seeding.Generators.Tests;

/// <summary>Each way a resource step goes wrong, reported with its ID at the offending position (1-based line and column).</summary>
public sealed class ResourceDiagnosticTests
{
    private const string Pre = "migrations/pre/0001_resources.yaml";

    public static TheoryData<string, string, int, int, string> Cases => new()
    {
        // Ids by Pub/Sub's rules.
        { "SEED040", "topic: ab\n", 1, 8, "'ab' is 2 characters long; Pub/Sub allows 3 to 255" },
        { "SEED040", "topic: 1-events\n", 1, 8, "starts with '1'; a topic id starts with a letter" },
        { "SEED040", "topic: goog-events\n", 1, 8, "starts with 'goog', which Pub/Sub reserves" },
        { "SEED040", "topic: audit/events\n", 1, 8, "contains '/'" },
        { "SEED040", "subscription: \"audit events\"\ntopic: audit-events\n", 1, 15, "Invalid subscription id: 'audit events' contains 'U+0020'" },
        { "SEED040", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: x\n", 4, 12, "Invalid topic id: 'x' is 1 characters long" },
        { "SEED040", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    dead_letter: { topic: goog }\n", 5, 27, "starts with 'goog'" },

        // Labels.
        { "SEED041", "topic: t-one\nlabels: { Team: audit }\n", 2, 11, "label key 'Team' starts with 'T'; a label key starts with a lowercase letter" },
        { "SEED041", "topic: t-one\nlabels: { team: Audit }\n", 2, 17, "label value 'Audit' contains 'A'" },
        { "SEED041", "topic: t-one\nlabels: { team: " + new string('a', 64) + " }\n", 2, 17, "is 64 characters long; Pub/Sub allows at most 63" },
        { "SEED041", "topic: t-one\nlabels: { " + string.Join(", ", Enumerable.Range(0, 65).Select(i => $"k{i}: v")) + " }\n", 2, 1, "65 labels; Pub/Sub allows at most 64" },

        // Durations, ranges and the other settings.
        { "SEED042", "topic: t-one\nmessage_retention: 7 days\n", 2, 20, "'7 days' is not a duration; write a whole number with a unit" },
        { "SEED042", "topic: t-one\nmessage_retention: 1.5d\n", 2, 20, "is not a duration" },
        { "SEED042", "topic: t-one\nmessage_retention: 32d\n", 2, 20, "32d is too long for a topic's message retention; Pub/Sub allows 10m to 31d" },
        { "SEED042", "topic: t-one\nmessage_retention: 9m\n", 2, 20, "allows 10m to 31d" },
        { "SEED042", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    message_retention: 32d\n", 5, 24, "32d is too long for a subscription's message retention; Pub/Sub allows 10m to 31d" },
        { "SEED042", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    ack_deadline: 9s\n", 5, 19, "9s is too short for an acknowledgement deadline; Pub/Sub allows 10s to 10m" },
        { "SEED042", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    ack_deadline: 601s\n", 5, 19, "601s is too long" },
        { "SEED042", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    dead_letter: { topic: t-one, max_delivery_attempts: 4 }\n", 5, 57, "4 delivery attempts are too few; Pub/Sub allows 5 to 100" },
        { "SEED042", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    dead_letter: { topic: t-one, max_delivery_attempts: 101 }\n", 5, 57, "101 delivery attempts are too many" },
        { "SEED042", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    push_endpoint: http://audit.example.com/push\n", 5, 20, "is not https; Pub/Sub pushes only to https endpoints" },
        { "SEED042", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    push_endpoint: /push\n", 5, 20, "is not an absolute URL" },
        { "SEED042", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    filter: \"" + new string('a', 257) + "\"\n", 5, 13, "the filter is 257 bytes long; Pub/Sub allows at most 256" },

        // Shapes, unknown and missing keys.
        { "SEED004", "topic: t-one\ndocuments: []\n", 2, 1, "Unknown key 'documents' in a topic step. Allowed keys: topic, labels, message_retention, description, when, environments." },
        { "SEED004", "topic: t-one\nack_deadline: 10s\n", 2, 1, "Unknown key 'ack_deadline' in a topic step" },
        { "SEED004", "index: users\nttl: true\nfields: [{ a: ascending }, { b: ascending }]\n", 2, 1, "Unknown key 'ttl' in an index step" },
        { "SEED004", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    dead_letter: { topic: t-one, attempts: 5 }\n", 5, 34, "Unknown key 'attempts' in 'dead_letter:'. Did you mean 'max_delivery_attempts'?" },
        { "SEED004", "field_override: sessions\nfield: expires_at\nindexes: [{ order: ascending, mode: x }]\n", 3, 31, "in a field index. Allowed keys: order, scope." },
        { "SEED005", "subscription: s-one\nack_deadline: 10s\n", 1, 1, "needs 'topic: <id>'" },
        { "SEED005", "index: users\n", 1, 1, "needs 'fields:'" },
        { "SEED005", "field_override: sessions\nttl: true\n", 1, 1, "needs 'field: <path>'" },
        { "SEED005", "field_override: sessions\nfield: expires_at\n", 1, 1, "needs 'ttl:' or 'indexes:'" },
        { "SEED005", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    dead_letter: { max_delivery_attempts: 5 }\n", 5, 18, "'dead_letter:' needs 'topic: <id>'" },
        { "SEED003", "topic: [t-one]\n", 1, 8, "'topic:' must be a topic id" },
        { "SEED003", "topic: t-one\nlabels: [team]\n", 2, 9, "'labels:' must be a mapping" },
        { "SEED003", "topic: t-one\nmessage_retention: null\n", 2, 20, "must be a whole number with a unit" },
        { "SEED003", "index: users\nscope: everywhere\nfields: [{ a: ascending }, { b: ascending }]\n", 2, 8, "'scope:' must be collection" },
        { "SEED003", "index: users\nfields: [{ a: up }, { b: ascending }]\n", 2, 15, "The order of 'a' must be ascending, descending or contains" },
        { "SEED003", "index: users\nfields: [a, b]\n", 2, 10, "An index field must be a mapping of one field path to its order" },
        { "SEED003", "field_override: sessions\nfield: expires_at\nttl: yes\n", 3, 6, "'ttl:' must be true" },
        { "SEED003", "field_override: sessions\nfield: expires_at\nindexes: ascending\n", 3, 10, "'indexes:' must be a list" },
        { "SEED022", "create: roles\nlabels: { team: a }\ndocuments: []\n", 2, 1, "'labels:' conflicts with 'create:': it belongs to topic steps and subscription steps" },
        { "SEED022", "create: roles\ntopic: t-one\ndocuments: []\n", 2, 1, "a step has one verb" },
        { "SEED022", "type: Acme.Role\ntopic: t-one\n", 1, 7, "'type:' conflicts with 'topic:'" },
        { "SEED026", "topic: !env TOPIC\n", 1, 8, "resource names and settings are fixed parts of the seed file" },

        // Indexes.
        { "SEED045", "index: users\nfields: [{ email: ascending }]\n", 2, 1, "Invalid index: it has 1 field; a composite index needs at least two" },
        { "SEED045", "index: users\nfields: [{ email: ascending }, { email: descending }]\n", 2, 34, "field 'email' is listed twice" },
        { "SEED045", "index: users\nfields: [{ a: contains }, { b: contains }]\n", 2, 32, "a second 'contains' field; Firestore allows at most one array-contains field per index" },
        { "SEED045", "index: tenants/t1/users\nfields: [{ a: ascending }, { b: ascending }]\n", 1, 8, "'tenants/t1/users' is a path; an index names a collection group" },
        { "SEED045", "field_override: __x__\nfield: a\nttl: true\n", 1, 17, "Invalid field override: '__x__' matches __.*__" },
        { "SEED045", "field_override: sessions\nfield: a\nindexes: [ascending, { order: ascending }]\n", 3, 22, "the index ascending (collection) is listed twice" },
        { "SEED016", "index: users\nfields: [{ profile..email: ascending }, { b: ascending }]\n", 2, 12, "field path 'profile..email' has an empty name between dots" },
        { "SEED016", "field_override: sessions\nfield: __expires__\nttl: true\n", 2, 8, "field name '__expires__' matches __.*__" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsReportedAtTheOffendingPositionWithItsReason(string id, string yaml, int line, int column, string message)
    {
        var diagnostic = DiagnosticTests.AssertReported(GeneratorHarness.Run((Pre, yaml)), id, Pre, line, column);
        Assert.Contains(message, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("topic: a-b\n")]
    [InlineData("topic: A.b_c~d%e+f-g\n")]
    [InlineData("topic: Goo-events\n")]
    public void ValidIdsCompile(string yaml) => GeneratorHarness.Run((Pre, yaml)).AssertClean();
}
