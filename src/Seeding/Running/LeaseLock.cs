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
internal sealed class LeaseLock : IAsyncDisposable
{
    /// <summary>The collection of lock documents.</summary>
    public const string Collection = "seeding_locks";

    private readonly IDocumentStore _store;
    private readonly SeedRunnerOptions _options;
    private readonly DocumentPath _path;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _renewing = new();
    private Timestamp _updateTime;
    private Task? _renewal;
    private bool _lost;

    private LeaseLock(IDocumentStore store, SeedRunnerOptions options, DocumentPath path, long token, Timestamp updateTime)
    {
        _store = store;
        _options = options;
        _path = path;
        Token = token;
        _updateTime = updateTime;
    }

    /// <summary>The fencing token of this holder; recorded with every migration applied under it.</summary>
    public long Token { get; }

    /// <summary>Waits for and takes the lease of a service.</summary>
    public static async Task<LeaseLock> AcquireAsync(IDocumentStore store, string service, SeedRunnerOptions options, CancellationToken cancellationToken)
    {
        var path = DocumentPath.Create(Collection, service);
        var deadline = options.Time.GetUtcNow() + options.LockWaitTimeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = (await store.GetAllAsync([path], cancellationToken).ConfigureAwait(false))[0];
            var now = options.Time.GetUtcNow();
            var expired = !current.Exists || FieldReader.OptionalTimestamp(current.Fields, "expires_at") is not { } expiry || expiry.ToDateTimeOffset() <= now;
            if (expired)
            {
                var token = (current.Exists ? FieldReader.OptionalInteger(current.Fields, "token") ?? 0 : 0) + 1;
                var write = current.Exists
                    ? DocumentWrite.Set(path, Fields(options, token, now), Precondition.UpdatedAt(current.UpdateTime!.Value))
                    : DocumentWrite.Create(path, Fields(options, token, now));
                try
                {
                    var outcome = await store.CommitAsync([write], cancellationToken).ConfigureAwait(false);
                    var lease = new LeaseLock(store, options, path, token, outcome[0].UpdateTime!.Value);
                    lease._renewal = lease.RenewLoopAsync();
                    return lease;
                }
                catch (PreconditionFailedException)
                {
                    // Another runner took it between our read and our write: wait like everyone else.
                }
            }

            if (now >= deadline)
            {
                throw new LockTimeoutException(service, FieldReader.OptionalString(current.Fields, "owner") ?? "?", options.LockWaitTimeout);
            }

            await Task.Delay(options.LockPollInterval, options.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits <paramref name="writes"/> atomically together with a renewal of this lease (appended last), so they
    /// apply only while this runner still holds it: a runner that lost its lease (stalled past its TTL and taken
    /// over) writes nothing and gets <see cref="LockLostException"/>. Other precondition failures propagate.
    /// </summary>
    public async Task<IReadOnlyList<WriteOutcome>> CommitHoldingAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfLost();
            var renew = DocumentWrite.Set(_path, Fields(_options, Token, _options.Time.GetUtcNow()), Precondition.UpdatedAt(_updateTime));
            try
            {
                var outcomes = await _store.CommitAsync([.. writes, renew], cancellationToken).ConfigureAwait(false);
                _updateTime = outcomes[^1].UpdateTime!.Value;
                return outcomes;
            }
            catch (PreconditionFailedException e) when (e.Path == _path)
            {
                _lost = true;
                throw new LockLostException(_path.Id);
            }
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
    /// Stops renewing and releases the lease if this runner still holds it. The lock document stays, expired, so the
    /// next holder's fencing token continues from this one's. A release that fails is not an error: the lease then
    /// simply expires after its TTL.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _renewing.CancelAsync().ConfigureAwait(false);
        if (_renewal is not null)
        {
            await _renewal.ConfigureAwait(false);
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_lost)
            {
                var released = new Dictionary<string, Value>(StringComparer.Ordinal)
                {
                    ["owner"] = Value.String(string.Empty),
                    ["expires_at"] = Value.Timestamp(_options.Time.GetUtcNow()),
                    ["released_by"] = Value.String(_options.Owner),
                };
                await _store.CommitAsync([DocumentWrite.Merge(_path, released, Precondition.UpdatedAt(_updateTime))]).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Taken over meanwhile, or the store did not answer: either way the lease is not ours to keep, and it
            // expires on its own. The work itself is already recorded.
        }
        finally
        {
            _gate.Release();
            _renewing.Dispose();
        }
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

    private static Dictionary<string, Value> Fields(SeedRunnerOptions options, long token, DateTimeOffset now) => new(StringComparer.Ordinal)
    {
        ["owner"] = Value.String(options.Owner),
        ["token"] = Value.Integer(token),
        ["acquired_at"] = Value.Timestamp(now),
        ["expires_at"] = Value.Timestamp(now + options.LockTtl),
    };
}
