using Seeding.Cli.Output;
using Seeding.Definitions;

namespace Seeding.Cli.Tests;

/// <summary>User data in text output is shown escaped (never raw control or bidi characters) and, in tables, shortened.</summary>
public sealed class TextEscapingTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("users/admin", "users/admin")]
    [InlineData("users/a\nb", "\"users/a\\nb\"")]
    [InlineData("users/a\r\n\tb", "\"users/a\\r\\n\\tb\"")]
    [InlineData("users/\u202Egnp.exe", "\"users/\\u202Egnp.exe\"")]
    [InlineData("users/bell\u0007", "\"users/bell\\u0007\"")]
    [InlineData("users/zero\u200Bwidth", "\"users/zero\\u200Bwidth\"")]
    [InlineData("users/line\u2028sep", "\"users/line\\u2028sep\"")]
    [InlineData("users/x\u2026", "\"users/x\\u2026\"")]
    [InlineData("users/back\\slash \"q\"", "users/back\\slash \"q\"")]
    [InlineData("\"quoted\"", "\"\\\"quoted\\\"\"")]
    [InlineData("users/a\\nb\n", "\"users/a\\\\nb\\n\"")]
    [InlineData("users/caf\u00e9 \U0001F680", "users/caf\u00e9 \U0001F680")]
    public void Escape_shows_odd_characters_as_escapes_and_plain_values_as_they_are(string value, string shown) =>
        Assert.Equal(shown, Printable.Escape(value));

    [Fact]
    public void A_lone_surrogate_is_escaped() => Assert.Equal("\"users/lone\\uD800\"", Printable.Escape("users/lone\uD800"));

    [Fact]
    public void Escaped_values_hold_no_control_or_bidi_characters_and_stay_distinct()
    {
        string[] values = ["a\nb", "a\\nb", "\"a\\nb\"", "a\u202Eb", "a\u202Db", "a b", "a\u00A0b"];
        var shown = values.Select(Printable.Escape).ToArray();
        Assert.Equal(values.Length, shown.Distinct(StringComparer.Ordinal).Count());
        Assert.All(shown, s => Assert.DoesNotContain(s, c => char.IsControl(c) || c is '\u202E' or '\u202D'));
    }

    [Fact]
    public void Shorten_keeps_the_start_and_end_and_never_cuts_an_escape()
    {
        var id = "0001_" + new string('x', 100) + "_end";
        var shortened = Printable.Shorten(id, 30);
        Assert.Equal(30, shortened.Length);
        Assert.StartsWith("0001_xxx", shortened);
        Assert.EndsWith("x_end", shortened);
        Assert.Single(shortened, '\u2026');

        var odd = Printable.Shorten(new string('\n', 50), 20);
        Assert.Matches("^\"(\\\\n)+\u2026(\\\\n)+\"$", odd);
        Assert.True(odd.Length <= 20, odd);
        Assert.Equal("short", Printable.Shorten("short", 30));
    }

    [Fact]
    public async Task Plan_and_table_show_odd_ids_escaped_and_long_ids_shortened_in_the_table_only()
    {
        var longId = "0002_" + string.Concat(Enumerable.Repeat("very_long_migration_name_", 8)) + "end";
        var service = new ServiceSeeds("odd", [],
        [
            TestServices.Create("0001_roles", SeedPhase.Pre, "roles", "sha256:r", "a\nb", "\u202Egnp.exe", "bell\u0007", "ok"),
            TestServices.Create(longId, SeedPhase.Pre, "items", "sha256:l", "x"),
            TestServices.Create("0003_same_" + new string('y', 40) + "_one_" + new string('y', 40), SeedPhase.Pre, "items", "sha256:1", "y1"),
            TestServices.Create("0003_same_" + new string('y', 40) + "_two_" + new string('y', 40), SeedPhase.Pre, "items", "sha256:2", "y2"),
        ]);

        var plan = await _workspace.RunAsync([service], "plan");

        Assert.True(plan.ExitCode == ExitCodes.Ok, plan.ToString());
        Assert.DoesNotContain(plan.Output, c => (char.IsControl(c) && c != '\n') || c == '\u202E');
        Assert.Matches(@"create\s+""roles/a\\nb""\s+migrations/pre/0001_roles.yaml:4", plan.Output);
        Assert.Matches(@"create\s+""roles/\\u202Egnp.exe""\s+migrations/pre/0001_roles.yaml:5", plan.Output);
        Assert.Matches(@"create\s+""roles/bell\\u0007""\s+migrations/pre/0001_roles.yaml:6", plan.Output);
        Assert.Matches(@"create\s+roles/ok\s+migrations/pre/0001_roles.yaml:7", plan.Output);
        Assert.Contains($"  pre/{longId} (migrations/pre/{longId}.yaml)", plan.Output); // full in the plan

        var tableRow = plan.Output.Split('\n').Single(l => l.StartsWith("odd", StringComparison.Ordinal) && l.Contains("0002_", StringComparison.Ordinal));
        Assert.DoesNotContain(longId, tableRow);
        var cell = Assert.Single(tableRow.Split("  ", StringSplitOptions.RemoveEmptyEntries), c => c.StartsWith("pre/0002_", StringComparison.Ordinal)).Trim();
        Assert.Equal(60, cell.Length);
        Assert.Matches("^pre/0002_very_long_migration_name_very_\\S*\u2026\\S*_name_end$", cell);
        // Two long ids that would shorten alike are shown whole, so the table never shows one name for two files.
        var table = plan.Output.Split("\n\n").Single(b => b.StartsWith("Service  Seed file", StringComparison.Ordinal));
        Assert.Contains("pre/0003_same_" + new string('y', 40) + "_one_" + new string('y', 40) + " ", table);
        Assert.Contains("pre/0003_same_" + new string('y', 40) + "_two_" + new string('y', 40) + " ", table);
    }

    [Fact]
    public async Task Service_names_and_seed_ids_are_escaped_in_the_header_table_and_progress()
    {
        var service = new ServiceSeeds("evil\u202Eeciv", [], [TestServices.Create("0001_a\nb", SeedPhase.Pre, "c", "sha256:x", "d")]);

        var result = await _workspace.RunAsync([service], "migrate", "--store", "memory", "--verbose");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("Seeding 1 service (\"evil\\u202Eeciv\")", result.Output);
        Assert.Matches(@"""evil\\u202Eeciv""\s+""pre/0001_a\\nb""\s+applied", result.Output);
        Assert.Contains("[1/1] \"evil\\u202Eeciv\" \"pre/0001_a\\nb\": applied", result.Error);
        Assert.DoesNotContain(result.Output + result.Error, c => (char.IsControl(c) && c != '\n') || c == '\u202E');
    }

    [Fact]
    public async Task Status_shows_odd_ids_escaped()
    {
        var service = new ServiceSeeds("svc", [],
        [
            TestServices.Create("0001_a\u202Eb", SeedPhase.Pre, "c", "sha256:x", "d"),
            TestServices.Create("boot\nstrap", SeedPhase.Bootstrap, "c", "sha256:b", "e"),
        ]);

        var result = await _workspace.RunAsync([service], "status");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Matches(@"svc\s+""pre/0001_a\\u202Eb""\s+pending", result.Output);
        Assert.Contains("Bootstrap seeds (ensured on every run, never recorded): \"svc/boot\\nstrap\".", result.Output);
        Assert.DoesNotContain(result.Output, c => (char.IsControl(c) && c != '\n') || c == '\u202E');
    }
}
