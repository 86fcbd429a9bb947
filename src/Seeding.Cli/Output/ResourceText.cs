using Seeding.Running;

namespace Seeding.Cli.Output;

/// <summary>
/// The resource lines of text output (topics, subscriptions, indexes, field overrides): one line per resource step of a
/// seed file with its action, kind, name and YAML file:line, and the note when there is one. A "no target" note (why no
/// Pub/Sub or index target was there) is said once per file for the kinds that share it, not on every line.
/// </summary>
internal static class ResourceText
{
    public static string Action(ResourceAction action) => RunVocabulary.Action(action);

    public static string Kind(ResourceKind kind) => RunVocabulary.Kind(kind);

    /// <summary>The rows of one seed file's resources, indented as the plan's document rows.</summary>
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<PlannedResource> resources, string source)
    {
        var names = resources.Select(r => $"{Kind(r.Kind)} {Printable.Escape(r.Name)}").ToArray();
        var width = names.Length == 0 ? 0 : names.Max(n => n.Length);
        for (var i = 0; i < resources.Count; i++)
        {
            var resource = resources[i];
            var note = resource.Note is { } text && resource.Action != ResourceAction.NoTarget ? $"  {Printable.Escape(text)}" : string.Empty;
            await output.WriteLineAsync($"    {Action(resource.Action),-16}  {names[i].PadRight(width)}  {source}:{resource.Line}{note}").ConfigureAwait(false);
        }

        foreach (var reason in resources.Where(r => r.Action == ResourceAction.NoTarget).GroupBy(r => r.Note ?? "no reason given", StringComparer.Ordinal))
        {
            var kinds = string.Join(", ", reason.Select(r => Kind(r.Kind)).Distinct());
            await output.WriteLineAsync($"    no target ({kinds}): {Printable.Escape(reason.Key)}").ConfigureAwait(false);
        }
    }

    /// <summary>The resource count for the totals line, e.g. <c>4 resources (2 create, 2 no target)</c>; empty when there are none.</summary>
    public static string Totals(IEnumerable<PlannedResource> resources)
    {
        var all = resources.ToArray();
        if (all.Length == 0)
        {
            return string.Empty;
        }

        var counts = all.GroupBy(r => r.Action).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Action(g.Key)}");
        return $"{Format.Plural(all.Length, "resource", "resources")} ({string.Join(", ", counts)})";
    }
}
