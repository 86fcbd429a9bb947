using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Tests;

/// <summary>A seed file failing mid-run: the exception carries the partial report of what the run did.</summary>
public sealed class RunFailureTests
{
    private sealed class WritesThenThrows : IMigration
    {
        public async Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken)
        {
            for (var i = 1; i <= 3; i++)
            {
                await context.WriteAsync(DocumentWrite.Create(DocumentPath.Create("imported", $"d{i}"), new Dictionary<string, Value> { ["i"] = Value.Integer(i) }), PlanAction.Create, cancellationToken: cancellationToken);
            }

            await context.FlushAsync(cancellationToken);
            // Queued but never sent: not part of what the report says was written.
            await context.WriteAsync(DocumentWrite.Create(DocumentPath.Create("imported", "d4"), new Dictionary<string, Value>()), PlanAction.Create, cancellationToken: cancellationToken);
            throw new InvalidOperationException("source system unreachable");
        }
    }

    private static ServiceSeeds Service() => new("legacy", [],
    [
        new SeedDefinition("0001_roles", SeedPhase.Pre, "sha256:r", "migrations/pre/0001_roles.yaml", null,
            [SeedStep.Create("roles", 2, [new SeedDocument("admin", new Dictionary<string, Value>(), 3)])]),
        SeedDefinition.FromCode("0002_import", SeedPhase.Pre, "sha256:i", "Migrations/Pre/0002_import.cs", null, new WritesThenThrows()),
        new SeedDefinition("0003_after", SeedPhase.Pre, "sha256:a", "migrations/pre/0003_after.yaml", null,
            [SeedStep.Create("after", 2, [new SeedDocument("x", new Dictionary<string, Value>(), 3)])]),
    ]);

    [Fact]
    public async Task The_exception_carries_what_was_applied_and_what_the_failed_file_wrote()
    {
        var store = new InMemoryDocumentStore();
        var progress = new List<SeedProgress>();

        var error = await Assert.ThrowsAsync<SeedRunException>(() => new SeedRunner(store).RunAsync(Service(), RunRequest.PreDeploy() with { Progress = new SyncProgress(progress) }));

        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(["pre/0001_roles", "pre/0002_import"], error.Report.Seeds.Select(s => s.Seed.ToString()));
        Assert.Equal([SeedOutcome.Applied, SeedOutcome.Failed], error.Report.Seeds.Select(s => s.Outcome));
        Assert.Same(error.Report.Seeds[1], error.Failed);
        Assert.Equal("0002_import", error.Seed.Id);
        Assert.Equal(3, error.Failed.Created);
        Assert.Equal(["imported/d1", "imported/d2", "imported/d3"], error.Failed.Plan.Select(p => p.Path.ToString()));
        Assert.Equal(("code", (int?)null), (error.Failed.Failure!.Step, error.Failed.Failure.Line));
        Assert.Equal(4, error.Report.Created);
        Assert.Contains("failed at pre/0002_import (Migrations/Pre/0002_import.cs, code): InvalidOperationException: source system unreachable.", error.Message);
        Assert.Contains("Applied before it in this run: pre/0001_roles", error.Message);
        Assert.Contains("had written 3 document(s)", error.Message);
        Assert.Equal(SeedOutcome.Failed, progress.Last().Report?.Outcome);

        // The store agrees: the three sent documents exist, the queued one does not, the failed file is still pending.
        var read = await store.GetAllAsync([DocumentPath.Parse("imported/d3"), DocumentPath.Parse("imported/d4"), DocumentPath.Parse("after/x")]);
        Assert.Equal([true, false, false], read.Select(r => r.Exists));
        var status = await new SeedRunner(store).GetStatusAsync(Service());
        Assert.Equal([MigrationState.Applied, MigrationState.Pending, MigrationState.Pending], status.Select(s => s.State));
    }

    [Fact]
    public async Task A_failed_yaml_step_names_its_line_and_cancellation_is_not_wrapped()
    {
        var seeds = new ServiceSeeds("m", [],
        [
            new SeedDefinition("0001_match", SeedPhase.Pre, "sha256:m", "migrations/pre/0001_match.yaml", null,
                [SeedStep.CreateMatching("users", 5, [new SeedDocument("u", new Dictionary<string, Value>(), 6)], ["email"], "{hash:8}")]),
        ]);

        var error = await Assert.ThrowsAsync<SeedRunException>(() => new SeedRunner(new InMemoryDocumentStore()).RunAsync(seeds, RunRequest.PreDeploy()));
        Assert.Equal(("create (match) users", (int?)5), (error.Failed.Failure!.Step, error.Failed.Failure.Line));
        Assert.Equal(0, error.Failed.Created);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SeedRunner(new InMemoryDocumentStore()).RunAsync(Service(), RunRequest.PreDeploy(), cancelled.Token));
    }

    private sealed class SyncProgress(List<SeedProgress> into) : IProgress<SeedProgress>
    {
        public void Report(SeedProgress value) => into.Add(value);
    }
}
