using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.CodeAnalysis;
using YamlDotNet.RepresentationModel;

namespace Seeding.Generators.Tests;

/// <summary>
/// The editor schemas (docs/schema) say what the generator says: every sample and every example of the format
/// validates, and each structurally wrong file is rejected by the schema and by the generator alike. YAML is read as
/// an editor's YAML language server reads it with the custom tags declared: a tagged node is its content.
/// </summary>
public sealed partial class EditorSchemaTests
{
    private static readonly Lazy<JsonSchema> SeedFileSchema = new(() => Load("seed-file.schema.json"));
    private static readonly Lazy<JsonSchema> SettingsSchema = new(() => Load("seeding.schema.json"));

    public static TheoryData<string> SampleFiles() => new(SampleFileNames());

    private static string[] SampleFileNames()
    {
        var seeds = Path.Combine(TestPaths.RepositoryRoot, "seeds");
        return Directory.EnumerateFiles(seeds, "*.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(seeds, file).Replace('\\', '/'))
            .Where(file => !file.Contains("/bin/", StringComparison.Ordinal) && !file.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Every_sample_file_validates(string relative)
    {
        var yaml = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "seeds", relative));
        var schema = Path.GetFileName(relative) == "seeding.yaml" ? SettingsSchema.Value : SeedFileSchema.Value;
        AssertValid(schema, yaml, relative);
    }

    [Fact]
    public void There_are_samples_of_both_kinds()
    {
        var files = SampleFileNames();
        Assert.Contains(files, f => f.EndsWith("/seeding.yaml", StringComparison.Ordinal));
        Assert.True(files.Count(f => f.Contains("/migrations/", StringComparison.Ordinal)) >= 5, string.Join(", ", files));
    }

    [Fact]
    public void Every_yaml_example_of_the_format_validates()
    {
        var markdown = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "seed-format.md"));
        var examples = YamlBlock().Matches(markdown).Select(m => m.Groups[1].Value).ToArray();
        Assert.True(examples.Length >= 8, $"expected the format's examples, found {examples.Length}");
        foreach (var yaml in examples)
        {
            var schema = yaml.StartsWith("# seeding.yaml\n", StringComparison.Ordinal) ? SettingsSchema.Value : SeedFileSchema.Value;
            AssertValid(schema, yaml, yaml);
        }
    }

    /// <summary>Structurally wrong seed files: the schema rejects each, and the generator reports an error for each.</summary>
    public static TheoryData<string, string> WrongSeedFiles() => new()
    {
        { "an unknown verb", "insert: roles\ndocuments:\n  - { id: a }\n" },
        { "a misspelt key", "create: roles\ndocument:\n  - { id: a }\n" },
        { "no verb", "description: Roles\ndocuments:\n  - { id: a }\n" },
        { "create without documents", "create: roles\nkey: id\n" },
        { "upsert without documents", "upsert: config\n" },
        { "documents that are not a list", "create: roles\ndocuments: { id: a }\n" },
        { "a document that is not a mapping", "create: roles\ndocuments: [admin, user]\n" },
        { "two verbs", "create: roles\nupsert: roles\ndocuments:\n  - { id: a }\n" },
        { "a collection that is a list", "create: [roles]\ndocuments:\n  - { id: a }\n" },
        { "a collection path with an even number of segments", "create: tenants/acme\ndocuments:\n  - { id: a }\n" },
        { "backfill without set", "backfill: resources\nwhere: { created_at: null }\n" },
        { "backfill with documents", "backfill: resources\nwhere: { a: null }\nset: { a: 1 }\ndocuments:\n  - { id: a }\n" },
        { "backfill with an empty set", "backfill: resources\nwhere: { a: null }\nset: {}\n" },
        { "a where condition that is a map", "backfill: resources\nwhere: { a: { b: 1 } }\nset: { a: 1 }\n" },
        { "backfill with type", "type: Acme.Role\nbackfill: resources\nwhere: { a: null }\nset: { a: 1 }\n" },
        { "match without new_id", "create: users\nmatch: [email]\ndocuments:\n  - { email: a@b.c }\n" },
        { "new_id without match", "create: users\nnew_id: user-{hex:8}\ndocuments:\n  - { email: a@b.c }\n" },
        { "match beside key", "create: users\nkey: email\nmatch: [email]\nnew_id: user-{hex:8}\ndocuments:\n  - { email: a@b.c }\n" },
        { "match on an upsert", "upsert: users\nmatch: [email]\nnew_id: user-{hex:8}\ndocuments:\n  - { email: a@b.c }\n" },
        { "new_id without a placeholder", "create: users\nmatch: [email]\nnew_id: user\ndocuments:\n  - { email: a@b.c }\n" },
        { "an empty match list", "create: users\nmatch: []\nnew_id: user-{hex:8}\ndocuments:\n  - { email: a@b.c }\n" },
        { "steps that are not a list", "steps:\n  create: roles\n  documents:\n    - { id: a }\n" },
        { "a verb beside steps", "create: roles\nsteps:\n  - upsert: config\n    documents:\n      - { id: a }\n" },
        { "a step that is not a mapping", "steps:\n  - create roles\n" },
        { "a step with an unknown key", "steps:\n  - creat: roles\n    documents:\n      - { id: a }\n" },
        { "a step without documents", "steps:\n  - upsert: config\n" },
        { "an empty environments list", "environments: []\ncreate: roles\ndocuments:\n  - { id: a }\n" },
        { "an environment that is a map", "environments: [{ name: dev }]\ncreate: roles\ndocuments:\n  - { id: a }\n" },
        { "a type that is not a C# name", "type: Acme Users Role\ncreate: roles\ndocuments:\n  - { id: a }\n" },
        { "a description that is a map", "description: { text: Roles }\ncreate: roles\ndocuments:\n  - { id: a }\n" },
        { "defaults that are a list", "create: roles\ndefaults: [a]\ndocuments:\n  - { id: a }\n" },
        { "a file that is a list", "- create: roles\n" },
        { "a topic with documents", "topic: audit-events\ndocuments: []\n" },
        { "a topic id starting with goog", "topic: goog-events\n" },
        { "a topic id that is too short", "topic: ab\n" },
        { "a subscription without its topic", "subscription: audit-writer\nack_deadline: 60s\n" },
        { "a duration without a unit", "topic: audit-events\nmessage_retention: 7\n" },
        { "a duration with a unit Pub/Sub does not take", "topic: audit-events\nmessage_retention: 1w\n" },
        { "an upper-case label key", "topic: audit-events\nlabels: { Team: audit }\n" },
        { "labels that are a list", "topic: audit-events\nlabels: [team]\n" },
        { "a dead letter without its topic", "subscription: s-one\ntopic: t-one\ndead_letter: { max_delivery_attempts: 5 }\n" },
        { "too many delivery attempts", "subscription: s-one\ntopic: t-one\ndead_letter: { topic: t-one, max_delivery_attempts: 200 }\n" },
        { "an http push endpoint", "subscription: s-one\ntopic: t-one\npush_endpoint: http://audit.example.com/push\n" },
        { "labels on a create step", "create: roles\nlabels: { team: a }\ndocuments:\n  - { id: a }\n" },
        { "a topic beside steps", "topic: t-one\nsteps:\n  - topic: t-two\n" },
        { "an index with one field", "index: users\nfields:\n  - email: ascending\n" },
        { "an index field with an unknown order", "index: users\nfields:\n  - tenant_id: up\n  - email: ascending\n" },
        { "an index field that is a name only", "index: users\nfields: [tenant_id, email]\n" },
        { "an index on a collection path", "index: tenants/t1/users\nfields:\n  - tenant_id: ascending\n  - email: ascending\n" },
        { "an unknown index scope", "index: users\nscope: everywhere\nfields:\n  - tenant_id: ascending\n  - email: ascending\n" },
        { "an index without fields", "index: users\n" },
        { "a field override with neither ttl nor indexes", "field_override: sessions\nfield: expires_at\n" },
        { "a field override without its field", "field_override: sessions\nttl: true\n" },
        { "a ttl that is not a boolean", "field_override: sessions\nfield: expires_at\nttl: yes\n" },
        { "a field index with an unknown key", "field_override: sessions\nfield: expires_at\nindexes: [{ order: ascending, mode: x }]\n" },
        { "an empty file", "" },
    };

    [Theory]
    [MemberData(nameof(WrongSeedFiles))]
    public void A_structurally_wrong_seed_file_is_rejected_by_the_schema_and_by_the_generator(string what, string yaml)
    {
        AssertInvalid(SeedFileSchema.Value, yaml, what);
        var run = GeneratorHarness.Run(("migrations/pre/0001_wrong.yaml", yaml));
        Assert.True(
            run.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("SEED", StringComparison.Ordinal)),
            $"{what}: the generator reported no error. Diagnostics: {string.Join("; ", run.Diagnostics)}");
    }

    public static TheoryData<string, string> WrongSettings() => new()
    {
        { "an unknown key", "servic: user\n" },
        { "a service name with a space", "service: user service\n" },
        { "a service that is a list", "service: [user]\n" },
        { "depends_on that is a map", "depends_on: { tenant: true }\n" },
        { "a namespace that is not a C# name", "namespace: 1Acme.Seeds\n" },
        { "an empty environments list", "environments: []\n" },
        { "settings that are a list", "- service: user\n" },
    };

    [Theory]
    [MemberData(nameof(WrongSettings))]
    public void A_structurally_wrong_seeding_yaml_is_rejected_by_the_schema_and_by_the_generator(string what, string yaml)
    {
        AssertInvalid(SettingsSchema.Value, yaml, what);
        var run = GeneratorHarness.Run(("seeding.yaml", yaml), ("migrations/pre/0001_roles.yaml", "create: roles\ndocuments:\n  - { id: a }\n"));
        Assert.True(
            run.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("SEED", StringComparison.Ordinal)),
            $"{what}: the generator reported no error. Diagnostics: {string.Join("; ", run.Diagnostics)}");
    }

    [Fact]
    public void The_schemas_name_no_address_of_their_own()
    {
        // Editors read the copies 'seeding init' puts in the service (.seeding/schema/), by a path relative to each
        // file: a schema needs no $id, and one naming a repository would point at an address that may not exist.
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "schema", "seed-file.schema.json")))!["$id"]);
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "schema", "seeding.schema.json")))!["$id"]);
    }

    [Fact]
    public void The_format_documents_the_custom_tags_for_editors()
    {
        var markdown = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "seed-format.md"));
        foreach (var tag in new[] { "!now scalar", "!timestamp scalar", "!ref scalar", "!ref:external scalar", "!geo sequence", "!bytes scalar", "!env scalar", "!env:safe scalar" })
        {
            Assert.Contains($"\"{tag}\"", markdown);
        }

        Assert.Contains("yaml.customTags", markdown);
    }

    private static JsonSchema Load(string file) =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "schema", file)));

    private static void AssertValid(JsonSchema schema, string yaml, string what)
    {
        var result = Evaluate(schema, yaml);
        Assert.True(result.IsValid, $"{what}\nis not valid against {schema.BaseUri}:\n{Describe(result)}");
    }

    private static void AssertInvalid(JsonSchema schema, string yaml, string what)
    {
        var result = Evaluate(schema, yaml);
        Assert.False(result.IsValid, $"{what}: the schema accepted\n{yaml}");
    }

    private static EvaluationResults Evaluate(JsonSchema schema, string yaml)
    {
        using var json = JsonDocument.Parse(YamlAsJson.Convert(yaml)?.ToJsonString() ?? "null");
        return schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults result) => string.Join(
        "\n",
        (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation}: {e.Key}: {e.Value}")));

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}

