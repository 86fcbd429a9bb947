using Seeding.Cli.Output;
using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Cli.Commands;

/// <summary><c>revert</c>: the runtime's safe revert, with a report of what was deleted and what was kept and why.</summary>
internal sealed class RevertCommand(CommandContext context)
{
    public async Task<int> RunAsync(MigrationTarget invocation, CancellationToken cancellationToken)
    {
        try
        {
            await ServiceResolver.LoadServicesAsync(context, invocation.Assemblies, cancellationToken).ConfigureAwait(false);
            var service = ServiceResolver.SelectOne(context, invocation.Service);
            var id = MigrationNames.Resolve(service, invocation.Migration).Id;
            await using var store = await MigrateCommand.Open(invocation.Store.Resolve(context), cancellationToken).ConfigureAwait(false);
            RevertReport report;
            try
            {
                report = await new SeedRunner(store.Store, logger: null, invocation.RunnerOptions).RevertAsync(service, id, invocation.DryRun, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                throw new CommandException(ExitCodes.Failure, e.Message, e);
            }
            catch (LockTimeoutException e)
            {
                throw new CommandException(ExitCodes.LockTimeout, e.Message, e);
            }

            if (invocation.Json)
            {
                await context.Output.WriteAsync(MaintenanceJson.Revert(service.Service, store.DisplayName, report)).ConfigureAwait(false);
            }
            else
            {
                await WriteTextAsync(service.Service, store.DisplayName, report).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, "revert", invocation.Json, e.ExitCode, e.Kind, e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
    }

    private async Task WriteTextAsync(string service, string store, RevertReport report)
    {
        var output = context.Output;
        await output.WriteLineAsync(
            $"{(report.DryRun ? "Plan to revert" : "Reverted")} {service} {report.Migration} ({report.Migration.SourcePath}) on {store}.").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        var table = new TextTable(("Document", false), ("Action", false), ("Reason", false));
        foreach (var path in report.Deleted)
        {
            table.Add(path.ToString(), report.DryRun ? "would delete" : "deleted", "created by this migration, unchanged since");
        }

        foreach (var kept in report.Kept)
        {
            table.Add(kept.Path.ToString(), "kept", kept.Reason);
        }

        foreach (var kept in report.KeptResources)
        {
            table.Add($"{ResourceText.Kind(kept.Kind)} {Printable.Escape(kept.Name)}", "kept", kept.Reason);
        }

        if (table.Count > 0)
        {
            table.Write(output);
            await output.WriteLineAsync().ConfigureAwait(false);
        }

        await output.WriteLineAsync(report.DryRun
            ? $"Nothing was changed (dry run): {report.Deleted.Count} would be deleted, {report.Kept.Count + report.KeptResources.Count} kept."
            : $"{report.Deleted.Count} deleted, {report.Kept.Count + report.KeptResources.Count} kept. The migration is pending again; remove or fix its file before the next migrate.").ConfigureAwait(false);
    }
}
