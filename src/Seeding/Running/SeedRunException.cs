using Seeding.Definitions;

namespace Seeding.Running;

/// <summary>
/// A seed file failed while a run applied it. <see cref="Report"/> is the run's partial report: the files finished
/// before it (applied, ensured, already applied), then the failed file with what the store confirmed of its writes
/// and <see cref="SeedReport.Failure"/>. The cause is the <see cref="Exception.InnerException"/>.
/// </summary>
/// <remarks>
/// What was applied before the failure stays applied and recorded; the failed migration is not recorded, so it is
/// still pending and runs again next time (its creates are guarded, so documents it already created are skipped).
/// Conditions of the run as a whole are not wrapped: cancellation (<see cref="OperationCanceledException"/>), the lease
/// (<see cref="LockTimeoutException"/>, <see cref="LockLostException"/>), and drift found before anything is written
/// (<see cref="MigrationDriftException"/>).
/// </remarks>
public sealed class SeedRunException : Exception
{
    /// <summary>Creates the exception from the partial report, whose <see cref="RunReport.Failed"/> entry is set.</summary>
    public SeedRunException(RunReport report)
        : base(Describe(report), (report ?? throw new ArgumentNullException(nameof(report))).Failed?.Failure?.Exception)
    {
        Report = report;
    }

    /// <summary>What the run did up to and including the failed file.</summary>
    public RunReport Report { get; }

    /// <summary>The failed file's report (what it wrote before failing, and where and why it failed).</summary>
    public SeedReport Failed => Report.Failed!;

    /// <summary>The failed seed file.</summary>
    public SeedDefinition Seed => Failed.Seed;

    private static string Describe(RunReport report)
    {
        var failed = report.Failed ?? throw new ArgumentException("The report has no failed seed file.", nameof(report));
        var failure = failed.Failure!;
        var where = failure.Line is { } line ? $"{failed.Seed.SourcePath}:{line}, {failure.Step}" : $"{failed.Seed.SourcePath}, {failure.Step}";
        var before = report.Seeds.Where(s => s.Outcome is SeedOutcome.Applied or SeedOutcome.Ensured).Select(s => s.Seed.ToString()).ToArray();
        var written = failed.Created + failed.Updated;
        return $"Seeding {report.Service} failed at {failed.Seed} ({where}): {failure.Exception.GetType().Name}: {failure.Message.TrimEnd('.', ' ')}. " +
               (before.Length == 0 ? "Nothing was applied before it in this run" : $"Applied before it in this run: {string.Join(", ", before)}") +
               (written == 0 ? "; the failed file wrote nothing." : $"; the failed file had written {written} document(s), which stay.") +
               (failed.Seed.IsMigration && !report.DryRun ? " It was not recorded in history, so the next run applies it again." : string.Empty);
    }
}
