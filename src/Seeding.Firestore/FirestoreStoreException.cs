using Grpc.Core;

namespace Seeding.Firestore;

/// <summary>A Firestore call failed for good; the message says what to check (project, database, credentials, emulator host).</summary>
public sealed class FirestoreStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FirestoreStoreException(string message, StatusCode statusCode, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>The gRPC status of the failure.</summary>
    public StatusCode StatusCode { get; }
}
