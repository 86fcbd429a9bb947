using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Hosting;

/// <summary>
/// Runs the seeds in <see cref="IHostedLifecycleService.StartingAsync"/>, before any hosted service (the web server
/// included) starts, so the service never serves without its seed data.
/// </summary>
internal sealed partial class SeedingHostedService(
    SeedRunner runner,
    ServiceSeeds seeds,
    SeedingState state,
    SeedingStoreProvider store,
    IOptions<SeedingHostOptions> options,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<SeedingHostedService> logger)
    : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;

        // The seed runner's variables mean what they mean to `seeding migrate`: MIGRATION_PHASE picks the phases (then
        // the options do not), DRY_RUN=true plans without writing. A bad value is misconfiguration: the host does not
        // start, whatever FailStartupOnError says.
        string? Variable(string name) => configuration[name];
        var phases = SeedRunnerVariables.ReadPhases(Variable) ?? PhasesFromOptions(settings);
        var dryRun = settings.DryRun || SeedRunnerVariables.ReadDryRun(Variable) == true;
        if (phases.Count == 0)
        {
            return;
        }

        try
        {
            LogStarting(seeds.Service, store.InUse.DisplayName, string.Join(", ", phases.Select(p => p.ToString().ToLowerInvariant())), dryRun ? " (dry run: nothing is written)" : string.Empty);

            // !env values and when: conditions read the host's configuration (environment variables included);
            // environments: lists match the host's environment name.
            var request = new RunRequest
            {
                Phases = phases, DryRun = dryRun, Configuration = configuration, Environment = environment.EnvironmentName,
                AllowPendingPreDeploy = settings.AllowPendingPreDeploy,
            };
            state.LastRun = await runner.RunAsync(seeds, request, cancellationToken).ConfigureAwait(false);
            state.LastError = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state.LastError = e;
            if (settings.FailStartupOnError)
            {
                // The host logs the exception that stops it ("Hosting failed to start"); logging it here too would
                // print the same failure twice. The exception's message names the service, the file and the step.
                throw;
            }

            LogFailed(e, seeds.Service);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static List<SeedPhase> PhasesFromOptions(SeedingHostOptions settings)
    {
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

    [LoggerMessage(1, LogLevel.Error, "Startup seeding of {Service} failed; the host starts anyway (Seeding:FailStartupOnError is false)")]
    private partial void LogFailed(Exception exception, string service);

    [LoggerMessage(2, LogLevel.Information, "Seeding {Service} on {Store}, phases {Phases}{DryRun}")]
    private partial void LogStarting(string service, string store, string phases, string dryRun);
}
