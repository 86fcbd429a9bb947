using Seeding.Cli.Output;
using Seeding.Running;

namespace Seeding.Cli.Commands;

/// <summary>
/// <c>lock</c>: writes <c>seeding.lock.json</c> into the service's folder with the checksum of every migration that is
/// applied in the store (pending ones are left out: they may still be edited). Entries are only ever added: a locked
/// migration keeps its checksum, and the generator turns an edit of it into a compile error. An intended edit of an
/// applied migration goes through <c>accept</c>, which updates its entry.
/// </summary>
internal sealed class LockCommand(CommandContext context)
{
    public const string FileName = LockFile.FileName;

    public async Task<int> RunAsync(LockInvocation invocation, CancellationToken cancellationToken)
    {
        string? storeName = null;
        try
        {
            await ServiceResolver.LoadServicesAsync(context, invocation.Assemblies, cancellationToken).ConfigureAwait(false);
            var service = ServiceResolver.SelectOne(context, invocation.Service);
            var directory = Projects.ProjectDiscovery.ServiceFolder(context, invocation.ServiceDirectory);
            if (!File.Exists(Path.Combine(directory, "seeding.yaml")) && !Directory.Exists(Path.Combine(directory, "migrations")))
            {
                throw new UsageException($"'{context.DisplayPath(directory)}' does not look like a service folder (no seeding.yaml or migrations/). Pass --service-dir.");
            }

            var path = Path.Combine(directory, FileName);
            var locked = await LockFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
            await using var store = await MigrateCommand.Open(invocation.Store.Resolve(context), cancellationToken).ConfigureAwait(false);
            storeName = store.DisplayName;
            IReadOnlyList<MigrationStatus> statuses;
            try
            {
                statuses = await new SeedRunner(store.Store).GetStatusAsync(service, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CommandException(ExitCodes.Failure, $"{service.Service}: could not read the migration history: {e.Message}", e);
            }

            var added = 0;
            var pending = 0;
            foreach (var status in statuses)
            {
                var migration = status.Seed;
                var key = MigrationNames.Key(migration);
                if (locked.TryGetValue(key, out var existing) && existing != migration.Checksum)
                {
                    throw new CommandException(ExitCodes.Drift,
                        $"{migration.SourcePath} is locked with {existing} but now gives {migration.Checksum}. Undo the edit and add a new migration instead " +
                        $"(or, for an intended edit of an applied migration, '{context.Options.CommandName} accept {key} --reason \"...\"'); the lock file is left unchanged.");
                }

                switch (status.State)
                {
                    case MigrationState.Drifted:
                        throw new CommandException(ExitCodes.Drift,
                            $"{migration.SourcePath} was applied with {status.AppliedChecksum} but now gives {migration.Checksum}. Undo the edit, or accept it with " +
                            $"'{context.Options.CommandName} accept {key} --reason \"...\"'; the lock file is left unchanged.");
                    case MigrationState.Pending:
                        pending++;
                        break;
                    case MigrationState.Applied when existing is null:
                        locked[key] = migration.Checksum;
                        added++;
                        break;
                }
            }

            await LockFile.WriteAsync(path, service.Service, locked, cancellationToken).ConfigureAwait(false);
            var display = context.DisplayPath(path);
            await context.Output.WriteLineAsync(invocation.Json
                ? MaintenanceJson.Locked(display, service.Service, locked.Count, added, store.DisplayName, pending)
                : $"Locked {Format.Plural(locked.Count, "applied migration", "applied migrations")} of {service.Service} in {display} ({added} new)" +
                  (pending == 0 ? "." : $"; {Format.Plural(pending, "pending migration is", "pending migrations are")} not locked (not applied on {store.DisplayName}: lock again once applied).") +
                  " Commit the file.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, "lock", invocation.Json, e.ExitCode, e.Kind, e.Message, storeName).ConfigureAwait(false);
            return e.ExitCode;
        }
    }
}
