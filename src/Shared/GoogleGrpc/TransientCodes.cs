using Grpc.Core;

// Compiled into each Google client (Seeding.Firestore, Seeding.PubSub) as an internal type of that assembly's Internal
// namespace (see Directory.Build.props, SeedingGoogleGrpc): one rule, no assembly referencing a sibling backend, and
// no test project that sees both assemblies' internals meets the same type name twice.
#if SEEDING_FIRESTORE
namespace Seeding.Firestore.Internal;
#elif SEEDING_PUBSUB
namespace Seeding.PubSub.Internal;
#endif

/// <summary>Which gRPC status codes of a Google API call are worth retrying.</summary>
internal static class TransientCodes
{
    /// <summary>Codes worth retrying: the service was briefly unreachable, slow, contended or throttled.</summary>
    public static bool IsTransient(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.ResourceExhausted;

    /// <summary>
    /// Codes after which the server certainly did not apply a write (refused before applying), as opposed to
    /// UNAVAILABLE/DEADLINE_EXCEEDED, where the response may have been lost after the write landed.
    /// </summary>
    public static bool CertainlyNotApplied(StatusCode code) => code is StatusCode.Aborted or StatusCode.ResourceExhausted;
}
