using Microsoft.CodeAnalysis;

namespace Seeding.Generators.Tests;

/// <summary>
/// SEED048: a bootstrap file's <c>!ref</c> whose target only a migration (pre or post) of the service seeds. Bootstrap
/// runs on every start, also before that migration is applied; the build judges by the files.
/// </summary>
public sealed class BootstrapReferenceTests
{
    private const string Admin = "bootstrap/admin.yaml";
    private const string AdminYaml = "create: users\ndocuments:\n  - { id: admin, role: !ref roles/admin }\n";

    [Theory]
    [InlineData("migrations/pre/0001_roles.yaml", "create: roles\ndocuments: [{ id: admin }]\n")]
    [InlineData("migrations/post/0001_roles.yaml", "upsert: roles\ndocuments: [{ id: admin }]\n")]
    public void A_bootstrap_reference_to_a_document_only_a_migration_seeds_warns(string migration, string yaml)
    {
        var run = GeneratorHarness.Run((Admin, AdminYaml), (migration, yaml));
        var warning = DiagnosticTests.AssertReported(run, "SEED048", Admin, 3, 24);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(
            $"!ref 'roles/admin' in a bootstrap file points to a document only the migration {migration} creates. Bootstrap runs on every start, "
            + "also before that migration is applied, and the reference then points to nothing. Apply the migration first ('seeding migrate'), "
            + "or declare the document in a bootstrap file too.",
            warning.GetMessage());
        Assert.Single(run.Diagnostics);
        Assert.Empty(run.CompilerProblems);
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
}
