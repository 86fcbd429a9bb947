using Microsoft.Extensions.Logging;

namespace Seeding.Firestore.Internal;

/// <summary>What the store logs about writes it reconciled (event ids 4 and 5; the transport's RetryLog has 1 to 3, IndexLog 20 and up).</summary>
internal static partial class WriteLog
{
    [LoggerMessage(4, LogLevel.Information, "Firestore {Rpc}: '{Path}' was refused on retry; read back, it {Verdict}")]
    public static partial void Reconciled(ILogger logger, string rpc, string path, string verdict);

    [LoggerMessage(5, LogLevel.Information, "Firestore Commit was refused on retry; read back, the lost attempt had applied it")]
    public static partial void CommitReconciled(ILogger logger);
}
