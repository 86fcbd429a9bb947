namespace Seeding.Resources;

/// <summary>
/// How each call to a Google service is timed and retried, declared once for both targets that make such calls
/// (the Firestore store's options and the Pub/Sub target's options derive from it, each with its own retry defaults).
/// An attempt has <see cref="CallTimeout"/>; a call (all its attempts and the waits between them) has
/// <see cref="OperationTimeout"/>; transient failures (UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED, a
/// failed HTTP/2 handshake) are tried up to <see cref="MaxAttempts"/> times with a backoff doubling from
/// <see cref="InitialBackoff"/> to <see cref="MaxBackoff"/>, with jitter.
/// </summary>
public abstract class GoogleCallOptions
{
    /// <summary>The default <see cref="CallTimeout"/>: 20 s.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The default <see cref="OperationTimeout"/>: 60 s.</summary>
    public static readonly TimeSpan DefaultOperationTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Sets the retry defaults of a target (the timeouts' defaults are the same for every target).</summary>
    /// <param name="maxAttempts">The default <see cref="MaxAttempts"/>.</param>
    /// <param name="initialBackoff">The default <see cref="InitialBackoff"/>.</param>
    /// <param name="maxBackoff">The default <see cref="MaxBackoff"/>.</param>
    protected GoogleCallOptions(int maxAttempts, TimeSpan initialBackoff, TimeSpan maxBackoff)
    {
        MaxAttempts = maxAttempts;
        InitialBackoff = initialBackoff;
        MaxBackoff = maxBackoff;
    }

    /// <summary>The deadline of each attempt (default 20 s), cut to what is left of <see cref="OperationTimeout"/>.</summary>
    public TimeSpan CallTimeout { get; set; } = DefaultCallTimeout;

    /// <summary>
    /// The time one call (all its attempts and the waits between them) may take in total; default 60 s. A target that
    /// accepts connections and never answers fails within it, with a message naming the endpoint and these limits.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = DefaultOperationTimeout;

    /// <summary>Attempts per call in total, the first included, when it fails transiently.</summary>
    public int MaxAttempts { get; set; }

    /// <summary>The first retry's backoff; it doubles per attempt, with jitter, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; }

    /// <summary>The longest backoff between two attempts.</summary>
    public TimeSpan MaxBackoff { get; set; }

    /// <summary>Checks the call settings; the deriving options call it from their own validation.</summary>
    /// <param name="owner">The options type, for the message (e.g. <c>FirestoreStoreOptions</c>).</param>
    /// <exception cref="CloudSettingException">A timeout is not positive, <see cref="MaxAttempts"/> is below 1, or the backoffs are out of order.</exception>
    protected void ValidateCalls(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (CallTimeout <= TimeSpan.Zero || OperationTimeout <= TimeSpan.Zero || MaxAttempts < 1 || InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new CloudSettingException(
                owner,
                $"{owner}: CallTimeout ({CallTimeout}) and OperationTimeout ({OperationTimeout}) must be positive, MaxAttempts ({MaxAttempts}) " +
                $"at least 1, and MaxBackoff ({MaxBackoff}) at least InitialBackoff ({InitialBackoff}), which is zero or more.");
        }
    }
}
