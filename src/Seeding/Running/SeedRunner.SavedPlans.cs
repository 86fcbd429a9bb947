using Seeding.Definitions;
using Seeding.Plans;

namespace Seeding.Running;

public sealed partial class SeedRunner
{
    /// <summary>
    /// Plans a run (a dry run: no lease, no history, nothing written) and keeps it as a <see cref="SavedServicePlan"/>:
    /// every planned write with what the read saw of its document, to be applied later with <see cref="ApplyPlanAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A planned file creates or changes resources (topics, indexes), which a saved plan cannot hold.</exception>
    public async Task<RecordedPlan> RecordPlanAsync(ServiceSeeds service, RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(request);
        var observing = new ObservingStore(_store);
        var capture = new PlanCapture();
        var report = await new SeedRunner(observing, _logger, _options).RunAsync(service, request with { DryRun = true, Capture = capture }, cancellationToken).ConfigureAwait(false);
        var plan = await PlanRecording.BuildAsync(service, report, capture, observing, cancellationToken).ConfigureAwait(false);
        return new RecordedPlan(report, plan, observing.LatestReadTime);
    }

    /// <summary>
    /// Applies a service's part of a saved plan exactly: under the service's lease, after one read that checks every
    /// planned document and migration against what the plan saw; each write conditioned on it (exists=false, or
    /// update_time equal). Migrations are recorded in history as a run records them.
    /// </summary>
    /// <exception cref="StalePlanException">A planned document changed, or a planned migration was applied, since the plan; nothing more was written and the migration stays pending.</exception>
    /// <exception cref="SavedPlanMismatchException">The plan is for another build of the service's seeds; nothing was written.</exception>
    public Task<RunReport> ApplyPlanAsync(ServiceSeeds service, SavedServicePlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Service != service.Service || plan.SeedsChecksum != SavedServicePlan.SeedsChecksumOf(service))
        {
            throw new SavedPlanMismatchException(plan.Service != service.Service
                ? $"The plan part for '{plan.Service}' was given to the service '{service.Service}'."
                : $"The seed files of '{service.Service}' differ from the plan's (seeds checksum {plan.SeedsChecksum} in the plan, {SavedServicePlan.SeedsChecksumOf(service)} in this build): " +
                  "the plan was made by another build. Make a new plan with this build (seeding plan --out).");
        }

        return new SavedPlanApplier(_store, _options, _logger, _files).ApplyAsync(service, plan, cancellationToken);
    }
}
