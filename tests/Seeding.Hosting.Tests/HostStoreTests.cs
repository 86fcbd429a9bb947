using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Firestore;
using Seeding.Sqlite;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;

namespace Seeding.Hosting.Tests;

/// <summary>
/// AddSeeding() picks its store the way the seeding command does: the embedded SQLite file .seeding/seeding.db under
/// the content root, Firestore by configuration or FIRESTORE_* variables (proved on the real emulator), a pinned
/// choice with UseSqlite/UseFirestore; blank or malformed settings stop the host by name.
/// </summary>
public sealed class HostStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("seeding-host-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    internal static ServiceSeeds Seeds() => new("tenant", [],
    [
        new SeedDefinition("0001_roles", SeedPhase.Pre, "sha256:a", "migrations/pre/0001_roles.yaml", null, [SeedStep.Create("roles", 1, [Doc("admin")])]),
        new SeedDefinition("0001_flags", SeedPhase.Post, "sha256:c", "migrations/post/0001_flags.yaml", null, [SeedStep.Create("flags", 1, [Doc("beta")])]),
        new SeedDefinition("system", SeedPhase.Bootstrap, "sha256:b", "bootstrap/system.yaml", null, [SeedStep.Create("users", 1, [Doc("system")])]),
    ]);

    // These tests read the exception a failed start throws (the default logs it and stops the host instead).
    internal static readonly (string Key, string Value) ThrowOnFailure = ("Seeding:StopApplicationOnFailure", "false");

    private static SeedDocument Doc(string id) => new(id, new Dictionary<string, Value> { ["name"] = Value.String(id) }, 1);

    // An empty builder: the machine's own environment variables (FIRESTORE_* on CI) must not steer these hosts.
    private HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        return builder;
    }

    private static async Task<bool[]> ExistsAsync(IDocumentStore store, params string[] paths) =>
        (await store.GetAllAsync(paths.Select(DocumentPath.Parse).ToArray())).Select(s => s.Exists).ToArray();

    private async Task<bool[]> SqliteExistsAsync(string file, params string[] paths)
    {
        await using var store = new SqliteDocumentStore(new SqliteStoreOptions(Path.Combine(_root, file)));
        return await ExistsAsync(store, paths);
    }

    private static async Task StartAndStopAsync(HostApplicationBuilder builder)
    {
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task With_no_store_registered_it_creates_the_cli_default_database_under_the_content_root_and_bootstraps()
    {
        var builder = Builder();
        builder.Services.AddSeeding(Seeds());
        await StartAndStopAsync(builder);

        Assert.Equal(".seeding/seeding.db", SeedingStores.DefaultSqlitePath);
        Assert.True(File.Exists(Path.Combine(_root, ".seeding", "seeding.db")));
        Assert.Equal(new[] { true, false }, await SqliteExistsAsync(".seeding/seeding.db", "users/system", "roles/admin"));
    }

    [Fact]
    public async Task Seeding_Sqlite_Path_is_honoured_and_its_folder_created()
    {
        var builder = Builder(("Seeding:Sqlite:Path", "data/nested/app.db"));
        builder.Services.AddSeeding(Seeds());
        using var host = builder.Build();
        await host.StartAsync();

        var store = Assert.IsType<SqliteDocumentStore>(host.Services.GetRequiredService<IDocumentStore>());
        Assert.Equal(Path.Combine(_root, "data", "nested", "app.db"), store.DatabasePath);
        await host.StopAsync();
        host.Dispose();
        Assert.Equal(new[] { true }, await SqliteExistsAsync("data/nested/app.db", "users/system"));
        Assert.False(Directory.Exists(Path.Combine(_root, ".seeding")));
    }

    [Fact]
    public async Task FIRESTORE_EMULATOR_HOST_selects_firestore_on_the_real_emulator()
    {
        var emulator = await FirestoreEmulator.HostAsync();
        var project = FirestoreEmulator.NewProjectId("hosting");
        var builder = Builder(("FIRESTORE_EMULATOR_HOST", emulator), ("FIRESTORE_PROJECT_ID", project));
        builder.Services.AddSeeding(Seeds());
        using (var host = builder.Build())
        {
            await host.StartAsync();
            Assert.Equal($"firestore-emulator:{emulator}/projects/{project}/databases/(default)", host.Services.GetRequiredService<IDocumentStore>().Name);
            await host.StopAsync();
        }

        await using var firestore = new FirestoreDocumentStore(await FirestoreEmulator.OptionsAsync(project));
        Assert.Equal(new[] { true, false }, await ExistsAsync(firestore, "users/system", "roles/admin"));
        Assert.False(Directory.Exists(Path.Combine(_root, ".seeding")));
    }

    [Fact]
    public async Task Seeding_Firestore_configuration_selects_firestore_and_wins_over_the_variables()
    {
        var emulator = await FirestoreEmulator.HostAsync();
        var project = FirestoreEmulator.NewProjectId("hostcfg");
        var builder = Builder(
            ("Seeding:Firestore:EmulatorHost", emulator),
            ("Seeding:Firestore:ProjectId", project),
            ("Seeding:Firestore:Database", "seeds-db"),
            ("FIRESTORE_PROJECT_ID", "demo-not-this-one"));
        builder.Services.AddSeeding(Seeds());
        await StartAndStopAsync(builder);

        await using var firestore = new FirestoreDocumentStore(await FirestoreEmulator.OptionsAsync(project, "seeds-db"));
        Assert.Equal(new[] { true }, await ExistsAsync(firestore, "users/system"));
    }

    [Fact]
    public async Task UseSqlite_pins_the_embedded_store_over_firestore_variables_and_a_registered_store()
    {
        var registered = new InMemoryDocumentStore();
        var builder = Builder(("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9"));
        builder.Services.AddSingleton<IDocumentStore>(registered);
        builder.Services.AddSeeding(Seeds()).UseSqlite("pinned/seeds.db");
        await StartAndStopAsync(builder);

        Assert.Equal(new[] { true }, await SqliteExistsAsync("pinned/seeds.db", "users/system"));
        Assert.Equal(0, registered.WriteCalls);
    }

    [Fact]
    public async Task UseFirestore_starts_from_the_variables_and_applies_the_code()
    {
        var emulator = await FirestoreEmulator.HostAsync();
        var project = FirestoreEmulator.NewProjectId("usefs");
        var builder = Builder(("FIRESTORE_EMULATOR_HOST", emulator));
        builder.Services.AddSeeding(Seeds()).UseFirestore(options =>
        {
            options.ProjectId = project;
            options.MaxAttempts = 3;
        });
        await StartAndStopAsync(builder);

        await using var firestore = new FirestoreDocumentStore(await FirestoreEmulator.OptionsAsync(project));
        Assert.Equal(new[] { true }, await ExistsAsync(firestore, "users/system"));
        Assert.False(Directory.Exists(Path.Combine(_root, ".seeding")));
    }

    [Fact]
    public async Task UseFirestore_with_a_malformed_project_fails_startup_naming_the_property()
    {
        var builder = Builder(("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9"), ThrowOnFailure);
        builder.Services.AddSeeding(Seeds()).UseFirestore(options => options.ProjectId = "Bad Project!");
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<SeedingConfigurationException>(() => host.StartAsync());
        Assert.Equal("FirestoreStoreOptions.ProjectId", e.Setting);
    }

    [Fact]
    public async Task Outside_a_host_the_pinned_store_works_and_a_synchronous_dispose_releases_it()
    {
        var services = new ServiceCollection();
        services.AddSeeding(Seeds()).UseSqlite(Path.Combine(_root, "plain", "seeds.db"));
        using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<Running.SeedRunner>().RunAsync(Seeds(), Running.RunRequest.PreDeploy());
        }

        Assert.Equal(new[] { true }, await SqliteExistsAsync("plain/seeds.db", "roles/admin"));
    }

    [Fact]
    public async Task A_registered_store_is_still_used_when_nothing_is_pinned()
    {
        var registered = new InMemoryDocumentStore();
        var builder = Builder(("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9"));
        builder.Services.AddSeeding(Seeds());
        builder.Services.AddSingleton<IDocumentStore>(registered); // after AddSeeding: still wins
        await StartAndStopAsync(builder);

        Assert.Equal(new[] { true }, await ExistsAsync(registered, "users/system"));
        Assert.False(Directory.Exists(Path.Combine(_root, ".seeding")));
    }

    [Theory]
    [InlineData("FIRESTORE_EMULATOR_HOST", "")]
    [InlineData("FIRESTORE_EMULATOR_HOST", " ")]
    [InlineData("FIRESTORE_PROJECT_ID", "")]
    [InlineData("FIRESTORE_DATABASE", " ")]
    [InlineData("Seeding:Firestore:EmulatorHost", "")]
    [InlineData("Seeding:Store", " ")]
    [InlineData("Seeding:Sqlite:Path", "")]
    public async Task A_set_but_blank_setting_stops_startup_naming_it(string key, string value)
    {
        var builder = Builder((key, value), ThrowOnFailure);
        builder.Services.AddSeeding(Seeds());
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<SeedingConfigurationException>(() => host.StartAsync());
        Assert.Equal(key, e.Setting);
        Assert.Contains($"{key} is set but blank", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_root, ".seeding")));
    }

    [Theory]
    [InlineData("FIRESTORE_EMULATOR_HOST", "http://127.0.0.1:8080", "host:port")]
    [InlineData("Seeding:Firestore:EmulatorHost", "127.0.0.1:8080/x", "host:port")]
    [InlineData("FIRESTORE_PROJECT_ID", "Bad Project!", "lowercase letters")]
    [InlineData("Seeding:Firestore:Database", "no such db", "(default) or")]
    [InlineData("Seeding:Store", "postgres", "sqlite, memory or firestore")]
    public async Task A_malformed_setting_stops_startup_naming_it_and_the_form(string key, string value, string form)
    {
        // A database alone does not pick Firestore (as for the CLI); beside an emulator host it is checked before any call.
        var builder = key == "FIRESTORE_EMULATOR_HOST" ? Builder((key, value), ThrowOnFailure) : Builder((key, value), ("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9"), ThrowOnFailure);
        builder.Services.AddSeeding(Seeds());
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<SeedingConfigurationException>(() => host.StartAsync());
        Assert.Equal(key, e.Setting);
        Assert.Contains($"{key} is '{value}'", e.Message);
        Assert.Contains(form, e.Message);
    }
}
