using System.Text.Json;

namespace Seeding.Cli.Tests;

/// <summary><c>accept</c>: an intended edit of an applied migration, refused without a reason, recorded with an audit entry.</summary>
public sealed class AcceptCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private string ServiceDir => Path.Combine(_workspace.Directory, "svc");

    private string LockPath => Path.Combine(ServiceDir, "seeding.lock.json");

    private static Seeding.Definitions.ServiceSeeds[] Edited => [TestServices.Catalog(rolesChecksum: "sha256:roles-v2")];

    [Fact]
    public async Task An_edit_is_refused_as_drift_then_accepted_with_a_reason_and_verify_and_migrate_are_clean()
    {
        Directory.CreateDirectory(Path.Combine(ServiceDir, "migrations"));
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync([TestServices.Catalog()], "migrate")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync([TestServices.Catalog()], "lock", "--service-dir", "svc")).ExitCode);
        Assert.Contains("\"pre/0001_roles\": \"sha256:roles-v1\"", await File.ReadAllTextAsync(LockPath));

        // The file of an applied migration was edited: verify and migrate refuse it as drift.
        Assert.Equal(ExitCodes.Drift, (await _workspace.RunAsync(Edited, "verify")).ExitCode);
        Assert.Equal(ExitCodes.Drift, (await _workspace.RunAsync(Edited, "migrate")).ExitCode);

        // No reason: refused before anything is opened.
        var noReason = await _workspace.RunAsync(Edited, "accept", "0001_roles", "--service-dir", "svc");
        Assert.Equal(ExitCodes.Usage, noReason.ExitCode);
        Assert.Contains("error: accept needs --reason \"why the edit is intended\"", noReason.Error);
        Assert.Contains("Nothing was changed.", noReason.Error);
        var blankReason = await _workspace.RunAsync(Edited, "accept", "0001_roles", "--reason", "  ");
        Assert.Equal(ExitCodes.Usage, blankReason.ExitCode);

        // A dry run says what it would record and writes nothing: still drifted, lock file unchanged.
        var lockBefore = await File.ReadAllTextAsync(LockPath);
        var dryRun = await _workspace.RunAsync(Edited, "accept", "pre/0001_roles", "--reason", "typo in a name", "--dry-run", "--service-dir", "svc");
        Assert.True(dryRun.ExitCode == ExitCodes.Ok, dryRun.ToString());
        Assert.Contains("Would accept the edit of catalog pre/0001_roles (migrations/pre/0001_roles.yaml) on sqlite:", dryRun.Output);
        Assert.Contains("  checksum:  sha256:roles-v1 -> sha256:roles-v2\n", dryRun.Output);
        Assert.Contains("  reason:    typo in a name\n", dryRun.Output);
        Assert.Contains("lock file: svc/seeding.lock.json: pre/0001_roles would be updated", dryRun.Output);
        Assert.Contains("Nothing was written (dry run).", dryRun.Output);
        Assert.Equal(ExitCodes.Drift, (await _workspace.RunAsync(Edited, "verify")).ExitCode);
        Assert.Equal(lockBefore, await File.ReadAllTextAsync(LockPath));
        Assert.DoesNotContain("accepted", (await _workspace.RunAsync(Edited, "show", "history")).Output);

        var accepted = await _workspace.RunAsync(Edited, "accept", "0001_roles", "--reason", "typo in a name", "--service-dir", "svc");
        Assert.True(accepted.ExitCode == ExitCodes.Ok, accepted.ToString());
        Assert.Contains("Accepted the edit of catalog pre/0001_roles", accepted.Output);
        Assert.Matches(@"  by:        \S+@\S+ at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n", accepted.Output);
        Assert.Contains("lock file: svc/seeding.lock.json: pre/0001_roles updated", accepted.Output);
        Assert.Equal(lockBefore.Replace("sha256:roles-v1", "sha256:roles-v2", StringComparison.Ordinal), await File.ReadAllTextAsync(LockPath));

        var verify = await _workspace.RunAsync(Edited, "verify");
        Assert.True(verify.ExitCode == ExitCodes.Ok, verify.ToString());
        Assert.Contains("Verified: 3 applied migrations match their files, 0 pending.", verify.Output);
        var migrate = await _workspace.RunAsync(Edited, "migrate");
        Assert.True(migrate.ExitCode == ExitCodes.Ok, migrate.ToString());
        Assert.DoesNotContain("drift", migrate.Output + migrate.Error, StringComparison.OrdinalIgnoreCase);

        var history = await _workspace.RunAsync(Edited, "show", "history");
        Assert.True(history.ExitCode == ExitCodes.Ok, history.ToString());
        Assert.Matches(@"catalog\s+pre/0001_roles\s+applied\s+sha256:roles-v2\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+\s+last attempt: 2 created, 0 skipped, 0 updated; checksum accepted \d{4}-", history.Output);
        Assert.Matches(@"catalog\s+pre/0001_roles\s+accepted\s+sha256:roles-v1 -> sha256:roles-v2\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+@\S+\s+reason: typo in a name", history.Output);

        // Accepted once: nothing left to accept.
        var again = await _workspace.RunAsync(Edited, "accept", "0001_roles", "--reason", "again");
        Assert.Equal(ExitCodes.Failure, again.ExitCode);
        Assert.Contains("it has not drifted, there is nothing to accept", again.Error);
    }

    [Fact]
    public async Task A_pending_migration_is_refused_and_json_reports_the_audit_entry()
    {
        var pending = await _workspace.RunAsync(Edited, "accept", "0001_roles", "--reason", "why");
        Assert.Equal(ExitCodes.Failure, pending.ExitCode);
        Assert.Contains("catalog pre/0001_roles is not applied in this store", pending.Error);

        await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "pre");
        var result = await _workspace.RunAsync(Edited, "accept", "0001_roles", "--reason", "JIRA-1: fixed in place", "--output", "json");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(("accept", "pre/0001_roles", false), (root.GetProperty("command").GetString(), root.GetProperty("migration").GetString(), root.GetProperty("dryRun").GetBoolean()));
        Assert.Equal(("sha256:roles-v1", "sha256:roles-v2"), (root.GetProperty("oldChecksum").GetString(), root.GetProperty("newChecksum").GetString()));
        Assert.Equal("JIRA-1: fixed in place", root.GetProperty("reason").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT", root.GetProperty("acceptedAt").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("lockFile").ValueKind);

        var history = await _workspace.RunAsync(Edited, "show", "history", "--output", "json");
        using var entries = JsonDocument.Parse(history.Output);
        var audit = Assert.Single(entries.RootElement.GetProperty("documents").EnumerateArray(), d => d.GetProperty("path").GetString()!.Contains(":accepted:", StringComparison.Ordinal));
        var fields = audit.GetProperty("fields");
        Assert.Equal(("sha256:roles-v1", "sha256:roles-v2", "JIRA-1: fixed in place"),
            (Text(fields, "old_checksum"), Text(fields, "new_checksum"), Text(fields, "reason")));
        Assert.Contains("@", Text(fields, "accepted_by"));

        static string? Text(JsonElement fields, string name) => fields.GetProperty(name).GetProperty("string").GetString();
    }

    [Fact]
    public async Task Accept_takes_the_services_lease_and_waits_for_another_holder()
    {
        await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "pre");

        // Another runner holds the lease for the next hour (by the store's clock).
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
        var result = await _workspace.RunAsync(Edited, "accept", "0001_roles", "--reason", "why", "--lock-timeout", "0");
        Assert.Equal(ExitCodes.LockTimeout, result.ExitCode);
        Assert.Contains("other-runner", result.Error);
        Assert.Equal(ExitCodes.Drift, (await _workspace.RunAsync(Edited, "verify")).ExitCode);

        // A dry run writes nothing, so it needs no lease.
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(Edited, "accept", "0001_roles", "--reason", "why", "--dry-run", "--lock-timeout", "0")).ExitCode);
    }

    [Fact]
    public async Task An_unknown_migration_names_the_services_migrations()
    {
        var result = await _workspace.RunAsync(Edited, "accept", "0009_nope", "--reason", "why");
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("Service 'catalog' has no migration '0009_nope'. Its migrations: pre/0001_roles, pre/0002_plans, post/0001_flags.", result.Error);
    }
}
