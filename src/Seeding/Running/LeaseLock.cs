using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>
/// A lease lock in the store itself, so it works on every backend: one document per service holding the owner,
/// the expiry and a fencing token that grows with every new holder (the document outlives its holders, so the token
/// never restarts). Taken with a create-only precondition, taken over after expiry and renewed with update-time
/// preconditions; writes that must not happen twice commit together with a renewal, so a holder that lost its lease
/// (stalled past its TTL) writes nothing more.
/// </summary>
/// <remarks>
/// <para><b>Whose clock.</b> Expiry is judged by the store's clock alone, never a runner's: <c>expires_at</c> is written
/// in store time (the store time last seen by the writer, from a read's <see cref="DocumentSnapshot.ReadTime"/> or a
/// commit's time, plus the time elapsed since on the writer's monotonic clock, plus the TTL: never later than the
/// write's own commit time plus the TTL), and a waiter compares it with the read time of its own read of the lock
/// document. Wall-clock skew between replicas therefore neither lets a waiter take a live lease nor makes it wait for a
/// dead one; only clock <i>rate</i> matters, over one TTL. A store that reports no read time falls back to the runner's
/// clock.</para>
/// <para><b>Which migrations may have written.</b> The lock document also carries <c>migrations_started</c>: for each
/// migration whose writes may have begun but that is not yet recorded in history, a store time no later than its first
/// write by any holder. It is written before the migration's first write (at acquisition, or by the commit that
/// recorded the previous migration), carried over by every takeover, and removed by the commit that records the
/// migration. So the history record can date the migration's writes from its earliest, possibly interrupted, attempt,
/// and a revert knows what it created (see <see cref="SeedRunner.RevertAsync"/>).</para>
/// </remarks>
internal sealed class LeaseLock : IAsyncDisposable
{
    /// <summary>The collection of lock documents.</summary>
    public const string Collection = "seeding_locks";

    private const string StartedField = "migrations_started";

    private readonly IDocumentStore _store;
    private readonly SeedRunnerOptions _options;
    private readonly DocumentPath _path;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _renewing = new();

    // Migration key -> a store time no later than its first write. Null: this holder's own placeholder for a migration
    // that has not begun, written as the server time, so the stored value is the time of the last lease write (its
    // request time: no later than its commit time, _updateTime, which BeginAsync freezes; both precede the first write).
    private readonly Dictionary<string, Timestamp?> _started;

    // Keys whose time came from an earlier holder: an interrupted attempt that may have written.
    private readonly HashSet<string> _carried;
    private Timestamp _updateTime;
    private long _updateStamp;
    private Task? _renewal;
    private bool _lost;

    private LeaseLock(IDocumentStore store, SeedRunnerOptions options, DocumentPath path, long token, Dictionary<string, Timestamp?> started, HashSet<string> carried)
    {
        _store = store;
        _options = options;
        _path = path;
        Token = token;
        _started = started;
        _carried = carried;
    }

    /// <summary>The fencing token of this holder; recorded with every migration applied under it.</summary>
    public long Token { get; }

    /// <summary>The key of a migration in the lock document.</summary>
    public static string KeyOf(SeedDefinition migration) => migration.ToString();

