using Grpc.Core;

namespace Seeding.PubSub;

/// <summary>
/// A Pub/Sub call failed for good, or a declared setting cannot be written. The message says what is wrong and what to
/// check (the project id, <c>PUBSUB_EMULATOR_HOST</c>, the credentials' roles).
/// </summary>
public sealed class PubSubException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and what to check.</param>
    /// <param name="statusCode">The gRPC status of the failure.</param>
    /// <param name="inner">The gRPC exception, when there was one.</param>
    public PubSubException(string message, StatusCode statusCode, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>The gRPC status of the failure.</summary>
    public StatusCode StatusCode { get; }
}