/// <summary>
/// YAML to JSON as the YAML language server sees a file whose custom tags are declared: a tagged node is its content
/// (a scalar as a string, a sequence as an array); untagged plain scalars follow the YAML 1.2 core schema.
/// </summary>
internal static partial class YamlAsJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Node(stream.Documents[0].RootNode);
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair => KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? string.Empty, Node(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Node).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        switch (tag)
        {
            case "tag:yaml.org,2002:str":
                return JsonValue.Create(text);
            case "tag:yaml.org,2002:null":
                return null;
            case "tag:yaml.org,2002:bool":
            case "tag:yaml.org,2002:int":
            case "tag:yaml.org,2002:float":
                return Plain(text) ?? JsonValue.Create(text);
            case null when scalar.Style == YamlDotNet.Core.ScalarStyle.Plain:
                return text.Length == 0 || NullWord().IsMatch(text) ? null : Plain(text) ?? JsonValue.Create(text);
            default:
                // Quoted, '!' (force a string) or a custom tag such as !now, !env NAME, !ref roles/admin: the content.
                return JsonValue.Create(text);
        }
    }

    private static JsonNode? Plain(string text)
    {
        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntegerOrFloat().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return null;
    }

    [GeneratedRegex("^(null|Null|NULL|~)$")]
    private static partial Regex NullWord();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex IntegerOrFloat();
}
