using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Seeding.Generators.Tests;

/// <summary>
/// Compares generated code with a reviewed snapshot in Snapshots/NAME.verified.cs. On a mismatch it writes
/// NAME.received.cs and fails with a unified diff; with SEEDING_ACCEPT_SNAPSHOTS=1 it accepts the new output.
/// </summary>
internal static class SnapshotAssert
{
    private const int Context = 3;

    public static void Matches(string name, string actual)
    {
        var folder = Path.Combine(TestPaths.ProjectDirectory, "Snapshots");
        var verified = Path.Combine(folder, name + ".verified.cs");
        var received = Path.Combine(folder, name + ".received.cs");
        if (Environment.GetEnvironmentVariable("SEEDING_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(verified, actual, new UTF8Encoding(false));
            File.Delete(received);
            return;
        }

        var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual, new UTF8Encoding(false));
        Assert.Fail(expected is null
            ? $"No snapshot {verified}. Review {received}, then run with SEEDING_ACCEPT_SNAPSHOTS=1 to accept it."
            : $"Generated code differs from {verified} (new output in {received}; accept with SEEDING_ACCEPT_SNAPSHOTS=1):\n{UnifiedDiff(expected, actual)}");
    }

    /// <summary>Changed lines with a little context, "-" for the snapshot and "+" for the new output.</summary>
    public static string UnifiedDiff(string expected, string actual)
    {
        var lines = InlineDiffBuilder.Diff(expected, actual, ignoreWhiteSpace: false).Lines;
        var changed = lines.Select((line, i) => (line, i)).Where(p => p.line.Type != ChangeType.Unchanged).Select(p => p.i).ToHashSet();
        var builder = new StringBuilder();
        var lastPrinted = -2;
        for (var i = 0; i < lines.Count; i++)
        {
            if (!changed.Any(c => Math.Abs(c - i) <= Context))
            {
                continue;
            }

            if (i != lastPrinted + 1)
            {
                builder.Append("@@ line ").Append(lines[i].Position ?? i + 1).Append(" @@\n");
            }

            var prefix = lines[i].Type switch { ChangeType.Inserted => "+", ChangeType.Deleted => "-", _ => " " };
            builder.Append(prefix).Append(lines[i].Text).Append('\n');
            lastPrinted = i;
        }

        return builder.ToString();
    }
}
