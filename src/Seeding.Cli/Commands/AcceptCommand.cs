using System.Globalization;
using Seeding.Cli.Output;
using Seeding.Running;

namespace Seeding.Cli.Commands;

/// <summary>
/// <c>accept</c> (Flyway's repair): records the current checksum of an applied migration whose file was edited on
/// purpose, with an audit entry in history (old and new checksum, who, when, the required reason), and updates its entry
/// in <c>seeding.lock.json</c> when the service folder has one. Runs under the service's lease like other writes.
/// </summary>
internal sealed class AcceptCommand(CommandContext context)
{
    public async Task<int> RunAsync(AcceptInvocation invocation, CancellationToken cancellationToken)
    {
        string? storeName = null;
        try
        {
            if (string.IsNullOrWhiteSpace(invocation.Reason))
            {
                throw new UsageException(
                    "accept needs --reason \"why the edit is intended\": it is recorded in the history beside the old and the new checksum. Nothing was changed.");
            }

            await ServiceResolver.LoadServicesAsync(context, invocation.Target.Assemblies, cancellationToken).ConfigureAwait(false);
            var service = ServiceResolver.SelectOne(context, invocation.Target.Service);
            var migration = MigrationNames.Resolve(service, invocation.Target.Migration);
            var key = MigrationNames.Key(migration);

            // The lock file is read first: a broken one stops the accept before anything is written.
            var lockPath = Path.Combine(Projects.ProjectDiscovery.ServiceFolder(context, invocation.ServiceDirectory), LockFile.FileName);
            var locked = await LockFile.ReadAsync(lockPath, cancellationToken).ConfigureAwait(false);
            var hasLockFile = File.Exists(lockPath);

            await using var store = await MigrateCommand.Open(invocation.Target.Store.Resolve(context), cancellationToken).ConfigureAwait(false);
            storeName = store.DisplayName;
            AcceptReport report;
            try
            {
                report = await new SeedRunner(store.Store, logger: null, invocation.Target.RunnerOptions).AcceptAsync(service, migration, invocation.Reason, acceptedBy: null, invocation.Target.DryRun, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                throw new CommandException(ExitCodes.Failure, e.Message, e);
            }
            catch (LockTimeoutException e)
            {
                throw new CommandException(ExitCodes.LockTimeout, e.Message, e);
            }

            var lockChange = !hasLockFile ? null : locked.TryGetValue(key, out var old) ? old == report.NewChecksum ? "unchanged" : "updated" : "added";
            if (!report.DryRun && lockChange is "updated" or "added")
            {
                locked[key] = report.NewChecksum;
                await LockFile.WriteAsync(lockPath, service.Service, locked, cancellationToken).ConfigureAwait(false);
            }

            var lockDisplay = hasLockFile ? context.DisplayPath(lockPath) : null;
            if (invocation.Target.Json)
            {
                await context.Output.WriteAsync(DataJson.Accept(service.Service, store.DisplayName, report, lockDisplay, lockChange)).ConfigureAwait(false);
            }
            else
            {
                await WriteTextAsync(service.Service, store.DisplayName, report, key, lockDisplay, lockChange, context.DisplayPath(lockPath)).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, "accept", invocation.Target.Json, e.ExitCode, e.Kind, e.Message, storeName).ConfigureAwait(false);
            return e.ExitCode;
        }
    }

    private async Task WriteTextAsync(string service, string store, AcceptReport report, string key, string? lockPath, string? lockChange, string wouldBeLockPath)
    {
        var output = context.Output;
        var migration = report.Migration;
        await output.WriteLineAsync(
            $"{(report.DryRun ? "Would accept" : "Accepted")} the edit of {Printable.Escape(service)} {key} ({Printable.Escape(migration.SourcePath)}) on {store}.").ConfigureAwait(false);
        await output.WriteLineAsync($"  checksum:  {report.OldChecksum} -> {report.NewChecksum}").ConfigureAwait(false);
        await output.WriteLineAsync($"  reason:    {Printable.Escape(report.Reason)}").ConfigureAwait(false);
        await output.WriteLineAsync(
            $"  by:        {Printable.Escape(report.AcceptedBy)}{(report.AcceptedAt is { } at ? " at " + at.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : string.Empty)}")
            .ConfigureAwait(false);
        await output.WriteLineAsync(lockPath is null
            ? $"  lock file: none at {wouldBeLockPath} (pass --service-dir to update the service's seeding.lock.json)"
            : $"  lock file: {lockPath}: {key} {(report.DryRun ? $"would be {lockChange}" : lockChange)}").ConfigureAwait(false);
        await output.WriteLineAsync(report.DryRun
            ? "Nothing was written (dry run)."
            : "The history records the new checksum and this audit entry; the edit itself was not run. verify and migrate no longer report it as drifted.").ConfigureAwait(false);
    }
}
