using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Seeding.Definitions;
using Seeding.Diffing;
using Seeding.Firestore.Internal;
using Seeding.Firestore.Protocol;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;

namespace Seeding.Firestore.Tests;

/// <summary>
/// <c>seeding diff</c> reads ahead of its comparison, several reads in flight, and still costs one BatchGetDocuments per
/// 1,000 documents, every one after the first at the first one's <c>read_time</c>, as seen on the wire.
/// </summary>
public sealed class DiffReadAheadEmulatorTests
{
    [Fact]
    public async Task Reads_are_one_batch_per_thousand_several_in_flight_all_at_the_first_reads_time()
    {
        var options = await FirestoreEmulator.OptionsAsync(FirestoreEmulator.NewProjectId("diff-ahead"));
        var batches = new BatchGetRecorder();
        options.Interceptors.Add(batches);
        await using var store = new FirestoreDocumentStore(options);
        var service = new ServiceSeeds("items", [], [RunnerEconomyTests.CreateItems(2_500)]);
        await new SeedRunner(store, options: new SeedRunnerOptions { LockTtl = TimeSpan.FromMinutes(10) }).RunAsync(service, RunRequest.PreDeploy());
        batches.Clear();

        var result = await new SeedDiffer(store, new SeedRunnerOptions { Capabilities = new StoreCapabilities { Snapshots = store } }).DiffAsync([service], new DiffRequest());

        Assert.False(result.HasDrift);
        Assert.Equal(2_500, result.Services[0].UnchangedDocuments);
        var calls = batches.Calls.ToArray();
        Assert.Equal([1, 1_000, 1_000, 500], calls.Select(c => c.Documents)); // the migration's history, then the documents
        Assert.Null(calls[0].ReadTime); // the first read fixes the snapshot's time...
        Assert.All(calls.Skip(1), c => Assert.Equal(result.ReadTime, c.ReadTime)); // ...and every later one reads at it
        Assert.InRange(batches.MostInFlight, 2, SeedDiffer.ReadsInFlight); // the second and third chunks were read at once
    }

    /// <summary>Records each BatchGetDocuments request (documents, read time) and how many were answering at once.</summary>
    private sealed class BatchGetRecorder : Interceptor
    {
        private int _inFlight;
        private int _most;

        public ConcurrentQueue<(int Documents, Values.Timestamp? ReadTime)> Calls { get; } = new();

        public int MostInFlight => Volatile.Read(ref _most);

        public void Clear()
        {
            Calls.Clear();
            Volatile.Write(ref _most, 0);
        }

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
        {
            if (request is not BatchGetDocumentsRequest batch)
            {
                return continuation(request, context);
            }

            Calls.Enqueue((batch.Documents.Count, batch.ReadTime is { } time ? ValueConverter.FromProto(time) : null));
            var now = Interlocked.Increment(ref _inFlight);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }

            var call = continuation(request, context);
            return new AsyncServerStreamingCall<TResponse>(new Ending<TResponse>(call.ResponseStream, () => Interlocked.Decrement(ref _inFlight)), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        }

        // The response stream, calling back once when it has ended (or failed).
        private sealed class Ending<T>(IAsyncStreamReader<T> inner, Action ended) : IAsyncStreamReader<T>
        {
            private int _done;

            public T Current => inner.Current;

            public async Task<bool> MoveNext(CancellationToken cancellationToken)
            {
                try
                {
                    var more = await inner.MoveNext(cancellationToken);
                    if (!more && Interlocked.Exchange(ref _done, 1) == 0)
                    {
                        ended();
                    }

                    return more;
                }
                catch
                {
                    if (Interlocked.Exchange(ref _done, 1) == 0)
                    {
                        ended();
                    }

                    throw;
                }
            }
        }
    }
}
