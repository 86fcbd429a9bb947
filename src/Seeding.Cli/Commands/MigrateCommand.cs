using System.Diagnostics;
using Seeding.Cli.Output;
using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Cli.Commands;

/// <summary>How one service's part of a run ended.</summary>
internal enum ServiceRunState
{
    Done,
    Drifted,
    LockTimeout,
    PendingPreDeploy,
    Failed,
    Cancelled,
    NotRun,
    StalePlan,
}

/// <summary>One service's part of a run: its report, or why it has none.</summary>
internal sealed record ServiceRun(ServiceSeeds Service, ServiceRunState State, RunReport? Report, string? Error)
{
    /// <summary>Store calls retried after transient faults while this service ran.</summary>
    public long Retries { get; init; }
}

/// <summary>Everything a migrate or plan run did, for the renderers.</summary>
internal sealed record MigrateResult(
    string Command,
    bool DryRun,
    string Store,
    string? PubSub,
    string? Environment,
    IReadOnlyList<SeedPhase> Phases,
    IReadOnlyList<ServiceRun> Services,
    TimeSpan Duration,
    int ExitCode)
{
    /// <summary>The run waited for index builds (<c>--wait-for-indexes</c>) instead of reporting them as building.</summary>
    public bool WaitForIndexes { get; init; }
}

/// <summary><c>migrate</c> and <c>plan</c>: run the selected services in order, stop at the first failure, report.</summary>
internal sealed class MigrateCommand(CommandContext context)
{
    // The opened store's name, for an error document written after it was opened.
    private string? _storeName;

