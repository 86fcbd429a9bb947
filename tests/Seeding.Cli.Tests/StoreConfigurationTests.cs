using System.Net;
using System.Net.Sockets;
using Seeding.Cli.Stores;
using Seeding.Hosting;

namespace Seeding.Cli.Tests;

/// <summary>
/// Store settings that are set but blank, or malformed, stop the command with exit 2 naming the variable or option and
/// the expected form, before anything is opened: no SQLite file appears and no Firestore call is made.
/// </summary>
public sealed class StoreConfigurationTests : IDisposable
{
    private readonly Workspace _workspace = new();

    // Stands in for an emulator: it only records whether anything connected. Nothing may.
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public StoreConfigurationTests() => _listener.Start();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Dispose();
        _workspace.Dispose();
    }

    private string ListenerHost => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private async Task<CliResult> RefusedAsync(params string[] args)
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], args);
        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.False(File.Exists(_workspace.DefaultDatabase), "fell back to the SQLite file");
        Assert.False(_listener.Pending(), "a Firestore call was made");
        return result;
    }

    [Theory]
    [InlineData("FIRESTORE_EMULATOR_HOST", "")]
    [InlineData("FIRESTORE_EMULATOR_HOST", " ")]
    [InlineData("FIRESTORE_PROJECT_ID", "")]
    [InlineData("FIRESTORE_PROJECT_ID", " ")]
    [InlineData("FIRESTORE_DATABASE", "")]
    [InlineData("FIRESTORE_DATABASE", "  ")]
    public async Task A_set_but_blank_firestore_variable_is_a_usage_error_naming_it(string variable, string value)
    {
        _workspace.Environment[variable] = value;

        var result = await RefusedAsync("migrate");

        Assert.Contains($"{variable} is set but blank", result.Error);
    }

    [Theory]
    [InlineData("FIRESTORE_PROJECT_ID", "")]
    [InlineData("FIRESTORE_DATABASE", " ")]
    public async Task A_blank_variable_beside_a_real_emulator_host_is_refused_before_any_call(string variable, string value)
    {
        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = ListenerHost;
        _workspace.Environment[variable] = value;

        var result = await RefusedAsync("status", "--output", "json");

        Assert.Contains($"{variable} is set but blank", result.Error);
        Assert.Contains("\"kind\": \"usage\"", result.Output);
    }

    [Theory]
    [InlineData("127.0.0.1:notaport", "'notaport' is not a port")]
    [InlineData(":99999", "no host")]
    [InlineData("127.0.0.1:99999", "'99999' is not a port")]
    [InlineData("h:1,h:2", "more than one host")]
    [InlineData("http://127.0.0.1:8080", "scheme")]
    [InlineData("127.0.0.1:8080/x", "path")]
    [InlineData("127.0.0.1", "no port")]
    [InlineData("::1:8080", "more than one colon")]
    public async Task A_malformed_emulator_host_is_a_usage_error_naming_the_variable_or_option_and_the_form(string host, string why)
    {
        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = host;
        var fromVariable = await RefusedAsync("plan");
        Assert.Contains($"FIRESTORE_EMULATOR_HOST is '{host}'", fromVariable.Error);
        Assert.Contains(why, fromVariable.Error);
        Assert.Contains("host:port", fromVariable.Error);

        _workspace.Environment.Remove("FIRESTORE_EMULATOR_HOST");
        var fromOption = await RefusedAsync("plan", "--emulator-host", host);
        Assert.Contains($"--emulator-host is '{host}'", fromOption.Error);
        Assert.Contains("host:port", fromOption.Error);
    }

    [Theory]
    [InlineData("Bad Project!")]
    [InlineData("Bad-Project")]
    [InlineData("-leading-hyphen")]
    [InlineData("trailing-hyphen-")]
    [InlineData("9starts-with-digit")]
    [InlineData("under_score")]
    public async Task A_malformed_project_id_is_refused_before_any_call(string project)
    {
        var fromOption = await RefusedAsync("status", "--emulator-host", ListenerHost, "--firestore-project", project);
        Assert.Contains($"--firestore-project is '{project}'", fromOption.Error);
        Assert.Contains("lowercase letters, digits and hyphens", fromOption.Error);

        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = ListenerHost;
        _workspace.Environment["FIRESTORE_PROJECT_ID"] = project;
        var fromVariable = await RefusedAsync("status");
        Assert.Contains($"FIRESTORE_PROJECT_ID is '{project}'", fromVariable.Error);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("a-project-id-longer-than-thirty-characters")]
    public async Task Production_project_ids_have_6_to_30_characters(string project)
    {
        var result = await RefusedAsync("status", "--firestore-project", project);
        Assert.Contains("6 to 30 characters", result.Error);
    }

    [Theory]
    [InlineData("no such db")]
    [InlineData("No-Caps")]
    [InlineData("abc")]
    [InlineData("1db-starts-with-digit")]
    [InlineData("ends-with-hyphen-")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public async Task A_malformed_database_id_is_refused_before_any_call(string database)
    {
        var fromOption = await RefusedAsync("status", "--emulator-host", ListenerHost, "--firestore-database", database);
        Assert.Contains($"--firestore-database is '{database}'", fromOption.Error);
        Assert.Contains("(default) or", fromOption.Error);

        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = ListenerHost;
        _workspace.Environment["FIRESTORE_DATABASE"] = database;
        var fromVariable = await RefusedAsync("status");
        Assert.Contains($"FIRESTORE_DATABASE is '{database}'", fromVariable.Error);
    }

    [Fact]
    public void Well_formed_settings_resolve_to_the_emulator_or_production_database()
    {
        var context = new CommandContext(
            new SeedingCommandLineOptions { EnvironmentVariables = _workspace.Environment.GetValueOrDefault, WorkingDirectory = _workspace.Directory },
            TextWriter.Null,
            TextWriter.Null);

        // Emulator projects (demo-...) may be short; hosts may be names, IPv4 or bracketed IPv6.
        foreach (var (host, project) in new[] { ("localhost:8080", "demo-x"), ("127.0.0.1:1", "demo-seeding"), ("[::1]:8080", "p"), ("emulator.internal:65535", "legacy.example:demo-p") })
        {
            var choice = StoreSettings.Resolve(null, null, project, "seeds-2", host, context).Choice;
            Assert.Equal((SeedingStoreKind.Firestore, host, project, "seeds-2"), (choice.Kind, choice.Firestore!.EmulatorHost, choice.Firestore.ProjectId, choice.Firestore.DatabaseId));
            Assert.Equal($"firestore-emulator:{host}/projects/{project}/databases/seeds-2", choice.DisplayName);
        }

        var production = StoreSettings.Resolve(null, null, "my-project-123", "(default)", null, context).Choice;
        Assert.Equal("firestore:projects/my-project-123/databases/(default)", production.DisplayName);

        // Surrounding spaces are not blankness: they are trimmed.
        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = " 127.0.0.1:8080 ";
        Assert.Equal("127.0.0.1:8080", StoreSettings.Resolve(null, null, null, null, null, context).Choice.Firestore!.EmulatorHost);
    }

    [Fact]
    public async Task The_hosts_configuration_keys_work_for_the_command_too()
    {
        // The same keys a service reads through AddSeeding(): here as Seeding__... variables (the tool has no other configuration).
        _workspace.Environment["Seeding__Sqlite__Path"] = "data/shared.db";
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("on sqlite:data/shared.db", result.Output);
        Assert.True(File.Exists(Path.Combine(_workspace.Directory, "data", "shared.db")));

        _workspace.Environment["Seeding__Store"] = "postgres";
        var refused = await _workspace.RunAsync([TestServices.Catalog()], "status");
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("Seeding:Store is 'postgres'. Use sqlite, memory or firestore.", refused.Error);
    }

    [Fact]
    public async Task An_explicit_sqlite_store_ignores_the_firestore_variables()
    {
        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = "";
        var result = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--store", "sqlite");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.True(File.Exists(_workspace.DefaultDatabase));
    }
}
