using Seeding.Running;

namespace Seeding.Hosting;

/// <summary>Which startup failures are logged without a stack trace, and what the log says of them.</summary>
internal static class StartupFailures
{
    /// <summary>
    /// True for a failure Seeding reports on purpose, whose message says what is wrong and what to do: every exception
    /// type of Seeding's own assemblies (drift, a lock timeout or a lost lease, a bad setting, a refused phase, a store
    /// or Pub/Sub fault), and a seed file that failed for one of those. Anything else (a bug, or an exception from a C#
    /// migration's own code) is unexpected and keeps its stack trace.
    /// </summary>
    public static bool IsExpected(Exception exception) => exception switch
    {
        SeedRunException run => run.InnerException is null || IsExpected(run.InnerException),
        _ => exception.GetType().Namespace is { } space && (space == "Seeding" || space.StartsWith("Seeding.", StringComparison.Ordinal)),
    };

    /// <summary>The failure in the log's words: the message of an expected failure, the type of an unexpected one (its exception follows).</summary>
    public static string Reason(Exception exception) =>
        IsExpected(exception) ? exception.Message : $"an unexpected {exception.GetType().Name} (the exception follows)";
}
