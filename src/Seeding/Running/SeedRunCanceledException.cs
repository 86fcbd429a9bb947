namespace Seeding.Running;

/// <summary>
/// The run was cancelled after it started applying files. <see cref="Report"/> says what it did, as a failure's report
/// does: the files finished before (applied and recorded), then the interrupted file (<see cref="SeedOutcome.Cancelled"/>)
/// with what the store confirmed of its writes; that file is not recorded, so it is still pending and the next run applies
/// it again. An <see cref="OperationCanceledException"/>, so code that catches cancellation keeps working.
/// </summary>
public sealed class SeedRunCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception from the run's partial report.</summary>
    /// <param name="report">What the run did until it stopped.</param>
    /// <param name="token">The token that cancelled the run.</param>
    public SeedRunCanceledException(RunReport report, CancellationToken token)
        : base(Describe(report ?? throw new ArgumentNullException(nameof(report))), token)
    {
        Report = report;
    }

    /// <summary>What the run did until it stopped, the interrupted file last (when one was interrupted).</summary>
    public RunReport Report { get; }

    private static string Describe(RunReport report)
    {
        var before = report.Seeds.Where(s => s.Outcome is SeedOutcome.Applied or SeedOutcome.Ensured).Select(s => s.Seed.ToString()).ToArray();
        var applied = before.Length == 0 ? "Nothing was applied before it in this run" : $"Applied and recorded before it in this run: {string.Join(", ", before)}";
        if (report.Cancelled is not { } cut)
        {
            return $"Seeding {report.Service} was cancelled between seed files. {applied}.";
        }

        var written = cut.Created + cut.Updated;
        return $"Seeding {report.Service} was cancelled during {cut.Seed} ({cut.Seed.SourcePath}{(cut.Failure?.Line is { } line ? $":{line}" : string.Empty)}). {applied}" +
               (written == 0 ? "; the interrupted file wrote nothing." : $"; the interrupted file had written {written} document(s), which stay.") +
               (cut.Seed.IsMigration && !report.DryRun ? " It was not recorded in history, so it stays pending and the next run applies it again." : string.Empty);
    }
}
