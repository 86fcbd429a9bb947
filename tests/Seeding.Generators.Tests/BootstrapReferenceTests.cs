using Microsoft.CodeAnalysis;

namespace Seeding.Generators.Tests;

/// <summary>
/// SEED048: a bootstrap file's <c>!ref</c> whose target only a pending migration (pre or post) of the service seeds.
/// Bootstrap runs on every start, also before that migration is applied; at build time seeding.lock.json says which
/// migrations are applied (<c>seeding lock</c> records only those).
/// </summary>
public sealed class BootstrapReferenceTests
{
    private const string Admin = "bootstrap/admin.yaml";
    private const string AdminYaml = "create: users\ndocuments:\n  - { id: admin, role: !ref roles/admin }\n";

    private const string PreRoles = "migrations/pre/0001_roles.yaml";
    private const string PreRolesYaml = "create: roles\ndocuments: [{ id: admin }]\n";

    [Theory]
    [InlineData("migrations/pre/0001_roles.yaml", "create: roles\ndocuments: [{ id: admin }]\n", "pre")]
    [InlineData("migrations/post/0001_roles.yaml", "upsert: roles\ndocuments: [{ id: admin }]\n", "post")]
    public void A_bootstrap_reference_to_a_document_only_a_migration_seeds_warns_without_a_lock_file(string migration, string yaml, string phase)
    {
        var run = GeneratorHarness.Run((Admin, AdminYaml), (migration, yaml));
        var warning = DiagnosticTests.AssertReported(run, "SEED048", Admin, 3, 24);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(
            $"!ref 'roles/admin' in a bootstrap file points to a document only the migration {migration} creates, and seeding.lock.json does not "
            + "lock that migration as applied. Bootstrap runs on every start, also before that migration is applied, and the reference then "
            + $"points to nothing. Apply it first ('seeding migrate --phase {phase}'), then record it with 'seeding lock' and commit "
            + "seeding.lock.json; or declare the document in a bootstrap file too.",
            warning.GetMessage());
        Assert.Single(run.Diagnostics);
        Assert.Empty(run.CompilerProblems);
    }

    [Fact]
    public void A_target_a_migration_locked_as_applied_creates_does_not_warn()
    {
        GeneratorHarness.Run((Admin, AdminYaml), (PreRoles, PreRolesYaml), Lock("pre/0001_roles", PreRolesYaml)).AssertClean();
    }

    [Fact]
    public void A_lock_file_that_locks_another_migration_only_still_warns()
    {
        const string Other = "create: plans\ndocuments: [{ id: free }]\n";
        var run = GeneratorHarness.Run(
            (Admin, AdminYaml),
            (PreRoles, PreRolesYaml),
            ("migrations/pre/0002_plans.yaml", Other),
            Lock("pre/0002_plans", Other));
        var warning = DiagnosticTests.AssertReported(run, "SEED048", Admin, 3, 24);
        Assert.Contains("only the migration migrations/pre/0001_roles.yaml creates", warning.GetMessage(), StringComparison.Ordinal);
        Assert.Single(run.Diagnostics);
    }

    [Fact]
    public void A_target_also_created_by_a_locked_migration_does_not_warn()
    {
        const string PostRoles = "upsert: roles\ndocuments: [{ id: admin }]\n";
        GeneratorHarness.Run(
            (Admin, AdminYaml),
            (PreRoles, PreRolesYaml),
            ("migrations/post/0001_roles.yaml", PostRoles),
            Lock("post/0001_roles", PostRoles)).AssertClean();
    }

    [Fact]
    public void A_lock_entry_of_the_other_phase_does_not_count()
    {
        var run = GeneratorHarness.Run((Admin, AdminYaml), (PreRoles, PreRolesYaml), Lock("post/0001_roles", PreRolesYaml));
        DiagnosticTests.AssertReported(run, "SEED048", Admin, 3, 24);
    }

    [Fact]
    public void A_target_a_bootstrap_file_also_seeds_does_not_warn()
    {
        GeneratorHarness.Run(
            (Admin, AdminYaml),
            ("migrations/pre/0001_roles.yaml", "create: roles\ndocuments: [{ id: admin, level: 1 }]\n"),
            ("bootstrap/roles.yaml", "upsert: roles\ndocuments: [{ id: admin, level: 1 }]\n")).AssertClean();
    }

    [Fact]
    public void A_reference_in_the_same_bootstrap_file_does_not_warn()
    {
        const string Yaml = "steps:\n  - upsert: roles\n    documents: [{ id: admin }]\n  - create: users\n    documents:\n      - { id: admin, role: !ref roles/admin }\n";
        GeneratorHarness.Run((Admin, Yaml), ("migrations/pre/0001_roles.yaml", "create: roles\ndocuments: [{ id: admin }]\n")).AssertClean();
    }

    [Fact]
    public void A_migration_referring_to_a_document_a_migration_seeds_does_not_warn()
    {
        GeneratorHarness.Run(
            ("migrations/pre/0002_users.yaml", "create: users\ndocuments:\n  - { id: admin, role: !ref roles/admin }\n"),
            ("migrations/pre/0001_roles.yaml", "create: roles\ndocuments: [{ id: admin }]\n")).AssertClean();
    }

    [Fact]
    public void A_target_no_file_seeds_is_SEED032_only()
    {
        var run = GeneratorHarness.Run((Admin, AdminYaml));
        Assert.Equal(["SEED032"], run.Diagnostics.Select(d => d.Id));
    }

    [Fact]
    public void The_first_migration_that_seeds_the_target_is_named()
    {
        var run = GeneratorHarness.Run(
            (Admin, AdminYaml),
            ("migrations/post/0001_more_roles.yaml", "upsert: roles\ndocuments: [{ id: admin }]\n"),
            ("migrations/pre/0002_roles.yaml", "create: roles\ndocuments: [{ id: admin }]\n"));
        var warning = DiagnosticTests.AssertReported(run, "SEED048", Admin, 3, 24);
        Assert.Contains("only the migration migrations/pre/0002_roles.yaml creates", warning.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_tenant_sample_is_clean_with_its_committed_lock_file_and_warns_without_it()
    {
        var folder = Path.Combine(TestPaths.RepositoryRoot, "seeds", "tenant");
        var files = Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f == "seeding.yaml" || f.StartsWith("migrations/", StringComparison.Ordinal) || f.StartsWith("bootstrap/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(Path.Combine(folder, f))))
            .ToList();
        var lockFile = ("seeding.lock.json", File.ReadAllText(Path.Combine(folder, "seeding.lock.json")));

        GeneratorHarness.Run([.. files, lockFile]).AssertClean();
        var warning = DiagnosticTests.AssertReported(GeneratorHarness.Run([.. files]), "SEED048", "bootstrap/demo_tenant.yaml", 9, 17);
        Assert.Contains("only the migration migrations/pre/0001_initial_roles.yaml creates", warning.GetMessage(), StringComparison.Ordinal);
    }

    /// <summary>A lock file that locks <paramref name="key"/> with the checksum the generator computes for <paramref name="yaml"/>.</summary>
    private static (string, string) Lock(string key, string yaml)
    {
        var path = "migrations/" + key + ".yaml";
        var checksum = SeedLanguageTests.Registry(GeneratorHarness.Run((path, yaml))).Seeds.Single().Checksum;
        return ("seeding.lock.json", "{\"version\": 1, \"migrations\": {\"" + key + "\": \"" + checksum + "\"}}");
    }
}
