using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary><c>type: Namespace.Type</c>: documents bound to an existing C# type, through the generator's public surface.</summary>
public sealed class TypeBindingTests
{
    private const string Pre = "migrations/pre/0001_bound_roles.yaml";

    public const string RoleSource = """
        #pragma warning disable CS1591 // a service's own type; only generated code must be documented
        using System;
        using System.Collections.Generic;
        using Seeding.Documents;
        using Seeding.Values;

        namespace Acme.Users
        {
            public enum Tier { Free, ProPlus }

            public sealed class Role
            {
                public required string Id { get; init; }
                public required string Name { get; init; }
                public int Level { get; set; }
                public string? Description { get; set; }
                public Timestamp CreatedAt { get; init; }
                public DateTimeOffset? ValidFrom { get; set; }
                public Tier Tier { get; set; }
                public IReadOnlyList<string> Tags { get; set; } = Array.Empty<string>();
                public DocumentPath? Parent { get; set; }
                public string? ContactEmail { get; set; }
                public DateTime Legacy { get; set; }
                public string Display => Name + " (" + Level + ")";
            }
        }
        """;

    public const string BoundYaml = """
        description: Roles bound to a C# type
        type: Acme.Users.Role
        upsert: roles
        defaults:
          created_at: !now
        documents:
          - { id: admin, name: Admin, level: 0, tier: pro_plus, tags: [a, b], valid_from: !timestamp 2024-05-01T12:00:00Z }
          - { id: user, name: User, level: 10, description: null, parent: !ref roles/admin }

        """;

    [Fact]
    public async Task BoundDocumentsCompileLoadAndRun()
    {
        var run = GeneratorHarness.RunWithCode(RoleSource, (Pre, BoundYaml)).AssertClean();
        var step = Assert.Single(SeedLanguageTests.Definition(run, "Pre0001BoundRoles").Steps);
        Assert.Equal(("upsert", "roles", 3), (step.Verb, step.Collection, step.Line));
        var (admin, user) = (step.Documents[0], step.Documents[1]);
        Assert.Equal(("admin", 7), (admin.Id, admin.Line));

        // Only the fields the YAML declares (defaults included), under snake_case names.
        Assert.Equal(["created_at", "id", "level", "name", "tags", "tier", "valid_from"], admin.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Value.String("Admin"), admin.Fields["name"]);
        Assert.Equal(Value.Integer(0), admin.Fields["level"]);
        Assert.Equal(Value.String("pro_plus"), admin.Fields["tier"]);
        Assert.Equal(Value.Array(Value.String("a"), Value.String("b")), admin.Fields["tags"]);
        Assert.Equal(Value.Timestamp(Timestamp.Parse("2024-05-01T12:00:00Z")), admin.Fields["valid_from"]);
        Assert.Equal(Value.ServerTimestamp, admin.Fields["created_at"]);
        Assert.Equal(Value.Null, user.Fields["description"]);
        Assert.Equal(Value.Reference(DocumentPath.Parse("roles/admin")), user.Fields["parent"]);
        Assert.False(user.Fields.ContainsKey("tier"));

        var store = new InMemoryDocumentStore();
        await new SeedRunner(store).RunAsync(SeedLanguageTests.Registry(run), RunRequest.PreDeploy());
        var stored = (await store.GetAllAsync([DocumentPath.Parse("roles/admin"), DocumentPath.Parse("roles/user")])).Select(d => d!.Fields).ToList();
        Assert.Equal(Value.String("pro_plus"), stored[0]["tier"]);
        Assert.Equal(ValueKind.Timestamp, stored[1]["created_at"].Kind);

        // The generated mapper reads a stored document back into the C# type, and writes it again.
        var assembly = run.Load();
        var mapper = assembly.GetType("Acme.Users.Seeds.Pre0001BoundRoles+RoleMapper")!;
        var role = mapper.GetMethod("FromFields")!.Invoke(null, [stored[0]])!;
        Assert.Equal("Admin (0)", role.GetType().GetProperty("Display")!.GetValue(role));
        Assert.Equal("ProPlus", role.GetType().GetProperty("Tier")!.GetValue(role)!.ToString());
        var fields = (IReadOnlyDictionary<string, Value>)mapper.GetMethod("ToFields")!.Invoke(null, [role])!;
        Assert.Equal(stored[0]["valid_from"], fields["valid_from"]);
        Assert.Equal(Value.Null, fields["description"]);
    }

