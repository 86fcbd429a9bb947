using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>Safe revert (<see cref="SeedRunner.RevertAsync"/>): deletes only what a migration created and nobody changed since.</summary>
internal sealed class MigrationReverter(IDocumentStore store, SeedRunnerOptions options)
{
    /// <summary>See <see cref="SeedRunner.RevertAsync"/>.</summary>
    public async Task<RevertReport> RevertAsync(ServiceSeeds service, string migrationId, bool dryRun, CancellationToken cancellationToken)
    {
        var migration = service.Seeds.FirstOrDefault(s => s.IsMigration && s.Id == migrationId)
            ?? throw new InvalidOperationException($"Service '{service.Service}' has no migration '{migrationId}'. 'seeding status' lists them.");
        var unsafeStep = migration.Steps.FirstOrDefault(s => s is BackfillStep);
        if (migration.Code is not null || unsafeStep is not null)
        {
            var what = migration.Code is not null ? "C# code" : $"a backfill (line {unsafeStep!.Line})";
            throw new InvalidOperationException(
                $"{migration.SourcePath} contains {what}, whose previous values were not kept, so it cannot be reverted safely. Write a new migration that undoes it.");
        }

        var lease = dryRun ? null : await LeaseLock.AcquireAsync(store, service.Service, [], options, cancellationToken).ConfigureAwait(false);
        try
        {
            var historyPath = MigrationHistory.PathOf(service.Service, migration);
            var keyed = SeedPlanner.PathsOf(migration).Distinct().ToArray();
            var snapshots = await store.GetAllAsync([historyPath, .. keyed], cancellationToken).ConfigureAwait(false);
            var history = snapshots[0];
            if (MigrationHistory.StatusOf(migration, history).State != MigrationState.Applied)
            {
                throw new InvalidOperationException($"{migration} is not applied (or has drifted) in this store; there is nothing to revert.");
            }

            var from = FieldReader.OptionalTimestamp(history.Fields, "first_write_at");
            var until = FieldReader.OptionalTimestamp(history.Fields, "last_write_at");
            var kept = new List<KeptDocument>();
            var deletes = new List<DocumentWrite>();
            foreach (var snapshot in snapshots.Skip(1))
            {
                var reason = WhyKeep(snapshot, from, until);
                if (reason is null)
                {
                    deletes.Add(DocumentWrite.Delete(snapshot.Path, Precondition.UpdatedAt(snapshot.UpdateTime!.Value)));
                }
                else
                {
                    kept.Add(new KeptDocument(snapshot.Path, reason));
                }
            }

            kept.AddRange(migration.Steps.OfType<MatchStep>().Select(step =>
                new KeptDocument(DocumentPath.Create(step.Collection, "*"), $"documents found by match (line {step.Line}) are not reverted")));
            var keptResources = migration.Steps.OfType<ResourceStep>().Select(step => new KeptResource(
                ResourceSteps.KindOf(step), ResourceSteps.NameOf(step), step.Line, "a revert deletes documents only; delete topics, subscriptions and indexes by hand if they must go")).ToArray();
            var deleted = new List<DocumentPath>();
            if (dryRun)
            {
                return new RevertReport(migration, true, deletes.Select(d => d.Path).ToArray(), kept) { KeptResources = keptResources };
            }

            foreach (var batch in deletes.Chunk(store.MaxBatchSize))
            {
                var outcomes = await store.WriteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                deleted.AddRange(outcomes.Where(o => o.Applied).Select(o => o.Path));
                kept.AddRange(outcomes.Where(o => !o.Applied).Select(o => new KeptDocument(o.Path, "changed while the revert ran")));
            }

            await lease!.CommitHoldingAsync(
                [DocumentWrite.Delete(historyPath, Precondition.UpdatedAt(history.UpdateTime!.Value)), RevertRecord(historyPath, history, deleted.Count, kept.Count)],
                cancellationToken).ConfigureAwait(false);
            return new RevertReport(migration, false, deleted, kept) { KeptResources = keptResources };
        }
        finally
        {
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // Why a document at one of the migration's own paths, created inside the history's [first_write_at, last_write_at]
    // window and never written since (update_time == create_time), was created by this migration and by nobody else:
    //
    // * The window covers every attempt at the migration, not only the one that recorded it. Before a migration's first
    //   write, the lease document holds a store time no later than that write (LeaseLock: "migrations_started", put
    //   there by the acquisition or by the commit that recorded the previous migration, frozen when the migration
    //   begins). A holder killed mid-migration leaves it there; the next holder carries it over when it takes the lease
    //   and records it as first_write_at; the record's commit removes it. So a document created by an interrupted
    //   attempt (kill -9 after some batches) has its create time inside the window, and is deleted like the rest.
    // * Times on both ends are the store's commit times (create_time, the window's ends), one clock: no runner's
    //   clock is involved, so skew between the replicas that ran the attempts does not matter.
    // * Inside the window, the only writers of the migration's documents under the service's lease are attempts at
    //   this migration: migrations run one at a time under the lease and in order, so within a run a later one cannot
    //   start before this one is recorded, and an earlier one's writes precede this one's started time (taken at or
    //   after the commit that recorded it). A stalled holder that lost the lease writes only this same migration.
    // * update_time == create_time says nothing wrote the document after its create, so deleting it loses no one's
    //   change; each delete is also guarded by that update time, so a change made while the revert runs keeps it.
    //
    // Residual risk, accepted: a document created at one of these exact paths by someone other than the migration
    // inside the window, and never written since, is deleted too: the service's own code or an operator creating
    // the very document the migration declares, or a bootstrap seed of the same service declaring the same path
    // (bootstrap runs between the pre and post phases, so it can fall inside an interrupted post migration's window;
    // the next run ensures it again), or a migration of another phase, run on its own while this one stayed
    // interrupted, that declares the same document. The window is the duration of the run(s) that applied the migration, longer
    // only when an attempt was interrupted; these paths are the migration's own ids; and `revert --dry-run` lists
    // every document before anything is deleted. Evidence lost (the lock document deleted by hand, or taken over by a
    // Seeding version that does not carry started times) only narrows the window to the recording attempt's writes:
    // the interrupted attempt's documents are then kept as "existed before", never deleted wrongly.
    private static string? WhyKeep(DocumentSnapshot snapshot, Timestamp? from, Timestamp? until)
    {
        if (!snapshot.Exists)
        {
            return "already deleted";
        }

        if (from is null || until is null || snapshot.CreateTime < from || snapshot.CreateTime > until)
        {
            return "existed before the migration ran (it was not created by it)";
        }

        return snapshot.UpdateTime == snapshot.CreateTime ? null : $"changed since it was created (last written {snapshot.UpdateTime})";
    }

    // The applied entry moves aside under a new id, so the migration is pending again and the revert stays on record.
    private static DocumentWrite RevertRecord(DocumentPath historyPath, DocumentSnapshot history, int deleted, int kept)
    {
        var fields = new Dictionary<string, Value>(history.Fields, StringComparer.Ordinal)
        {
            ["reverted_at"] = Value.ServerTimestamp,
            ["reverted_deleted"] = Value.Integer(deleted),
            ["reverted_kept"] = Value.Integer(kept),
        };
        var id = $"{historyPath.Id}:reverted:{history.UpdateTime!.Value.UnixMicroseconds}";
        return DocumentWrite.Create(DocumentPath.Create(MigrationHistory.Collection, id), fields);
    }
}
