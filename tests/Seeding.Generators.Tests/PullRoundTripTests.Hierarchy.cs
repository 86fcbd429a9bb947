using System.Text.Json;
using Seeding.Cli;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary>
/// <c>seeding pull --collection-group</c> and <c>--recursive</c> on SQLite and on the Firestore emulator: one step per
/// collection path, documents under their full paths, the files compile cleanly and plan as all skip.
/// </summary>
public sealed partial class PullRoundTripTests
{
    // A tree with a users collection at three depths (one under a users document) and other subcollections beside them.
    private static readonly string[] TreePaths =
    [
        "tenants/t1", "tenants/t2", "tenants/t1/users/a", "tenants/t1/users/b", "tenants/t1/users/a/users/n",
        "tenants/t1/users/a/settings/s", "tenants/t2/users/c", "tenants/t2/users/c/settings/s", "users/u1", "users/u2", "others/o",
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_collection_group_pulls_every_collection_with_the_id_as_one_step_each(bool emulator)
    {
        var live = await WriteTreeAsync(emulator, seed: 3);

        var all = await PullAndCompileAsync(["pull", "--collection-group", "users", "--into", Into("all")], "all");
        Assert.Equal(["tenants/t1/users", "tenants/t1/users/a/users", "tenants/t2/users", "users"], all.Steps);
        AssertPulled(live, all.Documents, p => p.Collection.EndsWith("users", StringComparison.Ordinal));

        var active = await PullAndCompileAsync(["pull", "--collection-group", "users", "--where", "active=true", "--into", Into("active")], "active");
        Assert.Equal(["tenants/t1/users", "tenants/t2/users", "users"], active.Steps);
        AssertPulled(live, active.Documents, p => p.Collection.EndsWith("users", StringComparison.Ordinal) && live[p]["active"].Equals(Value.Boolean(true)));

        var none = await CliAsync([], "pull", "--collection-group", "nobody", "--into", Into("none"));
        Assert.Equal(ExitCodes.NothingPulled, none.Code);
        Assert.Contains("Collection group nobody has no documents", none.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, (await CliAsync([], "pull", "--collection-group", "tenants/t1/users")).Code);
        Assert.Equal(ExitCodes.Usage, (await CliAsync([], "pull", "users", "--collection-group", "users")).Code);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Recursive_pulls_every_subcollection_of_the_pulled_documents_as_its_own_step(bool emulator)
    {
        var live = await WriteTreeAsync(emulator, seed: 8);

        // Three documents per file: tenants/t1/users continues in the second file, which starts with its keys again.
        var tree = await PullAndCompileAsync(["pull", "tenants", "--recursive", "--max-documents-per-file", "3", "--into", Into("tree")], "tree");
        Assert.Equal(
            ["tenants", "tenants/t1/users", "tenants/t1/users", "tenants/t1/users/a/settings", "tenants/t1/users/a/users", "tenants/t2/users", "tenants/t2/users/c/settings"],
            tree.Steps);
        AssertPulled(live, tree.Documents, p => p.ToString().StartsWith("tenants/", StringComparison.Ordinal));

        // --ids chooses the top documents; everything below them follows whole.
        var one = await PullAndCompileAsync(["pull", "tenants", "--ids", "t2", "--recursive", "--into", Into("one")], "one");
        Assert.Equal(["tenants", "tenants/t2/users", "tenants/t2/users/c/settings"], one.Steps);
        AssertPulled(live, one.Documents, p => p.ToString().StartsWith("tenants/t2", StringComparison.Ordinal));
    }

    private string Into(string name) => Path.Combine(_directory, name, "migrations", "pre");

    private async Task<Dictionary<DocumentPath, IReadOnlyDictionary<string, Value>>> WriteTreeAsync(bool emulator, int seed)
    {
        if (emulator)
        {
            _firestore = await Seeding.TestSupport.FirestoreEmulator.OptionsAsync(Seeding.TestSupport.FirestoreEmulator.NewProjectId("pulltree"));
        }

        var random = new Random(seed);
        var live = new Dictionary<DocumentPath, IReadOnlyDictionary<string, Value>>();
        foreach (var (path, i) in TreePaths.Select((p, i) => (p, i)))
        {
            live[DocumentPath.Parse(path)] = new Dictionary<string, Value>(RandomValues.Document(random, ["a"])) { ["active"] = Value.Boolean(i % 3 == 0), ["n"] = Value.Integer(i) };
        }

        await WriteAsync(live);
        return live;
    }

    // Pulls, compiles every file written with no diagnostic, plans all skip; returns the steps' collections and the documents.
    private async Task<(string[] Steps, (DocumentPath Path, IReadOnlyDictionary<string, Value> Fields)[] Documents)> PullAndCompileAsync(string[] args, string name)
    {
        var pulled = await CliAsync([], args);
        Assert.True(pulled.Code == 0, pulled.ToString());
        var files = Directory.GetFiles(Into(name), "*.yaml").Order(StringComparer.Ordinal).ToArray();
        var run = GeneratorHarness.Run(files.Select(f => ("migrations/pre/" + Path.GetFileName(f), File.ReadAllText(f))).ToArray()).AssertClean();
        var registry = SeedLanguageTests.Registry(run);
        var steps = registry.Seeds.SelectMany(s => s.Steps).ToArray();
        var documents = steps.SelectMany(s => s.Documents.Select(d => (Path: DocumentPath.Create(s.Collection, d.Id), d.Fields))).ToArray();

        var plan = await CliAsync([registry], "plan", "--all", "--output", "json");
        Assert.True(plan.Code == 0, plan.ToString());
        var totals = JsonDocument.Parse(plan.Output).RootElement.GetProperty("totals");
        Assert.Equal(0, totals.GetProperty("created").GetInt32() + totals.GetProperty("updated").GetInt32());
        Assert.Equal(documents.Length, totals.GetProperty("skipped").GetInt32());
        return (steps.Select(s => s.Collection).ToArray(), documents);
    }

    private static void AssertPulled(Dictionary<DocumentPath, IReadOnlyDictionary<string, Value>> live, (DocumentPath Path, IReadOnlyDictionary<string, Value> Fields)[] documents, Func<DocumentPath, bool> expected)
    {
        Assert.Equal(live.Keys.Where(expected).Select(p => p.ToString()).Order(StringComparer.Ordinal), documents.Select(d => d.Path.ToString()).Order(StringComparer.Ordinal));
        foreach (var (path, fields) in documents)
        {
            AssertSameFields(live[path], fields, path);
        }
    }
}
