using Seeding.Cli.Output;
using Seeding.Cli.Stores;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Cli.Commands;

/// <summary><c>show history</c> and <c>show lease</c>: the runner's own documents, as tables.</summary>
internal sealed partial class ShowCommand
{
    // The collections the runtime keeps its history and leases in (MigrationHistory.Collection, LeaseLock.Collection).
    private const string HistoryCollection = "seeding_history";
    private const string LeaseCollection = "seeding_locks";

    private async Task<int> HistoryAsync(OpenStore store, ShowInvocation invocation, IReadOnlyList<FieldFilter> filters, CancellationToken cancellationToken)
    {
        var query = new DocumentQuery(HistoryCollection, invocation.Service is { } service ? [.. filters, FieldFilter.EqualTo("service", Value.String(service))] : filters);
        var entries = new List<DocumentSnapshot>();
        await foreach (var entry in store.Store.QueryAllAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        if (invocation.Json)
        {
            await context.Output.WriteAsync(DataJson.Show("history", store.DisplayName, entries, more: false)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var output = context.Output;
        await output.WriteLineAsync($"History on {store.DisplayName}: {Format.Plural(entries.Count, "entry", "entries")}.").ConfigureAwait(false);
        if (entries.Count == 0)
        {
            await output.WriteLineAsync("Nothing applied yet (or another store: see --store, --database).").ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        var table = new TextTable(("Service", false), ("Migration", false), ("Entry", false), ("Checksum", false), ("At (UTC)", false), ("By", false), ("Note", false))
            .MaxWidth(3, 60);
        foreach (var entry in entries)
        {
            var fields = entry.Fields;
            string Text(string name) => FieldReader.OptionalString(fields, name) ?? "-";
            var migration = $"{Text("phase")}/{Text("migration")}";
            if (Text("kind") == "accept")
            {
                table.Add(Text("service"), migration, "accepted", $"{Text("old_checksum")} -> {Text("new_checksum")}", Utc(FieldReader.OptionalTimestamp(fields, "accepted_at")),
                    Text("accepted_by"), $"reason: {Text("reason")}");
            }
            else if (FieldReader.OptionalTimestamp(fields, "reverted_at") is { } reverted)
            {
                table.Add(Text("service"), migration, "reverted", Text("checksum"), Utc(reverted), Text("host"),
                    $"applied {Utc(FieldReader.OptionalTimestamp(fields, "applied_at"))}; {FieldReader.OptionalInteger(fields, "reverted_deleted") ?? 0} deleted, {FieldReader.OptionalInteger(fields, "reverted_kept") ?? 0} kept");
            }
            else
            {
                var accepted = FieldReader.OptionalTimestamp(fields, "checksum_accepted_at");
                table.Add(Text("service"), migration, "applied", Text("checksum"), Utc(FieldReader.OptionalTimestamp(fields, "applied_at")), Text("host"),
                    $"last attempt: {FieldReader.OptionalInteger(fields, "last_attempt_created") ?? 0} created, {FieldReader.OptionalInteger(fields, "last_attempt_skipped") ?? 0} skipped, {FieldReader.OptionalInteger(fields, "last_attempt_updated") ?? 0} updated" +
                    (accepted is null ? string.Empty : $"; checksum accepted {Utc(accepted)}"));
            }
        }

        table.Write(output);
        return ExitCodes.Ok;
    }

    private async Task<int> LeaseAsync(OpenStore store, ShowInvocation invocation, IReadOnlyList<FieldFilter> filters, CancellationToken cancellationToken)
    {
        var paths = new List<DocumentPath>();
        if (invocation.Service is { } service && filters.Count == 0)
        {
            paths.Add(DocumentPath.Create(LeaseCollection, service));
        }
        else
        {
            var query = new DocumentQuery(LeaseCollection, filters);
            await foreach (var lease in store.Store.QueryAllAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (invocation.Service is null || lease.Path.Id == invocation.Service)
                {
                    paths.Add(lease.Path);
                }
            }
        }

        // Read again by path: that read carries the store's clock, by which expiry is judged (never this machine's).
        var leases = paths.Count == 0 ? [] : (await store.Store.GetAllAsync(paths, cancellationToken).ConfigureAwait(false)).Where(l => l.Exists).ToArray();
        var storeNow = leases.Select(l => l.ReadTime).Where(t => t is not null).Max();
        if (invocation.Json)
        {
            await context.Output.WriteAsync(DataJson.Show("lease", store.DisplayName, leases, more: false, storeNow)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var output = context.Output;
        await output.WriteLineAsync(
            $"Leases on {store.DisplayName}{(storeNow is { } now ? $" (store clock {Utc(now)} UTC)" : string.Empty)}: {Format.Plural(leases.Length, "lease document", "lease documents")}.").ConfigureAwait(false);
        if (leases.Length == 0)
        {
            return ExitCodes.Ok;
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        var table = new TextTable(("Service", false), ("Holder", false), ("Token", true), ("Expires (UTC)", false), ("State", false), ("Interrupted", false));
        foreach (var lease in leases)
        {
            var fields = lease.Fields;
            var owner = FieldReader.OptionalString(fields, "owner");
            var expires = FieldReader.OptionalTimestamp(fields, "expires_at");
            var clock = lease.ReadTime ?? storeNow;
            var held = !string.IsNullOrEmpty(owner) && expires is { } e && clock is { } c && e > c;
            var state = held
                ? $"held, expires in {Format.Duration(TimeSpan.FromMicroseconds(expires!.Value.UnixMicroseconds - clock!.Value.UnixMicroseconds))} unless renewed"
                : string.IsNullOrEmpty(owner)
                    ? $"free (released by {FieldReader.OptionalString(fields, "released_by") ?? "-"})"
                    : "free (expired)";
            var started = fields.TryGetValue("migrations_started", out var map) && map.Kind == ValueKind.Map ? string.Join(", ", map.AsMap().Keys.Order(StringComparer.Ordinal)) : string.Empty;
            table.Add(lease.Path.Id, string.IsNullOrEmpty(owner) ? "-" : owner, (FieldReader.OptionalInteger(fields, "token") ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Utc(expires), state, started.Length == 0 ? "-" : started);
        }

        table.Write(output);
        return ExitCodes.Ok;
    }
}
