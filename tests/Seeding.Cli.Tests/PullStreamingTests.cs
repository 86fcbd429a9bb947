using Seeding.Cli.Commands;
using Seeding.Documents;
using Seeding.Firestore;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;

namespace Seeding.Cli.Tests;

/// <summary>
/// <c>pull</c>'s reads on the emulator, counted: a collection of several pages is one streamed RunQuery (not one per page
/// of 500), and its references to pulled documents cost no extra read.
/// </summary>
public sealed class PullStreamingTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public PullStreamingTests() => File.WriteAllText(Path.Combine(_workspace.Directory, "seeding.yaml"), "service: pulled\ndepends_on: []\n");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_pull_of_several_pages_costs_one_RunQuery_and_writes_every_document_in_order()
    {
        const int Documents = 1600;
        var calls = new CallCounter();
        var options = await FirestoreEmulator.OptionsAsync(FirestoreEmulator.NewProjectId("pull-stream"));
        options.Interceptors.Add(calls);
        await using var store = new FirestoreDocumentStore(options);
        foreach (var chunk in Enumerable.Range(0, Documents).Chunk(500))
        {
            // Each document refers to its predecessor: a target that is pulled, resolved without reading it again.
            await store.CommitAsync(chunk.Select(i => DocumentWrite.Set(
                DocumentPath.Create("items", $"i{i:D5}"),
                new Dictionary<string, Value>(StringComparer.Ordinal) { ["n"] = Value.Integer(i), ["previous"] = Value.Reference(DocumentPath.Create("items", $"i{Math.Max(0, i - 1):D5}")) })).ToArray());
        }

        var context = new CommandContext(new SeedingCommandLineOptions { EnvironmentVariables = _workspace.Environment.GetValueOrDefault, WorkingDirectory = _workspace.Directory }, TextWriter.Null, TextWriter.Null);
        var targets = PullTargets.Resolve(context, "bootstrap/items.yaml", null, "items");
        var request = new PullRequest("items", [], null, null, "create", PullDocuments.DefaultMaxPerFile, ReadTime: false);
        calls.Reset();

        var written = await new PullDocuments(store, store, "emulator", request, targets).RunAsync(CancellationToken.None);

        Assert.Equal(new Dictionary<string, int> { ["RunQuery"] = 1 }, calls.Snapshot());
        var (path, count) = Assert.Single(written);
        Assert.Equal(Documents, count);
        var ids = File.ReadAllLines(path).Where(l => l.StartsWith("  i", StringComparison.Ordinal)).Select(l => l.TrimEnd(':').Trim()).ToArray();
        Assert.Equal(Enumerable.Range(0, Documents).Select(i => $"i{i:D5}"), ids);
        var references = File.ReadAllLines(path).Where(l => l.TrimStart().StartsWith("previous:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Documents, references.Length);
        Assert.All(references, l => Assert.StartsWith("    previous: !ref ", l, StringComparison.Ordinal));
    }
}
