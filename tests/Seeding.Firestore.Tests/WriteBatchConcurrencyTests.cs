using Grpc.Core;
using Grpc.Core.Interceptors;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>
/// BatchWrite calls in flight together (FirestoreStoreOptions.MaxWriteBatchesInFlight) through the runner on the
/// emulator: the same RPCs as one by one, several on the wire at once, and each document's writes still in order.
/// </summary>
public sealed class WriteBatchConcurrencyTests
{
    private static readonly SeedRunnerOptions Runner = new() { LockTtl = TimeSpan.FromMinutes(10) };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task A_run_keeps_up_to_the_configured_BatchWrite_calls_in_flight_with_the_same_RPCs(int inFlight)
    {
        // Each BatchWrite's response is held until `inFlight` of them have been sent (or 5 s have passed), so a runner
        // that sends the next batches without waiting is seen with exactly that many on the wire, deterministically.
        var wire = new BatchWriteWire(holdUntil: inFlight, TimeSpan.FromSeconds(5));
        var options = await FirestoreEmulator.OptionsAsync(FirestoreEmulator.NewProjectId("inflight"));
        options.MaxWriteBatchesInFlight = inFlight;
        var calls = new CallCounter();
        options.Interceptors.Add(calls);
        options.Interceptors.Add(wire);
        await using var store = new FirestoreDocumentStore(options);

        var report = await Runners.For(store, Runner).RunAsync(new ServiceSeeds("inflight", [], [RunnerEconomyTests.CreateItems(2_000)]), RunRequest.PreDeploy());

        Assert.Equal(2_000, report.Created);
        Assert.Equal(inFlight, wire.MostInFlight);
        // Unchanged by concurrency: read 1, the lease's read, read 2 (history + 2,000 paths); 4 BatchWrites; 3 commits.
        Assert.Equal((1 + 1 + 3, 4, 3), (calls["BatchGetDocuments"], calls["BatchWrite"], calls["Commit"]));
    }

    [Fact]
    public async Task A_batch_writing_a_document_still_in_flight_waits_so_its_writes_land_in_order()
    {
        // The first BatchWrite reaches the server late: a second batch rewriting the same documents, if sent meanwhile,
        // would land first and be overwritten by the older values.
        var options = await FirestoreEmulator.OptionsAsync(FirestoreEmulator.NewProjectId("order"));
        options.MaxWriteBatchesInFlight = 4;
        options.Interceptors.Add(new FirstBatchWriteLate(TimeSpan.FromMilliseconds(500)));
        await using var store = new FirestoreDocumentStore(options);
        var migration = SeedDefinition.FromCode("0001_twice", SeedPhase.Pre, "sha256:twice", "Migrations/Twice.cs", null, new WriteTwice());

        var report = await Runners.For(store, Runner).RunAsync(new ServiceSeeds("order", [], [migration]), RunRequest.PreDeploy());

        Assert.Equal(SeedOutcome.Applied, Assert.Single(report.Seeds).Outcome);
        var snapshots = await store.GetAllAsync(WriteTwice.Paths);
        Assert.All(snapshots, s => Assert.Equal(Value.Integer(2), s.Fields["v"]));
    }

    /// <summary>Sets 500 documents to v = 1 (one batch), then the same 500 to v = 2 (the next batch).</summary>
    private sealed class WriteTwice : IMigration
    {
        public static readonly DocumentPath[] Paths = Enumerable.Range(0, 500).Select(i => DocumentPath.Create("twice", $"d{i:D3}")).ToArray();

        public async Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken)
        {
            foreach (var version in new[] { 1, 2 })
            {
                foreach (var path in Paths)
                {
                    await context.WriteAsync(DocumentWrite.Set(path, F(("v", Value.Integer(version)))), PlanAction.Update, cancellationToken: cancellationToken);
                }
            }

            await context.FlushAsync(cancellationToken);
        }
    }

    /// <summary>Counts BatchWrite calls on the wire at once, holding each response until <c>holdUntil</c> calls were sent.</summary>
    private sealed class BatchWriteWire(int holdUntil, TimeSpan longest) : Interceptor
    {
        private readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _sent;
        private int _now;
        private int _most;

        public int MostInFlight => Volatile.Read(ref _most);

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            if (request is not Protocol.BatchWriteRequest)
            {
                return continuation(request, context);
            }

            var now = Interlocked.Increment(ref _now);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }

            if (Interlocked.Increment(ref _sent) >= holdUntil)
            {
                _enough.TrySetResult();
            }

            var call = continuation(request, context);
            async Task<TResponse> HeldAsync()
            {
                try
                {
                    await Task.WhenAny(_enough.Task, Task.Delay(longest));
                    return await call.ResponseAsync;
                }
                finally
                {
                    Interlocked.Decrement(ref _now);
                }
            }

            return new AsyncUnaryCall<TResponse>(HeldAsync(), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        }
    }

    /// <summary>Sends the first BatchWrite only after a delay; the others at once.</summary>
    private sealed class FirstBatchWriteLate(TimeSpan delay) : Interceptor
    {
        private int _seen;

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            if (request is not Protocol.BatchWriteRequest || Interlocked.Increment(ref _seen) != 1)
            {
                return continuation(request, context);
            }

            var sent = Task.Delay(delay).ContinueWith(_ => continuation(request, context), TaskScheduler.Default);
            return new AsyncUnaryCall<TResponse>(
                sent.ContinueWith(t => t.Result.ResponseAsync, TaskScheduler.Default).Unwrap(),
                sent.ContinueWith(t => t.Result.ResponseHeadersAsync, TaskScheduler.Default).Unwrap(),
                () => sent.Result.GetStatus(),
                () => sent.Result.GetTrailers(),
                () => sent.ContinueWith(t => t.Result.Dispose(), TaskScheduler.Default));
        }
    }
}
