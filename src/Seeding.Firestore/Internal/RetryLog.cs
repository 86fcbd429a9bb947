using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Seeding.Firestore.Internal;

/// <summary>What the store logs about its retries: a warning per retry, so transient faults are never invisible.</summary>
internal static partial class RetryLog
{
    [LoggerMessage(1, LogLevel.Warning, "Firestore {Rpc} attempt {Attempt} of {MaxAttempts} failed with {Status} ({Detail}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string rpc, int attempt, int maxAttempts, StatusCode status, string detail, long delayMs);

    // Debug, not Error: the store throws FirestoreStoreException with this message, and whoever handles it logs it once.
    [LoggerMessage(2, LogLevel.Debug, "Firestore {Rpc} gave up after {Attempts} attempt(s) with {Status}")]
    public static partial void GaveUp(ILogger logger, string rpc, int attempts, StatusCode status);

    [LoggerMessage(3, LogLevel.Information, "Firestore {Rpc}: '{Path}' was refused on retry; read back, it {Verdict}")]
    public static partial void Reconciled(ILogger logger, string rpc, string path, string verdict);

    [LoggerMessage(4, LogLevel.Information, "Firestore Commit was refused on retry; read back, the lost attempt had applied it")]
    public static partial void CommitReconciled(ILogger logger);
}