    public async Task<int> RunAsync(MigrateInvocation invocation, CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, invocation.CommandName, invocation.Json, e.ExitCode, e.Kind, e.Message, _storeName).ConfigureAwait(false);
            return e.ExitCode;
        }
    }

    private async Task<int> RunCoreAsync(MigrateInvocation invocation, CancellationToken cancellationToken)
    {
        await ServiceResolver.LoadServicesAsync(context, invocation.Assemblies, cancellationToken).ConfigureAwait(false);
        if (invocation.PlanFile is not null)
        {
            SavedPlanFiles.RefuseConflicts(invocation);
        }

        // A saved plan decides the services, phases and environment; it is checked against the store once that is open.
        var saved = invocation.PlanFile is { } planFile ? SavedPlanFiles.Read(context, planFile) : null;
        var services = saved is null ? ServiceResolver.Select(context, invocation.Services, defaultAll: false) : SavedPlanFiles.Services(context, invocation.Services, saved);
        var phases = saved?.Phases ?? RunSettings.Phases(invocation.Phase, context);
        var dryRun = saved is null && (invocation.ForcedDryRun || RunSettings.DryRun(invocation.DryRunOption, context));
        var environment = saved is null ? RunSettings.Environment(invocation.Environment, context) : saved.Environment;
        // With --verbose the store's warnings (each retry after a transient fault) are lines on standard error.
        var settings = invocation.Store.Resolve(context);
        var storeLogger = invocation.Verbose ? new ConsoleWarnings(context.Error) : null;

        var clock = Stopwatch.StartNew();
        await using var store = await Open(settings, cancellationToken, storeLogger).ConfigureAwait(false);
        var storeName = _storeName = store.DisplayName;
        using var pubSub = OpenPubSub(settings);
        var pubSubName = settings.Choice.PubSubDisplayName;
        if (saved is not null)
        {
            SavedPlanFiles.EnsureFor(saved, store.Store.Name, services);
        }

        if (!invocation.Json)
        {
            await context.Output.WriteLineAsync(
                $"{(dryRun ? "Planning" : "Seeding")} {Format.Plural(services.Count, "service", "services")} ({string.Join(", ", services.Select(s => Printable.Escape(s.Service)))}) " +
                $"on {storeName}{(pubSubName is null ? string.Empty : $" (Pub/Sub {pubSubName})")}, phases {string.Join(", ", phases.Select(RunSettings.Name))}" +
                (environment is null ? string.Empty : $", environment {environment}") +
                (dryRun ? ". Dry run: nothing is written."
                    : saved is not null ? $", exactly as planned in {invocation.PlanFile} (read {Seeding.Plans.ValueJson.FormatTimestamp(saved.ReadAt)})."
                    : invocation.WaitForIndexes ? ", waiting for index builds." : ".")).ConfigureAwait(false);
        }

        var total = services.Sum(s => s.Seeds.Count(seed => phases.Contains(seed.Phase)));
        // Backfill progress on standard error (a live bar on a terminal, else lines or JSON events); ended before the result prints.
        await using var backfills = BackfillProgressOutput.Create(invocation.Progress, invocation.Json, context);
        var progress = new ProgressPrinter(context.Error, total, invocation.Verbose, invocation.Json || backfills?.IsLive == true, context.Time);
        var capabilities = Hosting.SeedingStoreCapabilities.Of(store.Store);
        var runnerOptions = invocation.Backfill.ApplyTo(new SeedRunnerOptions
        {
            PubSub = pubSub,
            Capabilities = capabilities,
            MaxWritesPerSecond = RunSettings.MaxWritesPerSecond(invocation.MaxWritesPerSecond, context),
            BackfillProgress = backfills,
        });
        if (invocation.LockTimeout is { } wait)
        {
            runnerOptions = runnerOptions with { LockWaitTimeout = wait };
        }

        var runner = new SeedRunner(store.Store, logger: null, options: runnerOptions);
        var request = new RunRequest
        {
            Phases = phases,
            DryRun = dryRun,
            WaitForIndexes = invocation.WaitForIndexes,
            Environment = environment,
            Configuration = context.Configuration,
            Progress = progress,
            AllowPendingPreDeploy = invocation.AllowPendingPre,
            PlanLimit = invocation.PlanLimit ?? RunRequest.DefaultPlanLimit,
        };
        var runs = new List<ServiceRun>(services.Count);
        var recorded = new List<Seeding.Plans.RecordedPlan>(services.Count);
        var exitCode = ExitCodes.Ok;
        foreach (var service in services)
        {
            if (exitCode != ExitCodes.Ok)
            {
                runs.Add(new ServiceRun(service, ServiceRunState.NotRun, null, null));
                continue;
            }

            var retriesBefore = RetryCount(capabilities);
            var (run, code) = await RunServiceAsync(service, async () =>
            {
                if (saved is not null)
                {
                    return await runner.ApplyPlanAsync(service, saved.Services.Single(s => s.Service == service.Service), cancellationToken).ConfigureAwait(false);
                }

                if (invocation.PlanOut is null)
                {
                    return await runner.RunAsync(service, request, cancellationToken).ConfigureAwait(false);
                }

                var plan = await runner.RecordPlanAsync(service, request, cancellationToken).ConfigureAwait(false);
                recorded.Add(plan);
                return plan.Report;
            }, cancellationToken).ConfigureAwait(false);
            runs.Add(run with { Retries = RetryCount(capabilities) - retriesBefore });
            exitCode = code;
            if (run.Report?.PendingPreDeploy is { Count: > 0 } assumed)
            {
                // A plan may look ahead (the runner refuses only a real run); it says what it assumes.
                await context.Error.WriteLineAsync(
                    $"note: {service.Service}: {PendingPreDeployException.Summary(assumed)}; the plan assumes they stay unapplied.").ConfigureAwait(false);
            }
        }

        if (backfills is not null)
        {
            await backfills.DisposeAsync().ConfigureAwait(false);
        }

        if (invocation.PlanOut is { } planOut && exitCode == ExitCodes.Ok)
        {
            await SavedPlanFiles.WriteAsync(context, planOut, store.Store.Name, phases, environment, recorded).ConfigureAwait(false);
        }

        var result = new MigrateResult(invocation.CommandName, dryRun, storeName, pubSubName, environment, phases, runs, clock.Elapsed, exitCode)
        {
            WaitForIndexes = request.WaitForIndexes,
        };
        if (invocation.Json)
        {
            await context.Output.WriteAsync(JsonOutput.Migrate(result)).ConfigureAwait(false);
        }
        else
        {
            await TextOutput.MigrateAsync(context.Output, result).ConfigureAwait(false);
        }

        foreach (var failed in runs.Where(r => r.Error is not null))
        {
            await context.Error.WriteLineAsync($"error: {failed.Service.Service}: {failed.Error}").ConfigureAwait(false);
        }

        return exitCode;
    }

    // Counted by the store itself (a public seam), so retries before any seed file ran (a failed first read) count too.
    private static long RetryCount(Seeding.Store.StoreCapabilities capabilities) => capabilities.RetryCounter?.RetryCount ?? 0;

    private static async Task<(ServiceRun Run, int ExitCode)> RunServiceAsync(ServiceSeeds service, Func<Task<RunReport>> run, CancellationToken cancellationToken)
    {
        try
        {
            var report = await run().ConfigureAwait(false);
            return (new ServiceRun(service, ServiceRunState.Done, report, null), ExitCodes.Ok);
        }
        catch (StalePlanException e)
        {
            // What the plan applied before it stopped stays applied and recorded; the stopped migration stays pending.
            return (new ServiceRun(service, ServiceRunState.StalePlan, e.Report.Seeds.Count == 0 ? null : e.Report, e.Message), ExitCodes.StalePlan);
        }
        catch (Seeding.Plans.SavedPlanMismatchException e)
        {
            return (new ServiceRun(service, ServiceRunState.Failed, null, e.Message), ExitCodes.Usage);
        }
        catch (MigrationDriftException e)
        {
            return (new ServiceRun(service, ServiceRunState.Drifted, null, e.Message), ExitCodes.Drift);
        }
        catch (PendingPreDeployException e)
        {
            return (new ServiceRun(service, ServiceRunState.PendingPreDeploy, null,
                $"{PendingPreDeployException.Summary(e.Pending)}. Apply them first (--phase pre), or pass --allow-pending-pre to run post-deploy migrations anyway."),
                ExitCodes.PendingPreDeploy);
        }
        catch (SeedRunCanceledException e)
        {
            // The partial report, as for a failure: what was applied before, then the interrupted file with its writes.
            return (new ServiceRun(service, ServiceRunState.Cancelled, e.Report, e.Message), ExitCodes.Cancelled);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (new ServiceRun(service, ServiceRunState.Cancelled, null, "Cancelled before any seed file started; nothing of this service was written."), ExitCodes.Cancelled);
        }
        catch (SeedRunException e)
        {
            // The partial report: what this run applied before the failure, then the failed file with its writes.
            return (new ServiceRun(service, ServiceRunState.Failed, e.Report, e.Message), ExitCodes.Failure);
        }
        catch (LockTimeoutException e)
        {
            return (new ServiceRun(service, ServiceRunState.LockTimeout, null, e.Message), ExitCodes.LockTimeout);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Includes timeouts that surface as TaskCanceledException from a store's client: a failure, not Ctrl+C.
            return (new ServiceRun(service, ServiceRunState.Failed, null, $"{e.GetType().Name}: {e.Message}"), ExitCodes.Failure);
        }
    }

    // The client is created here and makes no call until a topic or subscription step needs it.
    internal static Seeding.PubSub.PubSubAdmin? OpenPubSub(Stores.StoreSettings settings)
    {
        try
        {
            return settings.Choice.CreatePubSub();
        }
        catch (Exception e) when (e is not CommandException)
        {
            throw new CommandException(ExitCodes.Failure, $"Could not create the Pub/Sub client for {settings.Choice.PubSubDisplayName}: {e.Message}", e);
        }
    }

    internal static async Task<Stores.OpenStore> Open(Stores.StoreSettings settings, CancellationToken cancellationToken, Microsoft.Extensions.Logging.ILogger? storeLogger = null)
    {
        try
        {
            return await settings.OpenAsync(cancellationToken, storeLogger).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not CommandException && !cancellationToken.IsCancellationRequested)
        {
            throw new CommandException(ExitCodes.Failure, $"Could not open the {settings.Kind.ToString().ToLowerInvariant()} store: {e.Message}", e);
        }
    }
}

/// <summary>
/// Prints a line per finished seed file to standard error: always with <c>--verbose</c>, otherwise once the run has
/// taken a second (short runs stay quiet; long ones show they are alive). Synchronous, so lines keep their order.
/// </summary>
internal sealed class ProgressPrinter(TextWriter writer, int total, bool verbose, bool json, TimeProvider time) : IProgress<SeedProgress>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private readonly long _started = time.GetTimestamp();
    private int _done;

    public void Report(SeedProgress value)
    {
        if (value.Report is null)
        {
            return;
        }

        var index = Interlocked.Increment(ref _done);
        if (!verbose && (json || time.GetElapsedTime(_started) < Quiet))
        {
            return;
        }

        var report = value.Report;
        writer.WriteLine(
            $"[{index}/{total}] {Printable.Escape(value.Service)} {Printable.Escape(value.Seed.ToString())}: {TextOutput.Outcome(report.Outcome)} " +
            $"({report.Created} created, {report.Skipped} skipped, {report.Updated} updated, {Format.Duration(report.Duration)})");
    }
}
