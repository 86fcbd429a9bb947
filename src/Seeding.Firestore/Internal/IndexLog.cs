using Microsoft.Extensions.Logging;

namespace Seeding.Firestore.Internal;

/// <summary>What the store logs about index and field operations (event ids 20 and up; RetryLog has 1 to 4).</summary>
internal static partial class IndexLog
{
    [LoggerMessage(20, LogLevel.Information, "Firestore {Rpc} for {Resource} started operation {Operation}")]
    public static partial void Started(ILogger logger, string rpc, string resource, string operation);

    [LoggerMessage(21, LogLevel.Information, "Firestore index {Index} already exists; nothing started")]
    public static partial void AlreadyExists(ILogger logger, string index);

    [LoggerMessage(22, LogLevel.Information, "Waiting for Firestore operation {Operation} (poll {Poll}); next poll in {DelayMs} ms")]
    public static partial void Waiting(ILogger logger, string operation, int poll, long delayMs);

    [LoggerMessage(23, LogLevel.Information, "Firestore operation {Operation} is done after {ElapsedMs} ms")]
    public static partial void Done(ILogger logger, string operation, long elapsedMs);
}
