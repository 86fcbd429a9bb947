using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Hosting;

/// <summary>
/// Runs the seeds in <see cref="IHostedLifecycleService.StartingAsync"/>, before any hosted service (the web server
/// included) starts, so the service never serves without its seed data. Then says, once each, what the run's phases
/// left out: pending migrations (one warning naming them and the command that applies them) and drifted ones (an
/// error). A failure is logged here, once (see <see cref="SeedingHostOptions.StopApplicationOnFailure"/>).
/// </summary>
internal sealed partial class SeedingHostedService(
    IServiceProvider services,
    ServiceSeeds seeds,
    SeedingState state,
    SeedingStoreProvider store,
    IOptions<SeedingHostOptions> options,
    IConfiguration configuration,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    ILogger<SeedingHostedService> logger)
    : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        IReadOnlyList<SeedPhase> phases;
        bool dryRun;
        SeedRunner runner;
        try
        {
            // The seed runner's variables mean what they mean to `seeding migrate`: MIGRATION_PHASE picks the phases
            // (then Seeding:Phases, then the two booleans), DRY_RUN=true plans without writing. A bad value, like a bad
            // store or Pub/Sub setting (found when the runner is resolved), is misconfiguration: the host does not
            // start, whatever FailStartupOnError says.
            string? Variable(string name) => configuration[name];
            phases = SeedRunnerVariables.ReadPhases(Variable) ?? PhasesFromOptions(settings);
            dryRun = settings.DryRun || SeedRunnerVariables.ReadDryRun(Variable) == true;
            if (phases.Count == 0)
            {
                return;
            }

            runner = services.GetRequiredService<SeedRunner>();
            LogStarting(seeds.Service, store.InUse.DisplayName, PhaseNames(phases), dryRun ? " (dry run: nothing is written)" : string.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!Handled(e, settings, tolerated: false))
            {
                throw;
            }

            return;
        }

        try
        {
            // !env values and when: conditions read the host's configuration (environment variables included);
            // environments: lists match the host's environment name.
            var request = new RunRequest
            {
                Phases = phases, DryRun = dryRun, Configuration = configuration, Environment = environment.EnvironmentName,
                AllowPendingPreDeploy = settings.AllowPendingPreDeploy,
            };
            state.LastRun = await runner.RunAsync(seeds, request, cancellationToken).ConfigureAwait(false);
            state.LastError = null;
            await ReportMigrationsLeftOutAsync(runner, phases, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!Handled(e, settings, tolerated: !settings.FailStartupOnError))
            {
                throw;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Logs a failed start once and stops the host, or tolerates it; false when it must be thrown instead (StopApplicationOnFailure is off).</summary>
    private bool Handled(Exception e, SeedingHostOptions settings, bool tolerated)
    {
        state.LastError = e;
        var expected = StartupFailures.IsExpected(e);
        if (tolerated)
        {
            LogTolerated(expected ? null : e, seeds.Service, StartupFailures.Reason(e));
            return true;
        }

        if (!settings.StopApplicationOnFailure)
        {
            // The generic host logs the exception it rethrows ("Hosting failed to start"); logging it here too would
            // print the same failure twice.
            return false;
        }

        if (expected)
        {
            LogStopping(seeds.Service, e.Message);
        }
        else
        {
            LogStoppingUnexpected(e, seeds.Service, e.GetType().Name);
        }

        // Thrown out of StartAsync, the failure would be logged again by the host and, in the web template's
        // app.Run(), end the process with an unhandled-exception abort (134 on Linux). Stopping the application before
        // it started would do the same (the web server refuses a cancelled start). So: exit code 1, and the host
        // stops the moment it has started.
        Environment.ExitCode = 1;
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(lifetime.StopApplication)); // after the host's own "started" lines
        return true;
    }

    private static IReadOnlyList<SeedPhase> PhasesFromOptions(SeedingHostOptions settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.Phases))
        {
            return SeedRunnerVariables.ParsePhases(settings.Phases, $"{SeedingHostOptions.SectionName}:{nameof(SeedingHostOptions.Phases)}");
        }

        var phases = new List<SeedPhase>();
        if (settings.ApplyPreDeployMigrations)
        {
            phases.Add(SeedPhase.Pre);
        }

        if (settings.Bootstrap)
        {
            phases.Add(SeedPhase.Bootstrap);
        }

        return phases;
    }

    private static string PhaseNames(IEnumerable<SeedPhase> phases) => string.Join(", ", phases.Select(p => p.ToString().ToLowerInvariant()));

    [LoggerMessage(1, LogLevel.Error, "Startup seeding of {Service} failed; the host starts anyway (Seeding:FailStartupOnError is false): {Reason}")]
    private partial void LogTolerated(Exception? exception, string service, string reason);

    [LoggerMessage(2, LogLevel.Information, "Seeding {Service} on {Store}, phases {Phases}{DryRun}")]
    private partial void LogStarting(string service, string store, string phases, string dryRun);

    [LoggerMessage(3, LogLevel.Error, "Startup seeding of {Service} failed, so the host stops (exit code 1): {Reason}")]
    private partial void LogStopping(string service, string reason);

    [LoggerMessage(4, LogLevel.Error, "Startup seeding of {Service} failed with an unexpected {Type}, so the host stops (exit code 1)")]
    private partial void LogStoppingUnexpected(Exception exception, string service, string type);
}
