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

    /// <summary>The clock for lease expiry; tests move it.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Another runner held the lease lock for longer than <see cref="SeedRunnerOptions.LockWaitTimeout"/>.</summary>
public sealed class LockTimeoutException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LockTimeoutException(string service, string holder, TimeSpan waited)
        : base($"Service '{service}': the migration lock is held by '{holder}' and was not released within {waited.TotalSeconds:0} s. " +
               "If that runner is still working, wait and retry; if it died, its lease expires after the lock TTL and the next run takes over.")
    {
        Service = service;
        Holder = holder;
    }

    /// <summary>The service whose lock was busy.</summary>
    public string Service { get; }

    /// <summary>The owner recorded in the lock document.</summary>
    public string Holder { get; }
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