    [Fact]
    public void BoundFileSnapshot()
    {
        var run = GeneratorHarness.RunWithCode(RoleSource, (Pre, BoundYaml)).AssertClean();
        SnapshotAssert.Matches("Pre0001BoundRoles", run.Source("Pre0001BoundRoles.g.cs"));
    }

    [Fact]
    public void StepLevelTypeWithEnvAndAMatchStep()
    {
        const string Yaml = """
            steps:
              - create: roles
                type: Acme.Users.Role
                match: [name]
                new_id: role-{hash:8}
                documents:
                  - { id: x, name: Ops, contact_email: !env:safe OPS_EMAIL }
              - create: other
                documents:
                  - { id: a, n: 1 }

            """;
        var run = GeneratorHarness.RunWithCode(RoleSource, ("bootstrap/ops.yaml", Yaml)).AssertClean();
        var steps = SeedLanguageTests.Definition(run, "BootstrapOps").Steps;
        var document = steps[0].Documents.Single();
        Assert.False(document.Fields.ContainsKey("contact_email"));
        Assert.Equal("OPS_EMAIL", Assert.Single(document.Configured!).Key);
        Assert.Equal(2, steps.Count);
    }

    public static TheoryData<string, string, int, int, string> Problems => new()
    {
        { "SEED035", "type: Acme.Users.Missing\ncreate: roles\ndocuments: []\n", 1, 7, "names no type" },
        { "SEED035", "type: Acme.Users.Tier\ncreate: roles\ndocuments: []\n", 1, 7, "not a class or struct" },
        { "SEED036", "type: Acme.Users.Role\ncreate: roles\ndocuments:\n  - { id: a, name: A, colour: red }\n", 4, 23, "Field 'colour' has no matching settable property on global::Acme.Users.Role" },
        { "SEED036", "type: Acme.Users.Role\ncreate: roles\ndocuments:\n  - { id: a, name: A, display: x }\n", 4, 23, "'Display'" },
        { "SEED037", "type: Acme.Users.Role\ncreate: roles\ndocuments:\n  - { id: a, name: A, level: high }\n", 4, 30, "Field 'level' is a string, which does not convert to int (global::Acme.Users.Role.Level)" },
        { "SEED037", "type: Acme.Users.Role\ncreate: roles\ndocuments:\n  - { id: a, name: A, valid_from: !now }\n", 4, 35, "only a Seeding.Values.Timestamp property" },
        { "SEED037", "type: Acme.Users.Role\ncreate: roles\ndocuments:\n  - { id: a, name: A, tier: gold }\n", 4, 29, "free, pro_plus" },
        { "SEED038", "type: Acme.Users.Role\ncreate: roles\ndocuments:\n  - { id: a }\n", 4, 5, "required property Name of global::Acme.Users.Role" },
        { "SEED039", "type: Acme.Users.Role\ncreate: roles\ndocuments:\n  - { id: a, name: A, legacy: x }\n", 4, 23, "global::System.DateTime" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void ProblemsAreReportedAtTheYaml(string id, string yaml, int line, int column, string message)
    {
        var run = GeneratorHarness.RunWithCode(RoleSource, (Pre, yaml));
        var diagnostic = DiagnosticTests.AssertReported(run, id, Pre, line, column);
        Assert.Contains(message, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain("Pre0001BoundRoles.g.cs", run.HintNames);
    }
}
