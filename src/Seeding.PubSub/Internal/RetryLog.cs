using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Seeding.PubSub.Internal;

/// <summary>What the Pub/Sub client logs about its retries: a warning per retry, so transient faults are never invisible.</summary>
internal static partial class RetryLog
{
    [LoggerMessage(1, LogLevel.Warning, "Pub/Sub {Rpc} '{Resource}' attempt {Attempt} of {MaxAttempts} failed with {Status} ({Detail}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string rpc, string resource, int attempt, int maxAttempts, StatusCode status, string detail, long delayMs);

    // Debug, not Error: the client throws PubSubException with this message, and whoever handles it logs it once.
    [LoggerMessage(2, LogLevel.Debug, "Pub/Sub {Rpc} '{Resource}' gave up after {Attempts} attempt(s) with {Status}")]
    public static partial void GaveUp(ILogger logger, string rpc, string resource, int attempts, StatusCode status);

    // A create whose earlier attempt's answer was lost may have made the resource itself: reported as existing
    // (false), so that racing runners never count one resource as created twice.
    [LoggerMessage(3, LogLevel.Information, "Pub/Sub {Rpc} '{Resource}': ALREADY_EXISTS after an attempt whose answer was lost; it may have been that attempt which created it")]
    public static partial void ExistsAfterLostAttempt(ILogger logger, string rpc, string resource);
}
