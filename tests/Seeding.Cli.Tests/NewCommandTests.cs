using System.Text.Json;

namespace Seeding.Cli.Tests;

public sealed class NewCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public NewCommandTests() => File.WriteAllText(Path.Combine(_workspace.Directory, "seeding.yaml"), "service: demo\n");

    public void Dispose() => _workspace.Dispose();

    private string Pre => Path.Combine(_workspace.Directory, "migrations", "pre");

    [Fact]
    public async Task The_first_migration_is_0001_and_numbers_continue_after_the_highest()
    {
        var first = await _workspace.RunAsync([], "new", "initial_roles");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.Contains("Created migrations/pre/0001_initial_roles.yaml", first.Output);
        Assert.True(File.Exists(Path.Combine(Pre, "0001_initial_roles.yaml")));

        // Gaps are fine and C# migrations share the numbering.
        File.WriteAllText(Path.Combine(Pre, "0007_old_thing.yaml"), "description: x\n");
        File.WriteAllText(Path.Combine(Pre, "0008_migrate_consents.cs"), "// C# migration\n");
        File.WriteAllText(Path.Combine(Pre, "README.md"), "not a migration\n");
        var next = await _workspace.RunAsync([], "new", "add-admin-role");
        Assert.True(next.ExitCode == ExitCodes.Ok, next.ToString());
        Assert.Contains("Created migrations/pre/0009_add_admin_role.yaml", next.Output);
    }

    [Fact]
    public async Task Post_migrations_are_numbered_on_their_own()
    {
        await _workspace.RunAsync([], "new", "a");
        await _workspace.RunAsync([], "new", "b");
        var post = await _workspace.RunAsync([], "new", "backfill_timestamps", "--phase", "post");
        Assert.Contains("Created migrations/post/0001_backfill_timestamps.yaml", post.Output);
    }

    [Fact]
    public async Task The_template_is_commented_and_names_the_file()
    {
        await _workspace.RunAsync([], "new", "default_plans");
        var text = File.ReadAllText(Path.Combine(Pre, "0001_default_plans.yaml"));
        // The first line points editors at the service's copy of the schema, relative to the file; 'new' writes the copy
        // when it is missing.
        Assert.StartsWith(
            "# yaml-language-server: $schema=../../.seeding/schema/seed-file.schema.json\n" +
            "# migrations/pre/0001_default_plans.yaml\n",
            text);
        Assert.True(File.Exists(Path.Combine(_workspace.Directory, ".seeding", "schema", "seed-file.schema.json")));
        Assert.Contains("\ndescription: Default plans\n", text);
        Assert.Contains("# create: roles", text);
        Assert.DoesNotContain("\r", text);
        Assert.All(text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')), line => Assert.StartsWith("description:", line));
    }

    [Theory]
    [InlineData("AddRoles", "add_roles")]
    [InlineData("add roles", "add_roles")]
    [InlineData("0003_add_roles", null)]
    [InlineData("_leading", "leading")]
    [InlineData("double__underscore", "double_underscore")]
    [InlineData("ünïcode", null)]
    [InlineData("add/roles", "add_roles")]
    public async Task Bad_names_are_refused_with_a_suggestion(string name, string? suggestion)
    {
        var result = await _workspace.RunAsync([], "new", name);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        if (suggestion is not null)
        {
            Assert.Contains($"e.g. '{suggestion}'", result.Error);
        }

        Assert.False(Directory.Exists(Pre) && Directory.EnumerateFiles(Pre).Any());
    }

    [Fact]
    public async Task A_name_already_used_in_the_phase_is_refused()
    {
        await _workspace.RunAsync([], "new", "add_roles");
        var again = await _workspace.RunAsync([], "new", "add_roles");
        Assert.Equal(ExitCodes.Usage, again.ExitCode);
        Assert.Contains("already has the name 'add_roles'", again.Error);
    }

    [Fact]
    public async Task Service_dir_option_and_json_output()
    {
        var service = Path.Combine(_workspace.Directory, "services", "billing");
        Directory.CreateDirectory(service);
        File.WriteAllText(Path.Combine(service, "Billing.csproj"), "<Project />");

        var result = await _workspace.RunAsync([], "new", "plans", "--service-dir", "services/billing", "--output", "json");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var root = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("services/billing/migrations/pre/0001_plans.yaml", root.GetProperty("path").GetString());
        Assert.Equal("0001_plans", root.GetProperty("id").GetString());
        Assert.True(File.Exists(Path.Combine(service, "migrations", "pre", "0001_plans.yaml")));
    }

    [Fact]
    public async Task A_folder_that_is_not_a_service_is_refused()
    {
        Directory.CreateDirectory(Path.Combine(_workspace.Directory, "empty"));
        var result = await _workspace.RunAsync([], "new", "x", "--service-dir", "empty");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("does not look like a service project", result.Error);
        Assert.Equal(ExitCodes.Usage, (await _workspace.RunAsync([], "new", "x", "--service-dir", "missing")).ExitCode);
    }

    [Fact]
    public async Task Names_follow_the_generators_rule_and_yml_files_are_named_not_counted()
    {
        // The generator's rule: words may start with a digit; a name that is a whole migration name is refused.
        var digits = await _workspace.RunAsync([], "new", "2fa_setup");
        Assert.True(digits.ExitCode == ExitCodes.Ok, digits.ToString());
        Assert.Contains("Created migrations/pre/0001_2fa_setup.yaml", digits.Output);
        var numbered = await _workspace.RunAsync([], "new", "0002_plans");
        Assert.Equal(ExitCodes.Usage, numbered.ExitCode);
        Assert.Contains("Leave the number out of '0002_plans'", numbered.Error);

        // A '.yml' migration is no seed to the build (SEED011): 'new' names it and does not number after it.
        File.WriteAllText(Path.Combine(Pre, "0005_old_roles.yml"), "create: roles\n");
        var next = await _workspace.RunAsync([], "new", "plans");
        Assert.True(next.ExitCode == ExitCodes.Ok, next.ToString());
        Assert.Contains("Created migrations/pre/0002_plans.yaml", next.Output);
        Assert.Contains(
            "warning: migrations/pre/0005_old_roles.yml is not a seed file: the build reads '.yaml' files only and reports this one (SEED011). Rename it to 0005_old_roles.yaml.",
            next.Error);
    }

    [Fact]
    public async Task Project_option_names_the_service_folder()
    {
        var service = Path.Combine(_workspace.Directory, "services", "billing");
        Directory.CreateDirectory(service);
        File.WriteAllText(Path.Combine(service, "Billing.csproj"), "<Project />");
        var result = await _workspace.RunAsync([], "new", "plans", "--project", "services/billing/Billing.csproj");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("Created services/billing/migrations/pre/0001_plans.yaml", result.Output);
        Assert.StartsWith("# yaml-language-server: $schema=../../.seeding/schema/seed-file.schema.json\n", File.ReadAllText(Path.Combine(service, "migrations", "pre", "0001_plans.yaml")));
    }
}
