using Seeding.Generators.Descriptors;

namespace Seeding.Generators.Tests;

/// <summary>
/// Record names come from collection names: the collection's last word made singular, then PascalCase. The word
/// list holds the tricky cases both ways: each plural becomes its singular, and each singular stays as it is.
/// </summary>
public sealed class NamingTests
{
    public static TheoryData<string, string> Plurals => new()
    {
        // The samples' collections.
        { "users", "user" }, { "roles", "role" }, { "tenants", "tenant" }, { "user_statuses", "user_status" }, { "license_plans", "license_plan" },
        { "survey_questions", "survey_question" }, { "audit_event_types", "audit_event_type" }, { "resources", "resource" }, { "recommendations", "recommendation" },
        // -uses: status, bonus, campus; but house, cause, use.
        { "statuses", "status" }, { "buses", "bus" }, { "bonuses", "bonus" }, { "viruses", "virus" }, { "campuses", "campus" }, { "geniuses", "genius" },
        { "focuses", "focus" }, { "houses", "house" }, { "warehouses", "warehouse" }, { "causes", "cause" }, { "clauses", "clause" }, { "uses", "use" },
        { "excuses", "excuse" }, { "courses", "course" },
        // -sses, -xes, -ches, -shes, -zzes.
        { "addresses", "address" }, { "email_addresses", "email_address" }, { "classes", "class" }, { "processes", "process" }, { "businesses", "business" },
        { "boxes", "box" }, { "taxes", "tax" }, { "indexes", "index" }, { "inboxes", "inbox" }, { "matches", "match" }, { "batches", "batch" },
        { "branches", "branch" }, { "caches", "cache" }, { "niches", "niche" }, { "wishes", "wish" }, { "hashes", "hash" }, { "buzzes", "buzz" }, { "quizzes", "quiz" },
        // -ies.
        { "categories", "category" }, { "companies", "company" }, { "policies", "policy" }, { "countries", "country" }, { "entries", "entry" },
        { "properties", "property" }, { "movies", "movie" }, { "cookies", "cookie" }, { "pies", "pie" }, { "ties", "tie" },
        // Regular -s, including words that end like the rules above.
        { "days", "day" }, { "keys", "key" }, { "surveys", "survey" }, { "settings", "setting" }, { "feature_flags", "feature_flag" }, { "cases", "case" },
        { "responses", "response" }, { "databases", "database" }, { "phases", "phase" }, { "shoes", "shoe" }, { "photos", "photo" }, { "archives", "archive" },
        { "topics", "topic" }, { "metrics", "metric" }, { "areas", "area" }, { "ids", "id" }, { "sizes", "size" },
        // Irregular.
        { "people", "person" }, { "children", "child" }, { "women", "woman" }, { "mice", "mouse" }, { "criteria", "criterion" }, { "indices", "index" },
        { "analyses", "analysis" }, { "axes", "axis" }, { "aliases", "alias" }, { "heroes", "hero" }, { "wolves", "wolf" }, { "leaves", "leaf" }, { "cacti", "cactus" },
        // camelCase and PascalCase collections: the last word, its capital kept.
        { "userStatuses", "userStatus" }, { "UserStatuses", "UserStatus" }, { "emailAddresses", "emailAddress" }, { "PeopleGroups", "PeopleGroup" },
        { "groupPeople", "groupPerson" }, { "Categories", "Category" },
    };

    public static TheoryData<string> Singulars => new()
    {
        "status", "user_status", "address", "box", "category", "person", "child", "news", "series", "species", "data", "metadata", "media",
        "info", "analysis", "axis", "bus", "campus", "class", "access", "business", "alias", "gas", "lens", "index", "match", "house", "use",
        "movie", "setting", "config", "inventory", "tenant", "feedback", "analytics", "sheep", "userStatus", "UserStatus",
        // Nothing to singularize: no lower-case last word, capitals, digits.
        "events_v2", "USERS", "URLs", "x", "s", "_", "",
    };

    [Theory]
    [MemberData(nameof(Plurals))]
    public void A_plural_collection_becomes_its_singular(string plural, string singular) =>
        Assert.Equal(singular, Naming.Singularize(plural));

    [Theory]
    [MemberData(nameof(Plurals))]
    public void A_singular_stays_singular(string plural, string singular)
    {
        _ = plural;
        Assert.Equal(singular, Naming.Singularize(singular));
    }

    [Theory]
    [MemberData(nameof(Singulars))]
    public void A_word_already_singular_or_without_a_plural_stays(string word) =>
        Assert.Equal(word, Naming.Singularize(word));

    [Theory]
    [InlineData("user_statuses", "UserStatus", "UserStatuses")]
    [InlineData("email_addresses", "EmailAddress", "EmailAddresses")]
    [InlineData("people", "Person", "People")]
    [InlineData("news", "NewsDocument", "News")]
    public void The_generated_record_and_list_take_the_names(string collection, string record, string list)
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_named.yaml", $"create: {collection}\ndocuments:\n  - {{ id: a, name: x }}\n")).AssertClean();
        var source = run.Source("Pre0001Named.g.cs");
        Assert.Contains($"public sealed partial record {record}(", source, StringComparison.Ordinal);
        Assert.Contains($"IReadOnlyList<{record}> {list} {{ get; }}", source, StringComparison.Ordinal);
    }
}
