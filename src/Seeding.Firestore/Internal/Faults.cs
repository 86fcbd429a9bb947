using Grpc.Core;

namespace Seeding.Firestore.Internal;

/// <summary>Classifies gRPC failures and turns permanent ones into messages that say what to check.</summary>
internal static class Faults
{
    /// <param name="e">The final failure.</param>
    /// <param name="method">The RPC.</param>
    /// <param name="database">The database's resource name.</param>
    /// <param name="target">The endpoint.</param>
    /// <param name="unavailable">What the transport says about a transient failure that outlasted the retries (<see cref="GoogleCall.Unavailable"/>).</param>
    public static FirestoreStoreException Permanent(RpcException e, string method, string database, string target, string unavailable)
    {
        var detail = e.Status.Detail;
        var hint = e.StatusCode switch
        {
            StatusCode.InvalidArgument =>
                $"Firestore rejected the request as invalid ({detail}). Check the document paths, field names and values, and that project/database '{database}' is spelled right.",
            StatusCode.PermissionDenied =>
                $"Permission denied ({detail}). Check that the credentials (GOOGLE_APPLICATION_CREDENTIALS or application-default login) may use Firestore in '{database}' (role roles/datastore.user) and that the Firestore API is enabled.",
            StatusCode.Unauthenticated =>
                $"Not authenticated ({detail}). Check the credentials: set GOOGLE_APPLICATION_CREDENTIALS or run 'gcloud auth application-default login'; for the emulator set FIRESTORE_EMULATOR_HOST.",
            StatusCode.NotFound =>
                $"Not found ({detail}). Check that the database '{database}' exists: FIRESTORE_PROJECT_ID and FIRESTORE_DATABASE must name an existing Firestore database.",
            _ when GoogleFaults.IsTransient(e) =>
                $"{unavailable} Check the network, the endpoint, or that the emulator at FIRESTORE_EMULATOR_HOST is running.",
            // The emulator (and a proxy or non-Firestore server on the target) answers a request it cannot parse with
            // UNKNOWN and no detail; the settings are checked before any call, so the endpoint is the first suspect.
            StatusCode.Unknown =>
                $"Firestore at {target} failed without saying why (Unknown{(detail.Length == 0 ? string.Empty : $": {detail}")}). Check that the target is a Firestore " +
                $"endpoint (FIRESTORE_EMULATOR_HOST must name the emulator's host:port, not another service), and that the project and database in '{database}' " +
                "(FIRESTORE_PROJECT_ID, FIRESTORE_DATABASE) are the ones you meant.",
            _ => $"Firestore failed with {e.StatusCode} ({(detail.Length == 0 ? "no detail" : detail)}). Target {target}, database '{database}': check the endpoint, " +
                 "the project and database (FIRESTORE_PROJECT_ID, FIRESTORE_DATABASE) and the credentials.",
        };
        return new FirestoreStoreException($"{method} failed: {hint}", e.StatusCode, e);
    }
}

/// <summary>The Admin API's failures (indexes, fields, operations): what to check differs from the data API's.</summary>
internal static class AdminFaults
{
    /// <summary>The IAM role that may create indexes and change field overrides.</summary>
    public const string IndexAdminRole = "roles/datastore.indexAdmin";

    /// <inheritdoc cref="Faults.Permanent"/>
    public static FirestoreStoreException Permanent(RpcException e, string method, string database, string target, string unavailable)
    {
        var detail = GoogleFaults.Detail(e);
        var hint = e.StatusCode switch
        {
            StatusCode.PermissionDenied =>
                $"Permission denied ({detail}). Managing indexes in '{database}' needs the role {IndexAdminRole} (or roles/datastore.owner) " +
                "for the credentials in use (GOOGLE_APPLICATION_CREDENTIALS or application-default login).",
            StatusCode.Unauthenticated =>
                $"Not authenticated ({detail}). Check the credentials: set GOOGLE_APPLICATION_CREDENTIALS or run 'gcloud auth application-default login'.",
            StatusCode.InvalidArgument =>
                $"The Firestore Admin API rejected the request as invalid ({detail}). Check the index's collection group and field paths in the seed file.",
            StatusCode.NotFound =>
                $"Not found ({detail}). Check that the database '{database}' exists (FIRESTORE_PROJECT_ID, FIRESTORE_DATABASE).",
            StatusCode.Unimplemented =>
                $"{target} has no Firestore Admin API (Unimplemented: {detail}); the Firestore emulator, for one, has none. Point " +
                $"{nameof(FirestoreStoreOptions)}.{nameof(FirestoreStoreOptions.AdminEndpoint)} at the Admin API, or leave it unset in production.",
            _ when GoogleFaults.IsTransient(e) =>
                $"{unavailable} Check the network and the endpoint.",
            _ => $"The Firestore Admin API failed with {e.StatusCode} ({detail}). Target {target}, database '{database}': check the endpoint, " +
                 "the project and database and the credentials.",
        };
        return new FirestoreStoreException($"{method} failed: {hint}", e.StatusCode, e);
    }
}
