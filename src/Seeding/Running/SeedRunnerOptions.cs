using System.Globalization;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>How a <see cref="SeedRunner"/> coordinates with other runners on the same store.</summary>
public sealed record SeedRunnerOptions
{
    /// <summary>How long a lease lasts without renewal; a runner that dies is taken over after this. Default 30 s.</summary>
    public TimeSpan LockTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for another runner's lease before giving up with <see cref="LockTimeoutException"/>. Default 2 min.</summary>
    public TimeSpan LockWaitTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often to look at a held lease while waiting. Default 250 ms.</summary>
    public TimeSpan LockPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Who this runner is, in the lock document and logs. Default: machine name and process id plus a random suffix.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>
    /// This runner's clock, for durations only: waits, renewal periods, and the time elapsed since it last saw the
    /// store's clock. Lease expiry is judged by the store's clock, so a skewed wall clock here changes nothing.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where <c>topic</c> and <c>subscription</c> steps are ensured (Seeding.PubSub's <c>PubSubAdmin</c>); null when this
    /// run has none, and then those steps are reported as <see cref="ResourceAction.NoTarget"/> with the reason.
    /// </summary>
    public Resources.IPubSubAdmin? PubSub { get; init; }

    /// <summary>
    /// What the store offers beyond documents: index admin, retry counting, the write ramp, concurrent batches. Default
    /// <see cref="StoreCapabilities.None"/>. The host and the <c>seeding</c> command set it for the stores they open
    /// (Seeding.Hosting's <c>SeedingStoreCapabilities.Of</c>).
    /// </summary>
    public StoreCapabilities Capabilities { get; init; } = StoreCapabilities.None;

    /// <summary>
    /// How long releasing the lease may take when a run ends (a store that does not answer must not hold up shutdown);
    /// past it the release is given up and the lease expires after <see cref="LockTtl"/>. Wall time (not <see cref="Time"/>). Default 5 s.
    /// </summary>
    public TimeSpan LockReleaseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The write budget: at most this many document writes per second across every worker of a run (batched writes of
    /// migrations and bootstrap seeds, backfills included; the lease and history commits are not counted). Each runner
    /// takes its share of it. A refusal for capacity (Firestore's RESOURCE_EXHAUSTED) slows it down by half, and it
    /// recovers a tenth every 5 s; on Firestore the 500/50/5 ramp applies as well (the lower of the two holds). Null (the
    /// default): unlimited until the store refuses writes for capacity. <c>seeding migrate --max-writes-per-second</c>,
    /// <c>Seeding:MaxWritesPerSecond</c> in a host.
    /// </summary>
    public double? MaxWritesPerSecond { get; init; }

    /// <summary>
    /// Receives where each backfill stands (documents scanned, updated, skipped, the rate and, when the store counted
    /// them cheaply, an ETA), at most every <see cref="BackfillProgressInterval"/> and once when it ends; the workers of a
    /// partitioned backfill share one count. Called on a worker's thread, by one worker per interval: keep it quick. The <c>seeding</c> command shows it as a progress bar or lines; the host logs it.
    /// </summary>
    public IProgress<BackfillProgress>? BackfillProgress { get; init; }

    /// <summary>The least time between two <see cref="BackfillProgress"/> reports of one backfill. Default 1 s.</summary>
    public TimeSpan BackfillProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many partitions a backfill (a YAML <c>backfill</c> step, or <see cref="MigrationContext.ForEachPartitionAsync"/>)
    /// splits its collection into, at most 256; fewer when the collection is small or the store cannot split
    /// (<see cref="StoreCapabilities.Partitions"/>). Set when the backfill starts; a resumed one keeps its partitions. Default 8.
    /// </summary>
    public int BackfillPartitions { get; init; } = 8;

    /// <summary>
    /// How many workers this process runs on a backfill's partitions at once (<c>--workers</c>,
    /// <c>Seeding:Backfill:Workers</c>); other processes of the same service that wait for the migration lease join
    /// as workers too. Default 1.
    /// </summary>
    public int BackfillWorkers { get; init; } = 1;

    /// <summary>Documents a backfill worker reads and writes per batch (one commit with its checkpoint); null: the store's batch size less one (499 on Firestore).</summary>
    public int? BackfillBatchSize { get; init; }
}

/// <summary>Another runner held the lease lock for longer than <see cref="SeedRunnerOptions.LockWaitTimeout"/>.</summary>
public sealed class LockTimeoutException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="service">The service whose lock was busy.</param>
    /// <param name="holder">The owner recorded in the lock document; null or empty when it records none.</param>
    /// <param name="expiresAt">When the lease expires by the store's clock, if the lock document says.</param>
    /// <param name="storeNow">The store's clock at the last look at the lock.</param>
    /// <param name="waited">How long this runner waited.</param>
    public LockTimeoutException(string service, string? holder, Timestamp? expiresAt, Timestamp storeNow, TimeSpan waited)
        : base(Describe(service, holder, expiresAt, storeNow, waited))
    {
        Service = service;
        Holder = string.IsNullOrEmpty(holder) ? null : holder;
        ExpiresAt = expiresAt;
    }

    /// <summary>The service whose lock was busy.</summary>
    public string Service { get; }

    /// <summary>The owner recorded in the lock document; null when it records none.</summary>
    public string? Holder { get; }

    /// <summary>When the lease expires by the store's clock (unless its holder renews it), if the lock document says.</summary>
    public Timestamp? ExpiresAt { get; }

    private static string Describe(string service, string? holder, Timestamp? expiresAt, Timestamp storeNow, TimeSpan waited)
    {
        var who = string.IsNullOrEmpty(holder) ? "a runner that did not record its name" : $"'{holder}'";
        var until = expiresAt is { } expiry
            ? string.Create(CultureInfo.InvariantCulture, $"until {expiry} by the store's clock ({(expiry.ToDateTimeOffset() - storeNow.ToDateTimeOffset()).TotalSeconds:0} s after the store's time at the last look, {storeNow}) unless renewed")
            : "with no expiry the lock document states";
        return string.Create(CultureInfo.InvariantCulture, $"Service '{service}': the migration lock is held by {who} {until}; it was not released within the {waited.TotalSeconds:0.#} s this runner waits. ") +
               "If that runner is still working, wait for it (or raise the lock wait timeout) and run again; if it died, its lease expires at that time " +
               "and the next run takes over. Deleting the lock document by hand is never needed.";
    }
}

/// <summary>This runner's lease was taken over (it stalled past the TTL); it stopped before recording anything more.</summary>
public sealed class LockLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LockLostException(string service)
        : base($"Service '{service}': this runner's migration lease expired and another runner took it over. " +
               "Work done so far is safe to repeat; the next run finishes it. Raise the lock TTL if runs stall this long.")
    {
    }
}
