using System.Net.Http.Json;
using System.Text.Json;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Firestore;
using Seeding.Store;
using Seeding.TestSupport;

namespace Seeding.Cli.Tests;

/// <summary><c>plan --out</c> and <c>migrate --plan</c> on the Firestore emulator, alone and raced by 16 runners and a writer.</summary>
public sealed class SavedPlanFirestoreTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private async Task<FirestoreStoreOptions> UseEmulatorAsync(string hint)
    {
        var options = await FirestoreEmulator.OptionsAsync(FirestoreEmulator.NewProjectId(hint));
        _workspace.Environment["FIRESTORE_EMULATOR_HOST"] = options.EmulatorHost!;
        _workspace.Environment["FIRESTORE_PROJECT_ID"] = options.ProjectId;
        return options;
    }

    [Fact]
    public async Task Plan_writes_nothing_and_migrate_plan_applies_exactly_the_planned_writes()
    {
        var options = await UseEmulatorAsync("plan-apply");
        ServiceSeeds[] services = [TestServices.Catalog()];
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "migrate", "--phase", "pre")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "migrate", "--phase", "bootstrap")).ExitCode);
        var before = await DumpAsync(options);
        Assert.Contains(before, d => d.StartsWith("seeding_locks/catalog ", StringComparison.Ordinal));

        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "plan")).ExitCode);
        var plan = await _workspace.RunAsync(services, "plan", "--out", "plan.json");
        Assert.True(plan.ExitCode == ExitCodes.Ok, plan.ToString());
        Assert.Equal(before, await DumpAsync(options));
        Assert.Contains($"\"store\": \"firestore-emulator:{options.EmulatorHost}/projects/{options.ProjectId}/databases/(default)\"", await File.ReadAllTextAsync(Path.Combine(_workspace.Directory, "plan.json")));

        var apply = await _workspace.RunAsync(services, "migrate", "--plan", "plan.json");
        Assert.True(apply.ExitCode == ExitCodes.Ok, apply.ToString());
        Assert.Matches(@"post/0001_flags\s+applied\s+1\s+0\s+0", apply.Output);
        Assert.Matches(@"bootstrap/system_account\s+ensured\s+0\s+1\s+0", apply.Output);
        Assert.Contains("3 migrations: 3 applied, 0 pending, 0 drifted", (await _workspace.RunAsync(services, "status")).Output);
        var after = await DumpAsync(options);
        var added = after.Where(d => !d.StartsWith("seeding_", StringComparison.Ordinal)).Except(before).ToArray();
        Assert.Equal(["catalog_flags/beta {\"name\":{\"stringValue\":\"beta\"}}"], added.Select(d => d[..d.LastIndexOf(' ')]));
    }

    [Fact]
    public async Task A_plan_made_stale_by_one_write_names_the_document_and_writes_nothing_of_it()
    {
        var options = await UseEmulatorAsync("plan-stale");
        ServiceSeeds[] services = [TestServices.Catalog()];
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "plan", "--out", "plan.json")).ExitCode);
        using (var writer = new FirestoreDocumentStore(options))
        {
            await writer.CommitAsync([DocumentWrite.Set(DocumentPath.Parse("catalog_plans/pro"), SavedPlanTests.Fields(("by", "someone else")))]);
        }

        var apply = await _workspace.RunAsync(services, "migrate", "--plan", "plan.json");
        Assert.True(apply.ExitCode == ExitCodes.StalePlan, apply.ToString());
        Assert.Contains("catalog_plans/pro (plan saw absent, now updated ", apply.Error);
        Assert.Contains("3 migrations: 0 applied, 3 pending, 0 drifted", (await _workspace.RunAsync(services, "status")).Output);
        var data = (await DumpAsync(options)).Where(d => !d.StartsWith("seeding_", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["catalog_plans/pro {\"by\":{\"stringValue\":\"someone else\"}}"], data.Select(d => d[..d.LastIndexOf(' ')]));
    }

    // The writer writes at once (usually before any runner has read), or as soon as a runner holds the lease (usually
    // while it checks or applies the plan): either way no runner may overwrite it.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sixteen_runners_applying_one_plan_and_a_writer_never_apply_an_unreviewed_write(bool writerWaitsForTheLease)
    {
        var options = await UseEmulatorAsync("plan-race");
        ServiceSeeds[] services = [TestServices.Catalog()];
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "plan", "--out", "plan.json")).ExitCode);

        using var writer = new FirestoreDocumentStore(options);
        var admin = DocumentPath.Parse("catalog_roles/admin");
        var runners = Enumerable.Range(0, 16).Select(_ => Task.Run(() => _workspace.RunAsync(services, "migrate", "--plan", "plan.json"))).ToArray();
        var write = Task.Run(async () =>
        {
            var lease = DocumentPath.Parse("seeding_locks/catalog");
            while (writerWaitsForTheLease && !(await writer.GetAllAsync([lease]))[0].Exists)
            {
                await Task.Delay(5);
            }

            await writer.CommitAsync([DocumentWrite.Set(admin, SavedPlanTests.Fields(("by", "writer")))]);
        });
        var results = await Task.WhenAll(runners);
        await write;

        Assert.All(results, r => Assert.True(r.ExitCode is ExitCodes.Ok or ExitCodes.StalePlan, r.ToString()));
        var applied = results.Where(r => r.ExitCode == ExitCodes.Ok).ToArray();
        Assert.True(applied.Length <= 1, $"{applied.Length} runners applied the plan");

        // Whoever came first, no runner overwrote the writer's document: its write was conditioned on what the plan saw.
        using var reader = new FirestoreDocumentStore(options);
        var final = (await reader.GetAllAsync([admin]))[0];
        Assert.Equal(SavedPlanTests.Fields(("by", "writer")).OrderBy(f => f.Key), final.Fields.OrderBy(f => f.Key));

        var data = (await DumpAsync(options)).Where(d => !d.StartsWith("seeding_", StringComparison.Ordinal)).Select(d => d[..d.IndexOf(' ')]).ToArray();
        var history = (await DumpAsync(options)).Count(d => d.StartsWith("seeding_history/", StringComparison.Ordinal));
        var status = (await _workspace.RunAsync(services, "status")).Output;
        if (applied.Length == 1)
        {
            // The writer came after the apply: every planned document is there, each migration recorded once.
            Assert.Equal(3, history);
            Assert.Contains("3 migrations: 3 applied, 0 pending", status);
            Assert.Equal(7, data.Length);
            Assert.All(results.Where(r => r.ExitCode == ExitCodes.StalePlan), r => Assert.Contains("applied since the plan", r.Error));
        }
        else
        {
            // The writer came first: every runner refused, nothing of the plan was written.
            Assert.Equal(0, history);
            Assert.Contains("3 migrations: 0 applied, 3 pending", status);
            Assert.Equal(["catalog_roles/admin"], data);
            Assert.All(results, r => Assert.Contains("catalog_roles/admin (plan saw absent", r.Error));
        }
    }

    // Every document of the emulator's database (collections listed by the emulator itself), as "path fields updateTime".
    private static async Task<List<string>> DumpAsync(FirestoreStoreOptions options)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{options.EmulatorHost}/v1/projects/{options.ProjectId}/databases/(default)/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "owner");
        using var listed = await http.PostAsJsonAsync("./documents:listCollectionIds", new { pageSize = 1000 });
        listed.EnsureSuccessStatusCode();
        using var collections = JsonDocument.Parse(await listed.Content.ReadAsStringAsync());
        var rows = new List<string>();
        foreach (var collection in collections.RootElement.TryGetProperty("collectionIds", out var ids) ? ids.EnumerateArray().Select(i => i.GetString()!) : [])
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync($"documents/{collection}?pageSize=1000"));
            foreach (var document in page.RootElement.TryGetProperty("documents", out var documents) ? documents.EnumerateArray().ToArray() : [])
            {
                var name = document.GetProperty("name").GetString()!;
                var path = name[(name.IndexOf("/documents/", StringComparison.Ordinal) + "/documents/".Length)..];
                var fields = document.TryGetProperty("fields", out var f) ? JsonSerializer.Serialize(Sorted(f)) : "{}";
                rows.Add($"{path} {fields} {document.GetProperty("updateTime").GetString()}");
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static SortedDictionary<string, JsonElement> Sorted(JsonElement fields) =>
        new(fields.EnumerateObject().ToDictionary(p => p.Name, p => p.Value), StringComparer.Ordinal);
}
