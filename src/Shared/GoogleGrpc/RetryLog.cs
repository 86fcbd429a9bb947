using Grpc.Core;
using Microsoft.Extensions.Logging;

// Part of the Google transport (see GoogleFaults.cs).
#if SEEDING_FIRESTORE
namespace Seeding.Firestore.Internal;
#elif SEEDING_PUBSUB
namespace Seeding.PubSub.Internal;
#endif

/// <summary>What a Google client logs about its retries (event ids 1 to 3): a warning per retry, so transient faults are never invisible.</summary>
internal static partial class RetryLog
{
    [LoggerMessage(1, LogLevel.Warning, "{Service} {Rpc} {Resource} attempt {Attempt} of {MaxAttempts} failed with {Status} ({Detail}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string service, string rpc, string resource, int attempt, int maxAttempts, StatusCode status, string detail, long delayMs);

    // Debug, not Error: the client throws its exception with this in the message, and whoever handles it logs it once.
    [LoggerMessage(2, LogLevel.Debug, "{Service} {Rpc} {Resource} gave up after {Attempts} attempt(s) in {ElapsedMs} ms with {Status}")]
    public static partial void GaveUp(ILogger logger, string service, string rpc, string resource, int attempts, long elapsedMs, StatusCode status);

    // A create whose earlier attempt's answer was lost may have made the resource itself: reported as existing, so that
    // racing runners never count one resource as created twice.
    [LoggerMessage(3, LogLevel.Information, "{Service} {Rpc} {Resource}: ALREADY_EXISTS after an attempt whose answer was lost; it may have been that attempt which created it")]
    public static partial void ExistsAfterLostAttempt(ILogger logger, string service, string rpc, string resource);
}
