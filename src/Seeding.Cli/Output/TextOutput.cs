using Seeding.Cli.Commands;
using Seeding.Running;

namespace Seeding.Cli.Output;

/// <summary>The human-readable output of migrate and plan: the plan (dry runs), a summary table and a totals line.</summary>
internal static class TextOutput
{
    // Table widths past which a service name or seed id is shortened (head…tail); the plan and the JSON keep it whole.
    private const int ServiceWidth = 40;
    private const int SeedWidth = 60;

    public static string Outcome(SeedOutcome outcome) => RunVocabulary.Outcome(outcome);

    public static string Action(PlanAction action) => RunVocabulary.Action(action);

    public static string State(ServiceRunState state) => state switch
    {
        ServiceRunState.Drifted => "refused: drift",
        ServiceRunState.LockTimeout => "lock timeout",
        ServiceRunState.PendingPreDeploy => "refused: pre-deploy pending",
        ServiceRunState.Failed => "failed",
        ServiceRunState.Cancelled => "cancelled",
        ServiceRunState.NotRun => "not run",
        ServiceRunState.StalePlan => "refused: stale plan",
        _ => "done",
    };

    public static async Task MigrateAsync(TextWriter output, MigrateResult result)
    {
        if (result.DryRun)
        {
            await WritePlanAsync(output, result).ConfigureAwait(false);
        }

        var table = new TextTable(("Service", false), ("Seed file", false), ("Outcome", false), ("Created", true), ("Skipped", true), ("Updated", true), ("Duration", true))
            .MaxWidth(0, ServiceWidth)
            .MaxWidth(1, SeedWidth);
        foreach (var run in result.Services)
        {
            if (run.Report is null)
            {
                table.Add(run.Service.Service, "-", State(run.State), string.Empty, string.Empty, string.Empty, string.Empty);
                continue;
            }

            if (run.Report.Seeds.Count == 0)
            {
                table.Add(run.Service.Service, "-", "nothing in these phases", string.Empty, string.Empty, string.Empty, string.Empty);
            }

            foreach (var seed in run.Report.Seeds)
            {
                table.Add(
                    run.Service.Service,
                    seed.Seed.ToString(),
                    Outcome(seed.Outcome),
                    Format.Number(seed.Created),
                    Format.Number(seed.Skipped),
                    Format.Number(seed.Updated),
                    seed.Outcome == SeedOutcome.AlreadyApplied ? "-" : Format.Duration(seed.Duration));
            }
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        table.Write(output);
        await output.WriteLineAsync().ConfigureAwait(false);
        if (!result.DryRun)
        {
            // A dry run shows them in its plan; a run lists what it did to each resource after the table.
            await WriteResourcesAsync(output, result).ConfigureAwait(false);
        }

        var reports = result.Services.Where(r => r.Report is not null).Select(r => r.Report!).ToArray();
        var seeds = reports.Sum(r => r.Seeds.Count);
        var applied = reports.Sum(r => r.Seeds.Count(s => s.Outcome == SeedOutcome.Applied));
        var already = reports.Sum(r => r.Seeds.Count(s => s.Outcome == SeedOutcome.AlreadyApplied));
        var failed = reports.Sum(r => r.Seeds.Count(s => s.Outcome == SeedOutcome.Failed));
        var cancelled = reports.Sum(r => r.Seeds.Count(s => s.Outcome == SeedOutcome.Cancelled));

        // Every service the run reached counts, whether or not it got as far as a report (a failed first read has none).
        var services = TotalServices(result);
        var retries = result.Services.Sum(r => r.Retries);
        var resources = ResourceText.Totals(reports.SelectMany(r => r.Resources));
        await output.WriteLineAsync(
            $"Total: {Format.Plural(services, "service", "services")}, {Format.Plural(seeds, "seed file", "seed files")} " +
            $"({applied} applied, {already} already applied{(failed > 0 ? $", {failed} failed" : string.Empty)}{(cancelled > 0 ? $", {cancelled} cancelled" : string.Empty)}): {reports.Sum(r => r.Created)} created, {reports.Sum(r => r.Skipped)} skipped, " +
            $"{reports.Sum(r => r.Updated)} updated{(resources.Length == 0 ? string.Empty : "; " + resources)} in {Format.Duration(result.Duration)}" +
            (retries > 0 ? $"; {Format.Plural(retries, "store call", "store calls")} retried after transient faults." : ".")).ConfigureAwait(false);
        if (reports.Any(r => r.WriteRampActive))
        {
            // Said whenever the ramp was on, so a slow production run is explained, not a puzzle.
            var waited = TimeSpan.FromTicks(reports.Sum(r => r.WriteRampWait.Ticks));
            await output.WriteLineAsync(
                $"Write ramp on (Firestore's 500/50/5 guidance for new collections): writes waited {Format.Duration(waited)} for it.").ConfigureAwait(false);
        }

        await WriteFailuresAsync(output, result).ConfigureAwait(false);
        // Steps left out by when: or environments: say why, so "ensured, 0 created" is never a puzzle.
        foreach (var run in result.Services.Where(r => r.Report is not null))
        {
            foreach (var seed in run.Report!.Seeds)
            {
                foreach (var skipped in seed.SkippedSteps)
                {
                    await output.WriteLineAsync(
                        $"Skipped: {Printable.Escape(run.Service.Service)} {Printable.Escape(seed.Seed.ToString())} step '{Printable.Escape(skipped.Description)}' ({Printable.Escape(seed.Seed.SourcePath)}:{skipped.Line}): {skipped.Reason}.").ConfigureAwait(false);
                }
            }
        }

        if (result.DryRun)
        {
            await output.WriteLineAsync("Dry run: nothing was written, not even history.").ConfigureAwait(false);
        }

        var stopped = result.Services.FirstOrDefault(r => r.State is not (ServiceRunState.Done or ServiceRunState.NotRun));
        if (stopped is not null)
        {
            var notRun = result.Services.Count(r => r.State == ServiceRunState.NotRun);
            await output.WriteLineAsync(
                $"Stopped at service '{Printable.Escape(stopped.Service.Service)}' ({State(stopped.State)}, exit code {result.ExitCode})" +
                (notRun > 0 ? $"; {Format.Plural(notRun, "later service was", "later services were")} not run." : ".")).ConfigureAwait(false);
        }
    }

    // Each seed file that declares resources, with what happened to them.
    private static async Task WriteResourcesAsync(TextWriter output, MigrateResult result)
    {
        var files = result.Services
            .Where(r => r.Report is not null)
            .SelectMany(r => r.Report!.Seeds.Where(s => s.Resources.Count > 0).Select(s => (r.Service.Service, Seed: s)))
            .ToArray();
        if (files.Length == 0)
        {
            return;
        }

        await output.WriteLineAsync("Resources:").ConfigureAwait(false);
        foreach (var (service, seed) in files)
        {
            var source = Printable.Escape(seed.Seed.SourcePath);
            await output.WriteLineAsync($"  {Printable.Escape(service)} {Printable.Escape(seed.Seed.ToString())} ({source})").ConfigureAwait(false);
            await ResourceText.WriteAsync(output, seed.Resources, source).ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
    }

    /// <summary>The services a run reached (every one but those it never started), whether or not each got a report.</summary>
    public static int TotalServices(MigrateResult result) => result.Services.Count(r => r.State != ServiceRunState.NotRun);

    // The failed (or cancelled) file: where (file, step, line) and why, what it left behind, and what the next run does about it.
    private static async Task WriteFailuresAsync(TextWriter output, MigrateResult result)
    {
        foreach (var run in result.Services.Where(r => (r.Report?.Failed ?? r.Report?.Cancelled) is not null))
        {
            var seed = (run.Report!.Failed ?? run.Report.Cancelled)!;
            var failure = seed.Failure!;
            var source = Printable.Escape(seed.Seed.SourcePath);
            var where = failure.Line is { } line ? $"{source}:{line}, {failure.Step}" : $"{source}, {failure.Step}";
            await output.WriteLineAsync(seed.Outcome == SeedOutcome.Cancelled
                ? $"Cancelled: {Printable.Escape(run.Service.Service)} {Printable.Escape(seed.Seed.ToString())} ({where})."
                : $"Failed: {Printable.Escape(run.Service.Service)} {Printable.Escape(seed.Seed.ToString())} ({where}): {failure.Exception.GetType().Name}: {failure.Message}").ConfigureAwait(false);
            var written = seed.Created + seed.Updated;
            var left = written == 0 ? "It wrote nothing" : $"The {Format.Plural(written, "document", "documents")} it wrote stay";
            var next = result.DryRun ? "nothing was written"
                : seed.Seed.IsMigration ? $"{Printable.Escape(seed.Seed.ToString())} is still pending (not recorded in history): the next run applies it again"
                : "bootstrap seeds are ensured again on the next run";
            await output.WriteLineAsync($"  {left}; {next}.").ConfigureAwait(false);
        }
    }

    // The plan shows every value in full (escaped, never shortened): it is where a shortened table cell is read out.
    private static async Task WritePlanAsync(TextWriter output, MigrateResult result)
    {
        foreach (var run in result.Services.Where(r => r.Report is not null))
        {
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"Service {Printable.Escape(run.Service.Service)}").ConfigureAwait(false);
            foreach (var seed in run.Report!.Seeds)
            {
                var id = Printable.Escape(seed.Seed.ToString());
                var source = Printable.Escape(seed.Seed.SourcePath);
                var description = seed.Seed.Description is null ? string.Empty : $" - {Printable.Escape(seed.Seed.Description)}";
                if (seed.Outcome == SeedOutcome.AlreadyApplied)
                {
                    await output.WriteLineAsync($"  {id} ({source}): already applied, nothing to do").ConfigureAwait(false);
                    continue;
                }

                await output.WriteLineAsync($"  {id} ({source}){description}").ConfigureAwait(false);
                var paths = seed.Plan.Select(p => Printable.Escape(p.Path.ToString())).ToArray();
                var pathWidth = paths.Length == 0 ? 0 : paths.Max(p => p.Length);
                for (var i = 0; i < paths.Length; i++)
                {
                    await output.WriteLineAsync(
                        $"    {Action(seed.Plan[i].Action),-16}  {paths[i].PadRight(pathWidth)}  {source}:{seed.Plan[i].Line}").ConfigureAwait(false);
                }

                // The plan lists the first --plan-limit documents of each step; the rest are counted.
                foreach (var omitted in seed.PlanOmitted)
                {
                    var where = omitted.Line > 0 ? $"{source}:{omitted.Line}" : source;
                    await output.WriteLineAsync(string.Create(
                        System.Globalization.CultureInfo.InvariantCulture, $"    ... and {omitted.Count:N0} more ({Printable.Escape(omitted.Step)}, {where})")).ConfigureAwait(false);
                }

                await ResourceText.WriteAsync(output, seed.Resources, source).ConfigureAwait(false);
                if (seed.Plan.Count == 0 && seed.Resources.Count == 0)
                {
                    await output.WriteLineAsync("    (no documents)").ConfigureAwait(false);
                }
            }
        }
    }
}
