using Grpc.Core;

// The Google gRPC transport (src/Shared/GoogleGrpc) is compiled into each Google client (Seeding.Firestore,
// Seeding.PubSub) as internal types of that assembly's Internal namespace: one source, no package referencing a
// sibling backend, no extra package to ship, and no test project that sees both assemblies' internals meets the same
// type name twice. See docs/architecture.md, "Google transport".
#if SEEDING_FIRESTORE
namespace Seeding.Firestore.Internal;
#elif SEEDING_PUBSUB
namespace Seeding.PubSub.Internal;
#endif

/// <summary>Which failures of a Google API call are worth retrying, and which certainly left nothing applied.</summary>
internal static class GoogleFaults
{
    /// <summary>
    /// What .NET's HTTP/2 client says when the server (a proxy, a load balancer, a starting emulator) closes the
    /// connection before the HTTP/2 preface is exchanged. Grpc.Net.Client reports it as <c>Internal</c>, which is
    /// otherwise a server bug worth no retry; this one is the connection, and transient.
    /// </summary>
    public const string HandshakeFailure = "did not complete the HTTP/2 handshake";

    /// <summary>Codes worth retrying: the service was briefly unreachable, slow, contended or throttled.</summary>
    public static bool IsTransient(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.ResourceExhausted;

    /// <summary>True when <paramref name="e"/> is worth retrying: a transient code, or an HTTP/2 handshake that did not complete.</summary>
    public static bool IsTransient(RpcException e) => IsTransient(e.StatusCode) || IsHandshakeFailure(e);

    /// <summary>
    /// Codes after which the server certainly did not apply a write (refused before applying), as opposed to
    /// UNAVAILABLE/DEADLINE_EXCEEDED, where the response may have been lost after the write landed.
    /// </summary>
    public static bool CertainlyNotApplied(StatusCode code) => code is StatusCode.Aborted or StatusCode.ResourceExhausted;

    /// <summary>As <see cref="CertainlyNotApplied(StatusCode)"/>; a failed handshake too, since no request was sent.</summary>
    public static bool CertainlyNotApplied(RpcException e) => CertainlyNotApplied(e.StatusCode) || IsHandshakeFailure(e);

    /// <summary>An <c>Internal</c> status whose detail or inner exception says the HTTP/2 handshake did not complete.</summary>
    public static bool IsHandshakeFailure(RpcException e)
    {
        if (e.StatusCode != StatusCode.Internal)
        {
            return false;
        }

        if (e.Status.Detail.Contains(HandshakeFailure, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        for (var inner = e.Status.DebugException ?? e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner.Message.Contains(HandshakeFailure, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A failure's detail for messages: the status detail, or "no detail".</summary>
    public static string Detail(RpcException e) => e.Status.Detail.Length == 0 ? "no detail" : e.Status.Detail;
}
