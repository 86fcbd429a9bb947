namespace Seeding.Cli.Tests;

/// <summary>
/// <c>revert</c> and <c>accept</c> take one declaration of their shared options (the migration, <c>--service</c>,
/// <c>--dry-run</c>, <c>--lock-timeout</c>, the store), so both honour and check them alike.
/// </summary>
public sealed class MigrationTargetOptionsTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private async Task HoldLeaseElsewhereAsync()
    {
        await using (var store = await Seeding.Sqlite.SqliteDocumentStore.OpenAsync(new Seeding.Sqlite.SqliteStoreOptions(_workspace.DefaultDatabase)))
        {
            var lease = (await store.GetAllAsync([Seeding.Documents.DocumentPath.Create("seeding_locks", "catalog")]))[0];
            await store.CommitAsync([Seeding.Store.DocumentWrite.Merge(lease.Path, new Dictionary<string, Seeding.Values.Value>
            {
                ["owner"] = Seeding.Values.Value.String("other-runner"),
                ["expires_at"] = Seeding.Values.Value.Timestamp(Seeding.Values.Timestamp.FromUnixMicroseconds(lease.ReadTime!.Value.UnixMicroseconds + 3_600_000_000)),
            })]);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Revert_waits_for_another_holder_only_as_long_as_lock_timeout_says()
    {
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "pre")).ExitCode);
        await HoldLeaseElsewhereAsync();

        var result = await _workspace.RunAsync([TestServices.Catalog()], "revert", "0002_plans", "--service", "catalog", "--lock-timeout", "0");

        Assert.True(result.ExitCode == ExitCodes.LockTimeout, result.ToString());
        Assert.Contains("other-runner", result.Error);
        var status = await _workspace.RunAsync([TestServices.Catalog()], "status");
        Assert.Matches(@"catalog\s+pre/0002_plans\s+applied", status.Output);
    }

    [Theory]
    [InlineData("revert")]
    [InlineData("accept")]
    public async Task A_negative_lock_timeout_is_refused_alike_before_anything_opens(string command)
    {
        string[] reason = command == "accept" ? ["--reason", "why"] : [];
        var result = await _workspace.RunAsync([TestServices.Catalog()], [command, "0002_plans", .. reason, "--lock-timeout", "-1"]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--lock-timeout must be zero or more seconds.", result.Error);
        Assert.False(File.Exists(_workspace.DefaultDatabase));
    }
}
