using Grpc.Core;
using Proto = Seeding.Firestore.Protocol;

namespace Seeding.Firestore.Internal;

/// <summary>
/// Firestore's data API on the Google transport: the client, the routing headers naming the database, one retry policy
/// per call kind, and how a failure that is given up on reads.
/// </summary>
internal sealed class FirestoreCalls
{
    public FirestoreCalls(GoogleTransport transport, ResourceNames names, FirestoreStoreOptions options)
    {
        Transport = transport;
        Names = names;
        Client = new Proto.Firestore.FirestoreClient(transport.Invoker);
        var backoff = new Backoff(options.InitialBackoff, options.MaxBackoff);
        Read = new RetryPolicy("read", options.MaxAttempts, backoff, RetriesUncertain: true);
        BatchWrite = new RetryPolicy("batch write", options.MaxAttempts, backoff, RetriesUncertain: true);
        ProtectedCommit = new RetryPolicy("commit (replay-protected)", options.MaxAttempts, backoff, RetriesUncertain: true);
        Commit = new RetryPolicy("commit", options.MaxAttempts, backoff, RetriesUncertain: false);
    }

    /// <summary>The OAuth scope Firestore (and its Admin API) requires.</summary>
    public const string DatastoreScope = "https://www.googleapis.com/auth/datastore";

    /// <summary>The Firestore emulator's administrator token, which bypasses security rules.</summary>
    public const string EmulatorOwnerToken = "owner";

    public GoogleTransport Transport { get; }

    public ResourceNames Names { get; }

    public Proto.Firestore.FirestoreClient Client { get; }

    /// <summary>
    /// The bearer token of every call: from <see cref="FirestoreStoreOptions.Credential"/> when given, else the emulator's
    /// <c>owner</c> on the emulator, else Application Default Credentials (loaded on the first call).
    /// </summary>
    public static Func<CancellationToken, Task<string>> Bearer(FirestoreStoreOptions options) => options switch
    {
        { Credential: { } credential } => GoogleTokens.From(credential, DatastoreScope).GetAsync,
        { UsesEmulator: true } => static _ => Task.FromResult(EmulatorOwnerToken),
        _ => GoogleTokens.ApplicationDefault(
            DatastoreScope,
            "Set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, run 'gcloud auth application-default login', " +
            $"run on Google Cloud, or set {FirestoreStoreOptions.EmulatorHostVariable} for the emulator.").GetAsync,
    };

    /// <summary>Reads (BatchGetDocuments, RunQuery): sent again after any transient fault.</summary>
    public RetryPolicy Read { get; }

    /// <summary>
    /// BatchWrite: sent again after any transient fault. A replay cannot apply a write twice: protected writes are
    /// refused and reconciled, the others are state-idempotent (see <see cref="DocumentWriter"/>).
    /// </summary>
    public RetryPolicy BatchWrite { get; }

    /// <summary>A Commit whose every write carries a precondition that refuses a replay: sent again after any transient fault.</summary>
    public RetryPolicy ProtectedCommit { get; }

    /// <summary>Any other Commit (exactly-once work): sent again only after a fault that certainly left it unapplied.</summary>
    public RetryPolicy Commit { get; }

    /// <summary>
    /// Routing metadata: Firestore (named databases in particular) routes by these; the request-params value is
    /// URL-encoded, as Google's client libraries send it.
    /// </summary>
    public Metadata Headers() => new Metadata { { "google-cloud-resource-prefix", Names.Database } }.AddRoute("database", Names.Database);

    /// <summary>One call with <paramref name="policy"/>'s retries; a failure given up on is a <see cref="FirestoreStoreException"/>.</summary>
    public async Task<T> RunAsync<T>(string rpc, RetryPolicy policy, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
        where T : class =>
        (await Transport.RunAsync(rpc, Names.Database, policy, Headers, call, answer: null, Fail, cancellationToken).ConfigureAwait(false)).Value!;

    /// <summary>The exception of a failure given up on, saying what to check.</summary>
    public FirestoreStoreException Fail(RpcException e, GoogleCall call) =>
        Faults.Permanent(e, call.Rpc, Names.Database, Transport.Endpoint.ToString(), call.Unavailable(e));
}
