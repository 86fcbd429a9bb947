using System.Text.Json;
using Xunit.Abstractions;
using Seeding.Cli;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Firestore;
using Seeding.Sqlite;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary>
/// The contract of <c>seeding pull</c>: random documents over every value kind (seeded, adversarial strings, ids and
/// field names) written by the runtime on SQLite and on the Firestore emulator, and by Google's official Node.js client
/// on the emulator (<see cref="NodeClientWriter"/>), pulled through the command line, compiled by the generator with no
/// diagnostic, then planned against the same store: every document is skip, and every declared value equals the live one.
/// </summary>
public sealed partial class PullRoundTripTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "seeding-pull-tests", Guid.NewGuid().ToString("N"));

    private string Database => Path.Combine(_directory, "live.db");

    // Null: the SQLite file above; else the Firestore emulator in this project.
    private FirestoreStoreOptions? _firestore;

    [Theory]
    [InlineData(20261207, "create")]
    [InlineData(17, "upsert")]
    public Task Random_documents_pulled_from_sqlite_compile_cleanly_and_plan_as_all_skip(int seed, string verb) =>
        RoundTripAsync(seed, verb, documents: 1200, perFile: 700);

    [Theory]
    [InlineData(4242, "upsert")]
    public async Task Random_documents_pulled_from_the_firestore_emulator_compile_cleanly_and_plan_as_all_skip(int seed, string verb)
    {
        _firestore = await Seeding.TestSupport.FirestoreEmulator.OptionsAsync(Seeding.TestSupport.FirestoreEmulator.NewProjectId("pull"));
        await RoundTripAsync(seed, verb, documents: 300, perFile: 200);
    }

    [Theory]
    [InlineData(1717, "create")]
    [InlineData(99, "upsert")]
    public async Task Random_documents_written_by_the_official_node_client_pull_and_compile_cleanly_and_plan_as_all_skip(int seed, string verb)
    {
        _firestore = await Seeding.TestSupport.FirestoreEmulator.OptionsAsync(Seeding.TestSupport.FirestoreEmulator.NewProjectId("pullnode"));
        await RoundTripAsync(seed, verb, documents: 300, perFile: 200, nodeClient: true);
    }

    private async Task RoundTripAsync(int seed, string verb, int documents, int perFile, bool nodeClient = false)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var random = new Random(seed);
        var live = new Dictionary<DocumentPath, IReadOnlyDictionary<string, Value>>();
        var ids = RandomValues.Ids(random, documents);
        foreach (var id in ids)
        {
            var fields = RandomValues.Document(random, ids);
            live[DocumentPath.Create("things", id)] = nodeClient ? fields.ToDictionary(f => f.Key, f => NodeClientWriter.Expressible(f.Value), StringComparer.Ordinal) : fields;
        }

        live[DocumentPath.Create("other", "o1")] = new Dictionary<string, Value> { ["n"] = Value.Integer(1) };
        if (nodeClient)
        {
            await NodeClientWriter.WriteAsync(_firestore!.EmulatorHost!, _firestore.ProjectId!, live, _directory);
            await AssertStoredAsync(live);
        }
        else
        {
            await WriteAsync(live);
        }

        log.WriteLine($"written {clock.ElapsedMilliseconds} ms");
        var pulled = await CliAsync([], "pull", "things", "--into", Path.Combine(_directory, "migrations", "pre"), "--verb", verb, "--max-documents-per-file", perFile.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(pulled.Code == 0, pulled.ToString());
        var files = Directory.GetFiles(Path.Combine(_directory, "migrations", "pre"), "*.yaml").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "0001_pull_things.yaml", "0002_pull_things_2.yaml" }, files.Select(Path.GetFileName));

        log.WriteLine($"pulled {clock.ElapsedMilliseconds} ms");
        var run = GeneratorHarness.Run(files.Select(f => ("migrations/pre/" + Path.GetFileName(f), File.ReadAllText(f))).ToArray()).AssertClean();
        var registry = SeedLanguageTests.Registry(run);
        var declared = registry.Seeds.SelectMany(s => s.Steps).SelectMany(s => s.Documents.Select(d => (Path: DocumentPath.Create(s.Collection, d.Id), d.Fields))).ToArray();
        Assert.Equal(ids.Count, declared.Length);
        foreach (var (path, fields) in declared)
        {
            AssertSameFields(live[path], fields, path);
        }

        log.WriteLine($"compiled and compared {clock.ElapsedMilliseconds} ms");
        var plan = await CliAsync([registry], "plan", "--all", "--output", "json");
        log.WriteLine($"planned {clock.ElapsedMilliseconds} ms");
        Assert.True(plan.Code == 0, plan.ToString());
        var totals = JsonDocument.Parse(plan.Output).RootElement.GetProperty("totals");
        Assert.Equal(0, totals.GetProperty("created").GetInt32());
        Assert.Equal(0, totals.GetProperty("updated").GetInt32());
        Assert.Equal(ids.Count, totals.GetProperty("skipped").GetInt32());

        // The adoption contract in the README: pull, build, diff: no difference for any pulled document.
        var diff = await CliAsync([registry], "diff", "--all", "--detailed-exitcode");
        Assert.True(diff.Code == 0, diff.ToString());
    }

    [Fact]
    public async Task The_same_data_pulled_twice_gives_byte_identical_files_with_shared_fields_as_defaults()
    {
        var random = new Random(5);
        var ids = RandomValues.Ids(random, 40);
        var live = ids.ToDictionary(
            id => DocumentPath.Create("plans", id),
            id => (IReadOnlyDictionary<string, Value>)new Dictionary<string, Value>(RandomValues.Document(random, ids)) { ["tier"] = Value.String("yes"), ["limit"] = Value.Double(1) });
        await WriteAsync(live);

        var first = await CliAsync([], "pull", "plans", "--into", Path.Combine(_directory, "a", "bootstrap", "plans.yaml"));
        var second = await CliAsync([], "pull", "plans", "--into", Path.Combine(_directory, "b", "bootstrap", "plans.yaml"));
        Assert.True(first.Code == 0 && second.Code == 0, first + "\n" + second);
        var text = File.ReadAllText(Path.Combine(_directory, "a", "bootstrap", "plans.yaml"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_directory, "a", "bootstrap", "plans.yaml")), File.ReadAllBytes(Path.Combine(_directory, "b", "bootstrap", "plans.yaml")));
        Assert.Contains("defaults:\n  limit: 1.0\n  tier: \"yes\"\n", text, StringComparison.Ordinal);
        Assert.Contains("# Pulled by 'seeding pull' from ", text, StringComparison.Ordinal);
        GeneratorHarness.Run(("bootstrap/plans.yaml", text)).AssertClean();
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_message_and_exit_code_and_leaves_no_file()
    {
        await WriteAsync(new Dictionary<DocumentPath, IReadOnlyDictionary<string, Value>> { [DocumentPath.Create("roles", "admin")] = new Dictionary<string, Value> { ["level"] = Value.Integer(0) } });
        var into = Path.Combine(_directory, "migrations", "pre");

        var missing = await CliAsync([], "pull", "nothing_here", "--into", into);
        var noMatch = await CliAsync([], "pull", "roles", "--where", "levl=0", "--into", into);
        var noId = await CliAsync([], "pull", "roles", "--ids", "admin,ghost", "--into", into);

        Assert.Equal(ExitCodes.NothingPulled, missing.Code);
        Assert.Contains("nothing_here has no documents", missing.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NothingPulled, noMatch.Code);
        Assert.Contains("matches collection roles where levl = 0", noMatch.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NothingPulled, noId.Code);
        Assert.Contains("No document roles/ghost", noId.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(into) && Directory.EnumerateFileSystemEntries(into).Any(), string.Join(", ", Directory.Exists(into) ? Directory.GetFiles(into) : []));
        Assert.Equal(ExitCodes.Usage, (await CliAsync([], "pull", "roles", "--limit", "0")).Code);
    }

    [Fact]
    public async Task The_samples_after_migrate_all_pull_back_into_seed_files_whose_plan_is_all_skip()
    {
        ServiceSeeds[] samples =
        [
            Samples.Tenant.Seeds.SeedingRegistry.Service,
            Samples.User.Seeds.SeedingRegistry.Service,
            Samples.License.Seeds.SeedingRegistry.Service,
            Samples.Survey.Seeds.SeedingRegistry.Service,
            Samples.Audit.Seeds.SeedingRegistry.Service,
        ];
        Directory.CreateDirectory(_directory);
        var migrate = await CliAsync(samples, "migrate", "--all");
        Assert.True(migrate.Code == 0, migrate.ToString());

        // Every collection a sample's create or upsert step writes; one conditioned off may be empty (exit 7, no file).
        var collections = samples.SelectMany(s => s.Seeds).SelectMany(d => d.Steps).Where(s => s.Documents.Count > 0)
            .Select(s => s.Collection).Distinct().Order(StringComparer.Ordinal).ToArray();
        var folder = Path.Combine(_directory, "pulled", "migrations", "pre");
        foreach (var collection in collections)
        {
            var pulled = await CliAsync([], "pull", collection, "--into", folder, "--verb", "upsert");
            Assert.True(pulled.Code is 0 or ExitCodes.NothingPulled, pulled.ToString());
        }

        var files = Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length >= collections.Length - 1, string.Join(", ", files));
        var run = GeneratorHarness.Run(files.Select(f => ("migrations/pre/" + Path.GetFileName(f), File.ReadAllText(f))).ToArray()).AssertClean();
        var registry = SeedLanguageTests.Registry(run);
        var declared = registry.Seeds.Sum(s => s.Steps.Sum(step => step.Documents.Count));

        var plan = await CliAsync([registry], "plan", "--all", "--output", "json");
        Assert.True(plan.Code == 0, plan.ToString());
        var totals = JsonDocument.Parse(plan.Output).RootElement.GetProperty("totals");
        Assert.Equal(0, totals.GetProperty("created").GetInt32());
        Assert.Equal(0, totals.GetProperty("updated").GetInt32());
        Assert.Equal(declared, totals.GetProperty("skipped").GetInt32());
        Assert.True(declared > 20, $"only {declared} documents were pulled");
        var diff = await CliAsync([registry], "diff", "--all", "--detailed-exitcode");
        Assert.True(diff.Code == 0, diff.ToString());
    }

    private static void AssertSameFields(IReadOnlyDictionary<string, Value> live, IReadOnlyDictionary<string, Value> declared, DocumentPath path)
    {
        Assert.True(live.Count == declared.Count, $"{path}: {live.Count} live fields, {declared.Count} declared");
        foreach (var (key, value) in live)
        {
            Assert.True(declared.TryGetValue(key, out var other), $"{path}: field '{key}' is not declared");
            Assert.True(value.Equals(other), $"{path}.{key}: live {value}, declared {other}");
        }
    }

    // What the Node client wrote is what it was asked to write, value for value (read back by the runtime).
    private async Task AssertStoredAsync(IReadOnlyDictionary<DocumentPath, IReadOnlyDictionary<string, Value>> documents)
    {
        await using var store = new FirestoreDocumentStore(_firestore!);
        foreach (var chunk in documents.Keys.Chunk(store.MaxBatchSize))
        {
            foreach (var snapshot in await store.GetAllAsync(chunk))
            {
                Assert.True(snapshot.Exists, $"{snapshot.Path} was not written by the Node client");
                AssertSameFields(documents[snapshot.Path], snapshot.Fields, snapshot.Path);
            }
        }
    }

    private async Task WriteAsync(IReadOnlyDictionary<DocumentPath, IReadOnlyDictionary<string, Value>> documents)
    {
        Directory.CreateDirectory(_directory);
        IDocumentStore store = _firestore is null ? await SqliteDocumentStore.OpenAsync(new SqliteStoreOptions(Database)) : new FirestoreDocumentStore(_firestore);
        try
        {
            foreach (var batch in documents.Chunk(store.MaxBatchSize))
            {
                var outcomes = await store.WriteBatchAsync(batch.Select(d => DocumentWrite.Set(d.Key, d.Value)).ToArray());
                Assert.All(outcomes, o => Assert.True(o.Applied, o.ToString()));
            }
        }
        finally
        {
            await ((IAsyncDisposable)store).DisposeAsync();
        }
    }

    private async Task<(int Code, string Output, string Error)> CliAsync(IReadOnlyList<ServiceSeeds> services, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var options = new SeedingCommandLineOptions { Services = services, WorkingDirectory = _directory, EnvironmentVariables = _ => null };
        string[] store = _firestore is null
            ? ["--store", "sqlite", "--database", Database]
            : ["--store", "firestore", "--emulator-host", _firestore.EmulatorHost!, "--firestore-project", _firestore.ProjectId!];
        var code = await SeedingCommandLine.RunAsync([.. args, .. store], options, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
