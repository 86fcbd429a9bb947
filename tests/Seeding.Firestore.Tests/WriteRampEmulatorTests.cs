using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Hosting;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;

namespace Seeding.Firestore.Tests;

/// <summary>
/// The write ramp against the emulator: forced on, it paces real BatchWrite calls (when each is sent, read on a virtual
/// clock by an interceptor), and the run report says it was on and how long it waited; by default it is off there.
/// </summary>
public sealed class WriteRampEmulatorTests
{
    [Fact]
    public async Task A_forced_ramp_paces_BatchWrite_calls_at_500_writes_per_second()
    {
        var time = new VirtualTime();
        var (store, sent) = await NewStoreAsync(time, ramp: true);
        await using var _ = store;
        var writes = Enumerable.Range(0, 1_200)
            .Select(i => DocumentWrite.Create(DocumentPath.Create("ramped", $"d{i:D4}"), TestData.F(("n", Values.Value.Integer(i))))).ToArray();

        var applied = 0;
        foreach (var batch in writes.Chunk(store.MaxBatchSize))
        {
            applied += (await store.WriteBatchAsync(batch)).Count(o => o.Applied);
        }

        // 500 at once, the next 500 a second later, the last 200 after 400 writes' worth... of 200 at 500/s: 0.4 s.
        Assert.Equal(1_200, applied);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.4)], sent.Select(s => s.At));
        Assert.Equal([500, 500, 200], sent.Select(s => s.Writes));
        Assert.True(store.WriteRampActive);
        Assert.Equal(TimeSpan.FromSeconds(1.4), store.WriteRampWait);
        Assert.Equal(1_200, (await store.GetAllAsync(writes.Select(w => w.Path).ToArray())).Count(s => s.Exists));
    }

    [Fact]
    public async Task The_run_report_says_the_ramp_was_on_and_how_long_the_run_waited()
    {
        var time = new VirtualTime();
        var (store, sent) = await NewStoreAsync(time, ramp: true);
        await using var _ = store;
        var runner = Runners.For(store, new SeedRunnerOptions { LockTtl = TimeSpan.FromMinutes(10) });

        var report = await runner.RunAsync(new ServiceSeeds("ramped", [], [RunnerEconomyTests.CreateItems(1_200)]), RunRequest.PreDeploy());

        Assert.Equal(1_200, report.Created);
        Assert.True(report.WriteRampActive);
        Assert.Equal(TimeSpan.FromSeconds(1.4), report.WriteRampWait);
        Assert.Equal([500, 500, 200], sent.Select(s => s.Writes));
    }

    [Fact]
    public async Task On_the_emulator_the_ramp_is_off_by_default_and_the_report_says_so()
    {
        var time = new VirtualTime();
        var (store, sent) = await NewStoreAsync(time, ramp: null);
        await using var _ = store;
        var runner = Runners.For(store, new SeedRunnerOptions { LockTtl = TimeSpan.FromMinutes(10) });

        var report = await runner.RunAsync(new ServiceSeeds("unramped", [], [RunnerEconomyTests.CreateItems(1_200)]), RunRequest.PreDeploy());

        Assert.Equal(1_200, report.Created);
        Assert.False(report.WriteRampActive);
        Assert.Equal(TimeSpan.Zero, report.WriteRampWait);
        Assert.All(sent, s => Assert.Equal(TimeSpan.Zero, s.At));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData(" On ", true)]
    [InlineData("false", false)]
    [InlineData("auto", false)]
    public async Task The_configuration_key_turns_the_ramp_on_or_off(string value, bool active)
    {
        var host = await FirestoreEmulator.HostAsync();
        var settings = new Dictionary<string, string?> { [SeedingStores.EmulatorHostKey] = host, [SeedingStores.WriteRampKey] = value };

        var choice = SeedingStores.Resolve(key => settings.GetValueOrDefault(key), _ => null, Path.GetTempPath());

        Assert.Equal(active, choice.Firestore!.WriteRampActive);
    }

    [Theory]
    [InlineData("sometimes")]
    [InlineData(" ")]
    public void A_bad_ramp_setting_is_refused_by_its_key(string value)
    {
        var settings = new Dictionary<string, string?> { [SeedingStores.EmulatorHostKey] = "127.0.0.1:8080", [SeedingStores.WriteRampKey] = value };

        var e = Assert.Throws<SeedingConfigurationException>(() => SeedingStores.Resolve(key => settings.GetValueOrDefault(key), _ => null, Path.GetTempPath()));

        Assert.Contains(SeedingStores.WriteRampKey, e.Message, StringComparison.Ordinal);
        Assert.Contains("true, false", e.Message, StringComparison.Ordinal);
    }

    private static async Task<(FirestoreDocumentStore Store, ConcurrentQueue<(TimeSpan At, int Writes)> Sent)> NewStoreAsync(VirtualTime time, bool? ramp)
    {
        var options = await FirestoreEmulator.OptionsAsync(FirestoreEmulator.NewProjectId("ramp"));
        options.WriteRamp = ramp;
        options.TimeProvider = time;
        var sent = new ConcurrentQueue<(TimeSpan At, int Writes)>();
        options.Interceptors.Add(new BatchWriteClock(time, sent));
        return (new FirestoreDocumentStore(options), sent);
    }

    /// <summary>Notes when (on the virtual clock) each BatchWrite is sent and how many writes it carries.</summary>
    private sealed class BatchWriteClock(VirtualTime time, ConcurrentQueue<(TimeSpan At, int Writes)> sent) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            if (request is Protocol.BatchWriteRequest batch)
            {
                sent.Enqueue((time.Elapsed, batch.Writes.Count));
            }

            return continuation(request, context);
        }
    }
}
