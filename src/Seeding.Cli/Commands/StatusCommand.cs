using System.Globalization;
using Seeding.Cli.Output;
using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Cli.Commands;

/// <summary>One service's migration states.</summary>
internal sealed record ServiceStatus(ServiceSeeds Service, IReadOnlyList<MigrationStatus> Migrations)
{
    /// <summary>Backfills of migrations not yet applied that are running or were interrupted, partition by partition.</summary>
    public IReadOnlyList<BackfillStatus> Backfills { get; init; } = [];
}

/// <summary>What status or verify found.</summary>
internal sealed record StatusResult(bool Verify, string Store, IReadOnlyList<ServiceStatus> Services, int ExitCode)
{
    /// <summary>With <c>--drift</c>: each service's diff; null when not asked (status stays one read).</summary>
    public IReadOnlyDictionary<string, Diffing.ServiceDiff>? Drift { get; init; }
}

/// <summary><c>status</c> and <c>verify</c>: read the history (one batched read per service), write nothing.</summary>
internal sealed class StatusCommand(CommandContext context)
{
    public async Task<int> RunAsync(StatusInvocation invocation, CancellationToken cancellationToken)
    {
        var name = invocation.Verify ? "verify" : "status";
        try
        {
            return await RunCoreAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, name, invocation.Json, e.ExitCode, e.Kind, e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
    }

    private async Task<int> RunCoreAsync(StatusInvocation invocation, CancellationToken cancellationToken)
    {
        await ServiceResolver.LoadServicesAsync(context, invocation.Assemblies, cancellationToken).ConfigureAwait(false);
        var services = ServiceResolver.Select(context, invocation.Services, defaultAll: true);
        var settings = invocation.Store.Resolve(context);
        await using var store = await MigrateCommand.Open(settings, cancellationToken).ConfigureAwait(false);
        var runner = new SeedRunner(store.Store);
        var statuses = new List<ServiceStatus>(services.Count);
        foreach (var service in services)
        {
            try
            {
                var migrations = await runner.GetStatusAsync(service, cancellationToken).ConfigureAwait(false);
                statuses.Add(new ServiceStatus(service, migrations) { Backfills = await BackfillText.InProgressAsync(runner, service, migrations, cancellationToken).ConfigureAwait(false) });
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CommandException(ExitCodes.Failure, $"{service.Service}: could not read the migration history: {e.Message}", e);
            }
        }

        var drifted = statuses.SelectMany(s => s.Migrations).Where(m => m.State == MigrationState.Drifted).ToArray();
        var exitCode = invocation.Verify && drifted.Length > 0 ? ExitCodes.Drift : ExitCodes.Ok;
        var result = new StatusResult(invocation.Verify, store.DisplayName, statuses, exitCode)
        {
            Drift = invocation.Drift ? await StatusDrift.ReadAsync(context, settings, store, services, cancellationToken).ConfigureAwait(false) : null,
        };
        if (invocation.Json)
        {
            await context.Output.WriteAsync(JsonOutput.Status(result)).ConfigureAwait(false);
        }
        else
        {
            await WriteTextAsync(context.Output, result).ConfigureAwait(false);
        }

        if (exitCode == ExitCodes.Drift)
        {
            await context.Error.WriteLineAsync(
                $"error: {Format.Plural(drifted.Length, "applied migration was", "applied migrations were")} edited after being applied. " +
                "Undo the edits (git checkout the files) and put changes in new, higher-numbered migrations.").ConfigureAwait(false);
        }

        return exitCode;
    }

    private static async Task WriteTextAsync(TextWriter output, StatusResult result)
    {
        var all = result.Services.SelectMany(s => s.Migrations).ToArray();
        var drifted = all.Where(m => m.State == MigrationState.Drifted).ToArray();
        await output.WriteLineAsync(
            $"{(result.Verify ? "Verifying" : "Status of")} {Format.Plural(result.Services.Count, "service", "services")} on {result.Store}.").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);

        (string, bool)[] columns = [("Service", false), ("Migration", false), ("State", false), ("Applied at (UTC)", false), ("Checksum", false)];
        var table = new TextTable(result.Drift is null ? columns : [.. columns, ("Drift", false)]);
        foreach (var service in result.Services)
        {
            if (service.Migrations.Count == 0)
            {
                table.Add(StatusDrift.Row(result.Drift, null, service.Service.Service, "-", "no migrations", string.Empty, string.Empty));
            }

            foreach (var migration in service.Migrations)
            {
                table.Add(StatusDrift.Row(
                    result.Drift,
                    migration.Seed,
                    service.Service.Service,
                    migration.Seed.ToString(),
                    migration.State.ToString().ToLowerInvariant(),
                    migration.AppliedAt is { } at ? at.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-",
                    Short(migration.State == MigrationState.Drifted ? migration.AppliedChecksum : migration.Seed.Checksum)));
            }
        }

        if (table.Count > 0)
        {
            table.Write(output);
            await output.WriteLineAsync().ConfigureAwait(false);
        }

        var bootstrap = result.Services.SelectMany(s => s.Service.Seeds.Where(seed => !seed.IsMigration).Select(seed => Printable.Escape($"{s.Service.Service}/{seed.Id}"))).ToArray();
        if (bootstrap.Length > 0 && !result.Verify)
        {
            await output.WriteLineAsync($"Bootstrap seeds (ensured on every run, never recorded): {string.Join(", ", bootstrap)}.").ConfigureAwait(false);
        }

        await StatusDrift.WriteBootstrapAsync(output, result).ConfigureAwait(false);
        foreach (var migration in drifted)
        {
            var service = result.Services.First(s => s.Migrations.Contains(migration)).Service.Service;
            await output.WriteLineAsync(
                $"Drifted: {Printable.Escape(service)} {Printable.Escape(migration.Seed.ToString())} ({Printable.Escape(migration.Seed.SourcePath)}) was applied with {migration.AppliedChecksum}; the file now gives {migration.Seed.Checksum}.").ConfigureAwait(false);
        }

        // Applied while a target was missing: said, so "applied" never hides topics or indexes still to be ensured.
        foreach (var service in result.Services)
        {
            foreach (var migration in service.Migrations.Where(m => m.ResourcesWithoutTarget.Count > 0))
            {
                var what = string.Join(" and ", migration.ResourcesWithoutTarget.Select(t => t == ResourceTarget.PubSub ? "topic and subscription" : "index and field override"));
                await output.WriteLineAsync(
                    $"Without target: {Printable.Escape(service.Service.Service)} {Printable.Escape(migration.Seed.ToString())} ran its {what} steps with no target; the next migrate that has one ensures them.").ConfigureAwait(false);
            }
        }

        await BackfillText.WriteAsync(output, result.Services).ConfigureAwait(false);
        var applied = all.Count(m => m.State == MigrationState.Applied);
        var pending = all.Count(m => m.State == MigrationState.Pending);
        await output.WriteLineAsync(result.Verify
            ? drifted.Length == 0
                ? $"Verified: {Format.Plural(applied, "applied migration matches its file", "applied migrations match their files")}, {pending} pending."
                : $"Verify failed: {drifted.Length} drifted, {applied} match, {pending} pending."
            : $"Total: {Format.Plural(all.Length, "migration", "migrations")}: {applied} applied, {pending} pending, {drifted.Length} drifted.").ConfigureAwait(false);
    }

    private static string Short(string? checksum) => checksum is null ? "-" : checksum.Length > 19 ? checksum[..19] : checksum;
}
