using Grpc.Core;
using Microsoft.Extensions.Logging;
using Seeding.Resources;
using Seeding.TestSupport;

namespace Seeding.PubSub.Tests;

/// <summary>The client's settings, name, retries and failures.</summary>
public sealed class ClientTests
{
    [Fact]
    public void Name_says_emulator_or_production_and_the_project()
    {
        using var emulator = new PubSubAdmin(new PubSubOptions { ProjectId = "demo", EmulatorHost = "127.0.0.1:8085" });
        using var production = new PubSubAdmin(new PubSubOptions { ProjectId = "my-project" });

        // The one name of the target, as the command line's header and the host's log show it (PubSubOptions.DisplayName).
        Assert.Equal("pubsub-emulator:127.0.0.1:8085/projects/demo", emulator.Name);
        Assert.Equal("pubsub:projects/my-project", production.Name);
        Assert.Equal(new PubSubOptions { ProjectId = "demo", EmulatorHost = "127.0.0.1:8085" }.DisplayName, emulator.Name);
    }

    [Fact]
    public async Task Project_id_and_emulator_host_are_trimmed_once_and_used_trimmed()
    {
        var project = PubSubEmulator.NewProjectId("trim");
        var host = await PubSubEmulator.HostAsync();
        using var padded = new PubSubAdmin(new PubSubOptions { ProjectId = $" {project} ", EmulatorHost = $" {host} " });
        Assert.True(await padded.CreateTopicAsync(new TopicSpec("audit-events")));

        // The topic is in the project as written without the spaces: another client, given the bare id, finds it.
        using var bare = await PubSubEmulator.AdminAsync(project);
        Assert.NotNull(await bare.GetTopicAsync("audit-events"));
        Assert.NotNull(await padded.GetTopicAsync("audit-events"));
        Assert.Equal($"pubsub-emulator:{host}/projects/{project}", padded.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("a/b")]
    public void Bad_project_id_is_refused_naming_the_variable(string projectId)
    {
        var e = Assert.Throws<CloudSettingException>(() => new PubSubAdmin(new PubSubOptions { ProjectId = projectId, EmulatorHost = "127.0.0.1:8085" }));

        Assert.Contains("PUBSUB_PROJECT_ID", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("http://127.0.0.1:8085")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:port")]
    public void Bad_emulator_host_is_refused_naming_the_variable_and_the_form(string host)
    {
        var e = Assert.Throws<CloudSettingException>(() => new PubSubAdmin(new PubSubOptions { ProjectId = "demo", EmulatorHost = host }));

        Assert.Contains("PUBSUB_EMULATOR_HOST", e.Message, StringComparison.Ordinal);
        Assert.Contains("host:port", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8443")]
    [InlineData("http://pubsub.googleapis.com")]
    public void A_production_endpoint_that_is_not_https_is_refused_naming_the_option(string endpoint)
    {
        var e = Assert.Throws<CloudSettingException>(() => new PubSubAdmin(new PubSubOptions { ProjectId = "my-project", Endpoint = endpoint }));

        Assert.Contains(nameof(PubSubOptions.Endpoint), e.Message, StringComparison.Ordinal);
        Assert.Contains("not an https:// address or host:port", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_logged_as_warnings()
    {
        var logger = new ListLogger<PubSubAdmin>();
        var calls = new CallCounter();
        var options = await PubSubEmulator.OptionsAsync(PubSubEmulator.NewProjectId("retry"), calls, new FailingInterceptor(StatusCode.Unavailable, 2));
        using var admin = new PubSubAdmin(options, logger);

        Assert.True(await admin.CreateTopicAsync(new TopicSpec("audit-events")));

        Assert.Equal(3, calls["CreateTopic"]);
        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("Pub/Sub CreateTopic topic 'audit-events' attempt 1 of 5 failed with Unavailable", warnings[0], StringComparison.Ordinal);
        Assert.NotNull(await admin.GetTopicAsync("audit-events"));
    }

    [Fact]
    public async Task Create_that_exists_after_a_lost_attempt_reports_false_and_says_why()
    {
        var logger = new ListLogger<PubSubAdmin>();
        var project = PubSubEmulator.NewProjectId("lost");
        using (var first = await PubSubEmulator.AdminAsync(project))
        {
            await first.CreateTopicAsync(new TopicSpec("audit-events"));
        }

        // The first attempt "times out" (as if its answer was lost); the retry finds the topic.
        var options = await PubSubEmulator.OptionsAsync(project, new FailingInterceptor(StatusCode.DeadlineExceeded, 1));
        using var admin = new PubSubAdmin(options, logger);

        Assert.False(await admin.CreateTopicAsync(new TopicSpec("audit-events")));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("may have been that attempt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failures_that_outlast_the_attempts_say_what_to_check()
    {
        var calls = new CallCounter();
        var options = await PubSubEmulator.OptionsAsync(PubSubEmulator.NewProjectId("giveup"), calls, new FailingInterceptor(StatusCode.Unavailable, 100));
        options.MaxAttempts = 3;
        using var admin = new PubSubAdmin(options);

        var e = await Assert.ThrowsAsync<PubSubException>(() => admin.GetTopicAsync("audit-events"));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal(3, calls["GetTopic"]);
        Assert.Contains("after 3 attempt(s)", e.Message, StringComparison.Ordinal);
        Assert.Contains("PUBSUB_EMULATOR_HOST", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_attempt_has_the_call_timeout_as_its_deadline()
    {
        var calls = new CallCounter();
        var options = await PubSubEmulator.OptionsAsync(PubSubEmulator.NewProjectId("deadline"), calls);
        options.CallTimeout = TimeSpan.FromTicks(1);
        options.MaxAttempts = 2;
        using var admin = new PubSubAdmin(options);

        var e = await Assert.ThrowsAsync<PubSubException>(() => admin.GetTopicAsync("audit-events"));

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Equal(2, calls["GetTopic"]);
        Assert.Contains("after 2 attempt(s)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Permission_denied_names_the_role_and_the_project()
    {
        var options = await PubSubEmulator.OptionsAsync(PubSubEmulator.NewProjectId("denied"), new FailingInterceptor(StatusCode.PermissionDenied, 100));
        using var admin = new PubSubAdmin(options);

        var e = await Assert.ThrowsAsync<PubSubException>(() => admin.CreateTopicAsync(new TopicSpec("audit-events")));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Contains("roles/pubsub.editor", e.Message, StringComparison.Ordinal);
        Assert.Contains("PUBSUB_PROJECT_ID", e.Message, StringComparison.Ordinal);
        Assert.Contains(options.ProjectId, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_at_the_emulator_host_fails_saying_to_check_it()
    {
        var port = Seeding.TestSupport.EmulatorProcess.FreePort();
        using var admin = new PubSubAdmin(new PubSubOptions { ProjectId = "demo", EmulatorHost = $"127.0.0.1:{port}", MaxAttempts = 2 });

        var e = await Assert.ThrowsAsync<PubSubException>(() => admin.GetTopicAsync("audit-events"));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains($"pubsub-emulator:127.0.0.1:{port}/projects/", e.Message, StringComparison.Ordinal);
        Assert.Contains("PUBSUB_EMULATOR_HOST", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Canceled_call_throws_OperationCanceledException()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("cancel"));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => admin.GetTopicAsync("audit-events", cancel.Token));
    }
}
