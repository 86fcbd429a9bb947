using System.Text.Json;
using System.Text.RegularExpressions;
using Seeding.TestSupport;

namespace Seeding.Packaging.Tests;

/// <summary>The README's first day ("Use it in your service"), in its order and with its commands.</summary>
public sealed partial class TeamAdoptsSeedingTests
{
    private async Task FirstDayAsync()
    {
        var pubSubProject = PubSubEmulator.NewProjectId("orders");
        var pubSub = new Dictionary<string, string?> { ["PUBSUB_EMULATOR_HOST"] = await PubSubEmulator.HostAsync(), ["PUBSUB_PROJECT_ID"] = pubSubProject };

        // README 2. Start: bootstrap only; the migrations are named once, pending, with the command that applies them.
        var first = await Step("start (default phases)", StartApp(ServiceDll, pubSub));
        Assert.True(File.Exists(Database), $"no database at {Database}\n{first}");
        Assert.Equal(1, Occurrences(first.Output, "pending and this host runs only"));
        Assert.Contains(
            "orders: 2 migrations are pending and this host runs only bootstrap: pre/0001_initial_data, pre/0002_order_events. " +
            "Apply them with `seeding migrate --phase pre`, or set Seeding:Phases or MIGRATION_PHASE to apply them on startup.",
            first.Output);
        var afterBootstrap = SqliteDump.Of(Database);
        Assert.Contains("collection=users | id=system |", afterBootstrap);
        Assert.DoesNotContain("collection=roles | id=admin |", afterBootstrap);

        // README 3. Apply them as the pipeline does: its topic and subscription on Google's emulator; the index has no
        //    target on SQLite and says so.
        var pre = await Step("seeding migrate --phase pre", SeedingInService(["migrate", "--phase", "pre"], pubSub));
        Assert.Contains("collection=roles | id=admin |", SqliteDump.Of(Database));
        using (var admin = await PubSubEmulator.AdminAsync(pubSubProject))
        {
            var topic = await admin.GetTopicAsync("order-events");
            Assert.True(topic is not null, $"`migrate --phase pre` did not create the topic\n{pre}");
            Assert.Equal("orders", topic.Labels["team"]);
            Assert.Equal(TimeSpan.FromDays(1), topic.MessageRetention);
            var subscription = await admin.GetSubscriptionAsync("order-mailer");
            Assert.Equal(("order-events", TimeSpan.FromSeconds(30)), (subscription?.Topic, subscription?.AckDeadline));
        }

        Assert.Contains("has no Firestore indexes to manage", pre.Output);
        await Step("seeding migrate --phase post", SeedingInService(["migrate", "--phase", "post"], pubSub));

        //    ...or a host that runs every phase: here nothing is left to do, nothing is written, and its log says so in
        //    the command's words.
        var applied = SqliteDump.Of(Database);
        var all = await Step("start (MIGRATION_PHASE=all)", StartApp(ServiceDll, new Dictionary<string, string?>(pubSub) { ["MIGRATION_PHASE"] = "all" }));
        Assert.Equal(applied, SqliteDump.Of(Database));
        Assert.Contains("orders pre/0001_initial_data: already applied, 0 created, 0 skipped, 0 updated", all.Output);
        Assert.DoesNotContain("AlreadyApplied", all.Output);
        Assert.DoesNotContain("pending and this host runs only", all.Output);

        // README 4. Look: `seeding status`, then `seeding show roles/admin`.
        var status = await Step("seeding status", SeedingInService(["--output", "json", "status"]));
        using (var json = JsonDocument.Parse(status.StandardOutput)) // the build the tool runs first reports on standard error
        {
            var service = Assert.Single(json.RootElement.GetProperty("services").EnumerateArray());
            Assert.Equal("orders", service.GetProperty("service").GetString());
            var migrations = service.GetProperty("migrations").EnumerateArray().ToArray();
            Assert.Equal(["0001_initial_data", "0002_order_events"], migrations.Select(m => m.GetProperty("id").GetString()));
            Assert.All(migrations, m => Assert.True(m.GetProperty("state").GetString() == "applied", status.ToString()));
            Assert.Equal("system_user", Assert.Single(service.GetProperty("bootstrap").EnumerateArray()).GetProperty("id").GetString());
        }

        var shown = await Step("seeding show roles/admin", SeedingInService(["show", "roles/admin"]));
        Assert.Contains("# roles/admin on sqlite:", shown.Output);
        Assert.Matches(@"(?m)^name: Admin$", shown.Output);
        Assert.Matches(@"(?m)^level: 0$", shown.Output);
        Assert.Matches(@"(?m)^created_at: !timestamp \S+$", shown.Output);

        // README 5. An edit to an applied migration: refused by `verify` (exit 3), an error in the log of a host that
        //    runs only bootstrap (which still starts), then accepted with a reason and `verify` is clean.
        var migration = Path.Combine(App, "migrations", "pre", "0001_initial_data.yaml");
        File.WriteAllText(migration, File.ReadAllText(migration).Replace("name: Admin,", "name: Administrator,", StringComparison.Ordinal));
        var refused = await Step("seeding verify (drifted)", SeedingInService(["verify"]), expectSuccess: false);
        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("0001_initial_data", refused.Output);
        var drifted = await Step("start (drifted, default phases)", StartApp(ServiceDll, pubSub));
        Assert.Equal(1, Occurrences(drifted.Output, "applied migration(s) changed after they were applied"));
        Assert.Contains("orders: 1 applied migration(s) changed after they were applied: migrations/pre/0001_initial_data.yaml.", drifted.Output);

        //    A host that runs the pre-deploy phase refuses to start: the failure logged once, no stack trace, exit code 1
        //    from the template's plain app.Run() (no unhandled-exception abort).
        var stopped = await Step("start (drifted, MIGRATION_PHASE=pre)", StartApp(ServiceDll, new Dictionary<string, string?>(pubSub) { ["MIGRATION_PHASE"] = "pre" }), expectSuccess: false);
        Assert.True(stopped.ExitCode == 1, stopped.ToString());
        Assert.Equal(1, Occurrences(stopped.Output, "applied migration(s) changed after they were applied"));
        Assert.Contains("Startup seeding of orders failed, so the host stops (exit code 1): Service 'orders': 1 applied migration(s) changed", stopped.Output);
        Assert.DoesNotMatch(@"(?m)^\s+at \S+", stopped.Output);
        Assert.DoesNotContain("Unhandled exception", stopped.Output);


        //    Accepted only with a reason; then `verify` is clean, and the history keeps the audit entry.
        var withoutReason = await Step("seeding accept (no reason)", SeedingInService(["accept", "pre/0001_initial_data"]), expectSuccess: false);
        Assert.True(withoutReason.ExitCode == 2, withoutReason.ToString());
        Assert.Contains("--reason", withoutReason.Output);
        await Step("seeding accept", SeedingInService(["accept", "pre/0001_initial_data", "--reason", "Fix the admin role's display name"]));
        await Step("seeding verify (accepted)", SeedingInService(["verify"])); // exit 0: nothing drifted
        var history = await Step("seeding show history", SeedingInService(["show", "history"]));
        Assert.Contains("Fix the admin role's display name", history.Output);
    }

    private static int Occurrences(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;
}