    /// <summary>
    /// Waits for and takes the lease of a service, announcing <paramref name="pending"/> (keys from
    /// <see cref="KeyOf"/>) as migrations that may start writing under it. While another runner holds it,
    /// <paramref name="whileHeld"/> (when given) may do useful work (join that runner's backfill as a worker); when it
    /// did some, the wait starts again, so a long backfill shared by many processes never times them out.
    /// </summary>
    public static async Task<LeaseLock> AcquireAsync(
        IDocumentStore store, string service, IEnumerable<string> pending, SeedRunnerOptions options, CancellationToken cancellationToken, Func<CancellationToken, Task<bool>>? whileHeld = null)
    {
        var path = DocumentPath.Create(Collection, service);
        var waitStarted = options.Time.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = (await store.GetAllAsync([path], cancellationToken).ConfigureAwait(false))[0];
            var readAt = options.Time.GetTimestamp();
            var storeNow = current.ReadTime ?? Timestamp.FromDateTimeOffset(options.Time.GetUtcNow());
            var expiresAt = current.Exists ? FieldReader.OptionalTimestamp(current.Fields, "expires_at") : null;
            if (expiresAt is null || expiresAt <= storeNow)
            {
                var token = (current.Exists ? FieldReader.OptionalInteger(current.Fields, "token") ?? 0 : 0) + 1;
                var (started, carried) = Carry(current);
                foreach (var key in pending)
                {
                    started.TryAdd(key, null);
                }

                var fields = LeaseFields(options, Estimate(storeNow, options.Time.GetElapsedTime(readAt)), started);
                fields["owner"] = Value.String(options.Owner);
                fields["token"] = Value.Integer(token);
                fields["acquired_at"] = Value.ServerTimestamp;
                var write = current.Exists
                    ? DocumentWrite.Set(path, fields, Precondition.UpdatedAt(current.UpdateTime!.Value))
                    : DocumentWrite.Create(path, fields);
                try
                {
                    var outcome = await store.CommitAsync([write], cancellationToken).ConfigureAwait(false);
                    var lease = new LeaseLock(store, options, path, token, started, carried);
                    lease.Committed(outcome[0].UpdateTime!.Value);
                    lease._renewal = lease.RenewLoopAsync();
                    return lease;
                }
                catch (PreconditionFailedException)
                {
                    // Another runner took it between our read and our write: wait like everyone else.
                }
            }

            if (whileHeld is not null && expiresAt > storeNow && await whileHeld(cancellationToken).ConfigureAwait(false))
            {
                waitStarted = options.Time.GetTimestamp();
                continue;
            }

            if (options.Time.GetElapsedTime(waitStarted) >= options.LockWaitTimeout)
            {
                throw new LockTimeoutException(service, FieldReader.OptionalString(current.Fields, "owner"), expiresAt, storeNow, options.LockWaitTimeout);
            }

            await Task.Delay(options.LockPollInterval, options.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Called before a migration's first write. Makes sure the lock document holds a store time no later than that
    /// write (normally already there since acquisition or the last record; otherwise one commit puts it there), and
    /// returns the time an earlier holder recorded when one began this migration and was interrupted, or null.
    /// </summary>
    public async Task<Timestamp?> BeginAsync(string key, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfLost();
            if (_started.TryGetValue(key, out var since))
            {
                if (since is null)
                {
                    _started[key] = _updateTime; // the placeholder's stored value: frozen from now on
                }

                return _carried.Contains(key) ? since : null;
            }

            _started[key] = null;
            await CommitUnderGateAsync([], null, cancellationToken).ConfigureAwait(false);
            _started[key] = _updateTime;
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops a migration found already applied from the lock document's started list (at the next lease write).</summary>
    public async Task ForgetAsync(string key, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _started.Remove(key);
            _carried.Remove(key);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Commits <paramref name="writes"/> atomically together with a renewal of this lease (appended last), so they
    /// apply only while this runner still holds it: a runner that lost its lease (stalled past its TTL and taken
    /// over) writes nothing and gets <see cref="LockLostException"/>. Other precondition failures propagate.
    /// <paramref name="completes"/> names a migration these writes record: its started time leaves the lock document
    /// in the same commit.
    /// </summary>
    public async Task<IReadOnlyList<WriteOutcome>> CommitHoldingAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken, string? completes = null)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfLost();
            return await CommitUnderGateAsync(writes, completes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Throws when the lease was lost.</summary>
    public void ThrowIfLost()
    {
        if (_lost)
        {
            throw new LockLostException(_path.Id);
        }
    }

    /// <summary>
    /// Stops renewing and releases the lease if this runner still holds it: expired at once by the store's clock. The
    /// lock document stays, so the next holder's fencing token continues from this one's, and so do the started times
    /// of migrations that began and were not recorded. A release that fails is not an error: the lease then simply
    /// expires after its TTL. Bounded by <see cref="SeedRunnerOptions.LockReleaseTimeout"/>: a store that does not
    /// answer (or a renewal stuck in it) never holds up the end of a run or a process's shutdown.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _renewing.CancelAsync().ConfigureAwait(false);
        // On the real clock, not the runner's: this bounds how long a process's shutdown waits, in wall time.
        using var bounded = new CancellationTokenSource(_options.LockReleaseTimeout);
        var gateTaken = false;
        var renewalStopped = _renewal is null;
        try
        {
            if (_renewal is not null)
            {
                await _renewal.WaitAsync(bounded.Token).ConfigureAwait(false);
                renewalStopped = true;
            }

            await _gate.WaitAsync(bounded.Token).ConfigureAwait(false);
            gateTaken = true;
            if (!_lost)
            {
                // Placeholders of migrations that never began under this holder go: nothing of theirs was written.
                var begun = _started.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value);
                var released = new Dictionary<string, Value>(StringComparer.Ordinal)
                {
                    ["owner"] = Value.String(string.Empty),
                    ["expires_at"] = Value.ServerTimestamp,
                    ["released_at"] = Value.ServerTimestamp,
                    ["released_by"] = Value.String(_options.Owner),
                    [StartedField] = StartedValue(begun),
                };

                // WaitAsync too: a store that ignores the token is still left behind when the time is up.
                await _store.CommitAsync([DocumentWrite.Merge(_path, released, Precondition.UpdatedAt(_updateTime))], bounded.Token)
                    .WaitAsync(bounded.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Taken over meanwhile, the store did not answer in time, or it failed: either way the lease is not ours to
            // keep, and it expires on its own. The work itself is already recorded.
        }
        finally
        {
            if (gateTaken)
            {
                _gate.Release();
            }

            if (renewalStopped)
            {
                // (A renewal still stuck in the store keeps its token source; it ends when the store answers.)
                _renewing.Dispose();
            }
        }
    }

    private async Task<IReadOnlyList<WriteOutcome>> CommitUnderGateAsync(IReadOnlyList<DocumentWrite> writes, string? completes, CancellationToken cancellationToken)
    {
        var started = new Dictionary<string, Timestamp?>(_started, StringComparer.Ordinal);
        if (completes is not null)
        {
            started.Remove(completes);
        }

        var renew = DocumentWrite.Merge(_path, LeaseFields(_options, Estimate(_updateTime, _options.Time.GetElapsedTime(_updateStamp)), started), Precondition.UpdatedAt(_updateTime));
        try
        {
            var outcomes = await _store.CommitAsync([.. writes, renew], cancellationToken).ConfigureAwait(false);
            Committed(outcomes[^1].UpdateTime!.Value);
            if (completes is not null)
            {
                _started.Remove(completes);
                _carried.Remove(completes);
            }

            return outcomes;
        }
        catch (PreconditionFailedException e) when (e.Path == _path)
        {
            _lost = true;
            throw new LockLostException(_path.Id);
        }
    }

    private void Committed(Timestamp commitTime)
    {
        _updateTime = commitTime;
        _updateStamp = _options.Time.GetTimestamp();
    }

    private async Task RenewLoopAsync()
    {
        var period = _options.LockTtl / 3;
        try
        {
            while (!_renewing.IsCancellationRequested)
            {
                await Task.Delay(period, _options.Time, _renewing.Token).ConfigureAwait(false);
                try
                {
                    await CommitHoldingAsync([], _renewing.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException and not LockLostException)
                {
                    // A store error is not a lost lease: try again next period. If renewals keep failing the lease
                    // expires, a successor takes over, and this runner's next fenced write fails instead.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (LockLostException)
        {
            // Reported to the work itself at its next fenced write or history record.
        }
    }

    // The store's clock now, as well as this runner can tell without asking: the last store time it saw plus the time
    // elapsed since on its own monotonic clock. Never ahead of the store (the store stamped that time before we saw it).
    internal static Timestamp Estimate(Timestamp seen, TimeSpan elapsed) =>
        Timestamp.FromUnixMicroseconds(seen.UnixMicroseconds + (long)elapsed.TotalMicroseconds);

    // What every lease write (acquisition and renewal) says: renewed now, expiring one TTL of store time after the
    // store's clock as last seen, and the migrations that may have started writing.
    private static Dictionary<string, Value> LeaseFields(SeedRunnerOptions options, Timestamp storeNow, IReadOnlyDictionary<string, Timestamp?> started) => new(StringComparer.Ordinal)
    {
        ["renewed_at"] = Value.ServerTimestamp,
        ["expires_at"] = Value.Timestamp(Timestamp.FromUnixMicroseconds(storeNow.UnixMicroseconds + (long)options.LockTtl.TotalMicroseconds)),
        [StartedField] = StartedValue(started),
    };

    private static Value StartedValue(IReadOnlyDictionary<string, Timestamp?> started) =>
        Value.Map(started.ToDictionary(s => s.Key, s => s.Value is { } time ? Value.Timestamp(time) : Value.ServerTimestamp, StringComparer.Ordinal));

    // The started times left by earlier holders: migrations they began and did not record.
    private static (Dictionary<string, Timestamp?> Started, HashSet<string> Carried) Carry(DocumentSnapshot current)
    {
        var started = new Dictionary<string, Timestamp?>(StringComparer.Ordinal);
        if (current.Exists && current.Fields.TryGetValue(StartedField, out var map) && map.Kind == ValueKind.Map)
        {
            foreach (var (key, value) in map.AsMap())
            {
                if (value.Kind == ValueKind.Timestamp)
                {
                    started[key] = value.AsTimestamp();
                }
            }
        }

        return (started, started.Keys.ToHashSet(StringComparer.Ordinal));
    }
}
