namespace Seeding.Rehearsal.Tests;

/// <summary>
/// A host (tests/Seeding.Rehearsal.Service: <c>AddSeeding()</c> in a generic host) as a process on the production path,
/// configured only by variables, as a deployed service is.
/// </summary>
[Collection(RehearsalCollection.Name)]
public sealed class RehearsalHostTests(Rehearsal rehearsal)
{
    [Fact]
    public async Task Rehearsal_a_host_seeds_documents_a_topic_and_an_index_on_startup_and_refreshes_its_expired_token()
    {
        var project = Rehearsal.NewProjectId();
        var environment = rehearsal.Environment(project);
        environment["MIGRATION_PHASE"] = "all";
        rehearsal.Google.Tokens.TokenLifetime = TimeSpan.FromSeconds(2);
        try
        {
            // The health check after the pause reads the history: a call made after the startup's token expired.
            var run = await rehearsal.RunAsync(Rehearsal.ServicePath, environment, "--pause-ms=2500");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("rehearsal service started; seeding: Healthy", run.Output);
            Assert.True(await rehearsal.DocumentExistsAsync(project, "rehearsal_regions/eu"));
            Assert.True(await rehearsal.PubSubResourceExistsAsync(project, "topics/rehearsal-events"));
            Assert.True(await rehearsal.PubSubResourceExistsAsync(project, "subscriptions/rehearsal-writer"));
            Assert.Contains(rehearsal.IndexNames(), name => name.StartsWith($"projects/{project}/databases/(default)/collectionGroups/rehearsal_regions/indexes/", StringComparison.Ordinal));

            var calls = rehearsal.CallsFor(project);
            Assert.All(calls, call => Assert.True(call.Forwarded && call.Tls, $"{call.Method}: {call.Outcome}"));
            foreach (var method in new[] { "BatchWrite", "CreateTopic", "CreateSubscription", "CreateIndex" })
            {
                Assert.Contains(calls, call => call.Method == method);
            }

            RehearsalCliTests.AssertRefreshed(calls, rehearsal.Google.Tokens);
            Assert.Equal(0, rehearsal.Google.PlaintextConnections);
        }
        finally
        {
            rehearsal.Google.Tokens.TokenLifetime = TimeSpan.FromHours(1);
        }
    }

    [Fact]
    public async Task Rehearsal_a_host_whose_token_endpoint_fails_logs_a_clear_error_and_its_next_call_recovers()
    {
        var project = Rehearsal.NewProjectId();
        var environment = rehearsal.Environment(project);
        environment["MIGRATION_PHASE"] = "all";
        // Google's auth library asks 3 times (with its own backoff) before the first call fails; the next call asks again.
        rehearsal.Google.Tokens.FailNext(3);

        var run = await rehearsal.RunAsync(Rehearsal.ServicePath, environment);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Not authenticated (no access token could be obtained from the Google credentials: ", run.Output);
        Assert.Contains("The rehearsal's token endpoint fails this request on purpose.", run.Output);
        // The health check's read of the history, in the same process, got a token and went through.
        Assert.Contains("rehearsal service did not start; seeding: Unhealthy (Startup seeding failed: ", run.Output);
        var read = Assert.Single(rehearsal.CallsFor(project));
        Assert.Equal("BatchGetDocuments", read.Method);
        Assert.True(read.Forwarded && read.Tls, read.Outcome);
        Assert.False(await rehearsal.DocumentExistsAsync(project, "rehearsal_regions/eu"));
    }
}
