using System.Text.Json;

namespace Seeding.Rehearsal.Tests;

/// <summary>
/// The seeding tool as a process, on the production path: TLS to an endpoint its certificate authority is trusted for,
/// Application Default Credentials from a service-account key file, a token from the key file's token endpoint on every
/// call, the routing header, for Firestore, the Firestore Admin API and Pub/Sub.
/// </summary>
[Collection(RehearsalCollection.Name)]
public sealed class RehearsalCliTests(Rehearsal rehearsal)
{
    [Fact]
    public async Task Rehearsal_the_tool_migrates_documents_a_topic_and_an_index_over_TLS_with_call_credentials_and_refreshes_an_expired_token()
    {
        var project = Rehearsal.NewProjectId();
        rehearsal.Google.Tokens.TokenLifetime = TimeSpan.FromSeconds(2);
        // The first CreateTopic is held longer than a token lives: every call after it needs a token issued later.
        rehearsal.Google.FrontEnd.HoldNext("CreateTopic", TimeSpan.FromSeconds(2.5));
        try
        {
            var run = await rehearsal.RunAsync(Rehearsal.ToolPath, rehearsal.Environment(project),
                "--assembly", Rehearsal.ServicePath, "migrate", "--all", "--wait-for-indexes", "--output", "json");

            Assert.True(run.ExitCode == 0, run.ToString());
            var report = JsonDocument.Parse(run.Output).RootElement;
            Assert.Equal($"firestore:projects/{project}/databases/(default)", report.GetProperty("store").GetString());
            Assert.True(await rehearsal.DocumentExistsAsync(project, "rehearsal_regions/eu"));
            Assert.True(await rehearsal.DocumentExistsAsync(project, "rehearsal_regions/us"));
            Assert.True(await rehearsal.PubSubResourceExistsAsync(project, "topics/rehearsal-events"));
            Assert.True(await rehearsal.PubSubResourceExistsAsync(project, "subscriptions/rehearsal-writer"));
            Assert.Contains(rehearsal.IndexNames(), name => name.StartsWith($"projects/{project}/databases/(default)/collectionGroups/rehearsal_regions/indexes/", StringComparison.Ordinal));

            var calls = rehearsal.CallsFor(project);
            Assert.All(calls, call => Assert.True(call.Forwarded && call.Tls, $"{call.Method}: {call.Outcome}"));
            foreach (var method in new[] { "BatchGetDocuments", "BatchWrite", "Commit", "CreateTopic", "CreateSubscription", "CreateIndex", "GetOperation" })
            {
                Assert.Contains(calls, call => call.Method == method);
            }

            AssertRefreshed(calls, rehearsal.Google.Tokens);
            Assert.Empty(rehearsal.Google.Tokens.Refusals);
            Assert.Equal(0, rehearsal.Google.PlaintextConnections);
        }
        finally
        {
            rehearsal.Google.Tokens.TokenLifetime = TimeSpan.FromHours(1);
        }
    }

    [Fact]
    public async Task Rehearsal_a_failing_token_endpoint_is_a_clear_error_and_the_next_run_recovers()
    {
        var project = Rehearsal.NewProjectId();
        // Google's auth library asks 3 times (with its own backoff) before the call fails.
        rehearsal.Google.Tokens.FailNext(3);
        var failed = await rehearsal.RunAsync(Rehearsal.ToolPath, rehearsal.Environment(project), "--assembly", Rehearsal.ServicePath, "migrate", "--all");

        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains("Not authenticated (no access token could be obtained from the Google credentials: ", failed.Error);
        Assert.Contains("The rehearsal's token endpoint fails this request on purpose.", failed.Error);
        Assert.DoesNotContain(rehearsal.CallsFor(project), call => call.Forwarded);

        var next = await rehearsal.RunAsync(Rehearsal.ToolPath, rehearsal.Environment(project), "--assembly", Rehearsal.ServicePath, "migrate", "--all");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.True(await rehearsal.DocumentExistsAsync(project, "rehearsal_regions/eu"));
        Assert.Equal(0, rehearsal.Google.PlaintextConnections);
    }

    [Fact]
    public async Task Rehearsal_plaintext_is_never_used_for_a_non_emulator_endpoint()
    {
        var project = Rehearsal.NewProjectId();
        foreach (var key in new[] { "Seeding__Firestore__Endpoint", "Seeding__PubSub__Endpoint" })
        {
            var environment = rehearsal.Environment(project);
            environment[key] = rehearsal.Google.PlaintextEndpoint;
            var refused = await rehearsal.RunAsync(Rehearsal.ToolPath, environment, "--assembly", Rehearsal.ServicePath, "migrate", "--all");

            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Contains($"{key.Replace("__", ":", StringComparison.Ordinal)} is '{rehearsal.Google.PlaintextEndpoint}': plaintext http:// is only for an emulator", refused.Error);
        }

        Assert.Empty(rehearsal.CallsFor(project));
        Assert.Equal(0, rehearsal.Google.PlaintextConnections);
    }

    [Fact]
    public async Task Rehearsal_a_process_that_does_not_trust_the_test_authority_refuses_the_endpoint()
    {
        var project = Rehearsal.NewProjectId();
        var environment = rehearsal.Environment(project);
        environment.Remove("SSL_CERT_FILE");

        var refused = await rehearsal.RunAsync(Rehearsal.ToolPath, environment, "--assembly", Rehearsal.ServicePath, "migrate", "--all");

        Assert.True(refused.ExitCode != 0, refused.ToString());
        // The first TLS connection is the token request's, to the key file's token_uri.
        Assert.Contains("The remote certificate is invalid because of errors in the certificate chain", refused.Error);
        Assert.Empty(rehearsal.CallsFor(project));
        Assert.False(await rehearsal.DocumentExistsAsync(project, "rehearsal_regions/eu"));
    }

    // Every call after the first token expired carried a later token, and the front end refused none for expiry.
    internal static void AssertRefreshed(IReadOnlyList<ProxiedCall> calls, TokenEndpoint tokens)
    {
        var first = calls[0];
        var firstToken = Assert.IsType<IssuedToken>(tokens.Find(first.Token!));
        var afterExpiry = calls.Where(c => c.At > firstToken.ExpiresAt).ToList();
        Assert.NotEmpty(afterExpiry);
        Assert.All(afterExpiry, call => Assert.NotEqual(first.Token, call.Token));
        Assert.DoesNotContain(calls, call => call.Outcome.Contains("expired", StringComparison.Ordinal));
    }
}
