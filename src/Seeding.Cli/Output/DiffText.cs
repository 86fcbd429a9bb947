using Seeding.Cli.Commands;
using Seeding.Diffing;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Cli.Output;

/// <summary>
/// <c>diff</c> as text, in the manner of Terraform's plan: a line per document (or step, or resource) that differs, its
/// fields (or a resource's settings) indented under it (<c>~ name: "old" -> "new"</c>, <c>~ message_retention: 1d -> 7d</c>,
/// live first), unchanged ones hidden and counted, then a summary. User data goes through <see cref="Printable"/>;
/// values are shown as in the seed format.
/// </summary>
internal static class DiffText
{
    public static async Task WriteAsync(TextWriter output, DiffView view)
    {
        var result = view.Result;
        await output.WriteLineAsync(
            $"Comparing {Format.Plural(result.Services.Count, "service", "services")} ({string.Join(", ", result.Services.Select(s => Printable.Escape(s.Service)))}) " +
            $"with {view.Store}{(view.PubSub is null ? string.Empty : $" (Pub/Sub {view.PubSub})")}, phases {string.Join(", ", view.Phases.Select(RunSettings.Name))}" +
            (view.Environment is null ? string.Empty : $", environment {view.Environment}") +
            $"; reads from {result.Consistency}{(result.ReadTime is { } at ? $" at {at}" : string.Empty)}. Nothing is written.").ConfigureAwait(false);
        foreach (var service in result.Services)
        {
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync(Printable.Escape(service.Service)).ConfigureAwait(false);
            foreach (var line in ServiceLines(service))
            {
                await output.WriteLineAsync("  " + line).ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(Summary(view)).ConfigureAwait(false);
    }

    private static IEnumerable<string> ServiceLines(ServiceDiff service)
    {
        foreach (var document in service.Documents)
        {
            var at = $"  ({Printable.Escape(document.Source)}:{document.Line})";
            if (document.Missing)
            {
                yield return document.Pending
                    ? $"+ {Path(document.Path)}: pending, a migration not applied yet creates it{at}"
                    : $"- {Path(document.Path)}: missing document{at}";
                continue;
            }

            yield return $"{(document.Drifted ? "~" : document.Pending ? "+" : "#")} {Path(document.Path)}{(document.Pending ? " (pending)" : string.Empty)}{at}";
            foreach (var field in document.Fields)
            {
                yield return "    " + Field(field) + (field.Pending ? " (pending)" : string.Empty);
            }
        }

        foreach (var match in service.Matches.Where(m => m.Drifted))
        {
            var found = match.Found == MatchFound.None ? "matches no document" : "matches several documents";
            yield return $"{(match.Found == MatchFound.None ? "-" : "~")} {Printable.Escape(match.Collection)} where {Printable.Escape(match.Match)}: {found}  ({Printable.Escape(match.Source)}:{match.Line})";
        }

        foreach (var backfill in service.Backfills.Where(b => b.Drifted))
        {
            yield return $"~ backfill {Printable.Escape(backfill.Collection)}: {Format.Plural(backfill.Remaining, "document", "documents")} still {(backfill.Remaining == 1 ? "matches" : "match")} where:  ({Printable.Escape(backfill.Source)}:{backfill.Line})";
        }

        foreach (var resource in service.Resources.Where(r => r.State is not (ResourceDrift.Same or ResourceDrift.NoTarget)))
        {
            var kind = JsonOutput.ResourceKind(resource.Kind).Replace('_', ' ');
            var at = $"  ({Printable.Escape(resource.Source)}:{resource.Line})";
            if (resource.State == ResourceDrift.Differs)
            {
                // Like a document: the resource, then one line per setting, live first.
                yield return $"~ {kind} {Printable.Escape(resource.Name)}{(resource.Note is null ? string.Empty : $": {Printable.Escape(resource.Note)}")}{at}";
                foreach (var setting in resource.Settings)
                {
                    yield return $"    ~ {Printable.Escape(setting.Setting)}: {SettingValue(setting.Live)} -> {SettingValue(setting.Declared)}";
                }

                continue;
            }

            var what = resource.State == ResourceDrift.Missing ? "missing" : "still building";
            var sign = resource.State == ResourceDrift.Missing ? "-" : "#";
            var note = resource.Note is null || resource.Note == what ? string.Empty : $" ({Printable.Escape(resource.Note)})";
            yield return $"{sign} {kind} {Printable.Escape(resource.Name)}: {what}{note}{at}";
        }

        // Never silent: what was not compared for want of a target, once per reason.
        foreach (var group in service.Resources.Where(r => r.State == ResourceDrift.NoTarget).GroupBy(r => r.Note))
        {
            var kinds = string.Join(", ", group.Select(r => JsonOutput.ResourceKind(r.Kind).Replace('_', ' ')).Distinct());
            yield return $"not compared ({kinds}): {string.Join(", ", group.Select(r => Printable.Escape(r.Name)))}: no target: {Printable.Escape(group.Key ?? string.Empty)}";
        }

        foreach (var left in service.NotCompared)
        {
            yield return $"not compared: {Printable.Escape(left.What)} ({Printable.Escape(left.Source)}{(left.Line > 0 ? $":{left.Line}" : string.Empty)}): {Printable.Escape(left.Reason)}";
        }

        var hidden = new List<string>(3) { Format.Plural(service.UnchangedDocuments, "document", "documents") + " unchanged" };
        var matched = service.Matches.Count(m => !m.Drifted);
        if (matched > 0)
        {
            hidden.Add($"{Format.Plural(matched, "match", "matches")} found");
        }

        var done = service.Backfills.Count(b => !b.Drifted);
        if (done > 0)
        {
            hidden.Add($"{Format.Plural(done, "backfill", "backfills")} complete");
        }

        var same = service.Resources.Count(r => r.State == ResourceDrift.Same);
        if (same > 0)
        {
            hidden.Add($"{Format.Plural(same, "resource", "resources")} unchanged");
        }

        yield return $"({string.Join(", ", hidden)})";
    }

    private static string Field(FieldDiff field)
    {
        var path = Printable.Escape(field.Path);
        return field.Kind switch
        {
            FieldDrift.Changed => $"~ {path}: {Shown(field.Live, field.Redacted)} -> {Shown(field.Declared, field.Redacted)}",
            FieldDrift.Absent => $"+ {path}: {Shown(field.Declared, field.Redacted)} (absent live)",
            FieldDrift.Undeclared => $"- {path}: {Shown(field.Live, false)} (in a declared map, not declared)",
            _ => $"# {path}: {Shown(field.Live, false)} (unmanaged)",
        };
    }

    private static string Shown(Value? value, bool redacted)
    {
        if (redacted)
        {
            return "(redacted)";
        }

        if (value is null)
        {
            return "(none)";
        }

        if (value.Kind != ValueKind.String)
        {
            return Printable.Escape(SeedYamlWriter.Inline(value));
        }

        // Strings are quoted, with the printable rules' escapes (a string they would quote already is).
        var escaped = Printable.Escape(value.AsString());
        return escaped.StartsWith('"') && Printable.Escape(escaped[1..^1]) != escaped ? escaped : $"\"{escaped.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }

    // Setting values come spelled as the seed format writes them (quoted and escaped where YAML needs it), so they are
    // shown as they are, unless the printable rules find a character a terminal would show wrongly.
    private static string SettingValue(string? value)
    {
        if (value is null)
        {
            return Seeding.Resources.SettingDifference.None;
        }

        var unquoted = value.TrimStart('"');
        return Printable.Escape(unquoted) == unquoted ? value : Printable.Escape(value);
    }

    private static string Path(DocumentPath path) => Printable.Escape(path.ToString());

    private static string Summary(DiffView view)
    {
        var result = view.Result;
        var services = result.Services;
        var compared = services.Sum(s => s.DocumentsCompared);
        var documents = services.Sum(s => s.DriftedDocuments);
        var others = new List<string>(3);
        var matches = services.Sum(s => s.Matches.Count(m => m.Drifted));
        var backfills = services.Sum(s => s.Backfills.Count(b => b.Drifted));
        var resources = services.Sum(s => s.Resources.Count(r => r.Drifted));
        if (matches > 0)
        {
            others.Add(Format.Plural(matches, "match step", "match steps"));
        }

        if (backfills > 0)
        {
            others.Add(Format.Plural(backfills, "backfill", "backfills"));
        }

        if (resources > 0)
        {
            others.Add(Format.Plural(resources, "resource", "resources"));
        }

        var noTarget = services.Sum(s => s.Resources.Count(r => r.State == ResourceDrift.NoTarget));
        var pending = services.Sum(s => s.PendingDocuments);
        var tail = $"{(pending > 0 ? $"; {Format.Plural(pending, "document", "documents")} pending (migrations not applied yet write them; not drift)" : string.Empty)}" +
                   $"{(noTarget > 0 ? $"; {noTarget} {(noTarget == 1 ? "resource" : "resources")} not compared (no target)" : string.Empty)} in {Format.Duration(view.Duration)}.";
        if (!result.HasDrift)
        {
            var held = pending > 0 ? $"{compared - pending} of {Format.Plural(compared, "document", "documents")}" : Format.Plural(compared, "document", "documents");
            return $"No drift: {held}, {Format.Plural(services.Sum(s => s.Backfills.Count), "backfill", "backfills")} and " +
                   $"{Format.Plural(services.Sum(s => s.Resources.Count(r => r.State != ResourceDrift.NoTarget)), "resource", "resources")} hold what the seeds declare{tail}";
        }

        var parts = string.Join(", ", new[] { $"{documents} of {Format.Plural(compared, "document", "documents")}" }.Concat(others));
        return $"Drift: {parts} differ from the seeds{tail}";
    }
}
