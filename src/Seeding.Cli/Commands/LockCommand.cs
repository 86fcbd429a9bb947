using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Seeding.Cli.Output;
using Seeding.Definitions;

namespace Seeding.Cli.Commands;

/// <summary>
/// <c>lock</c>: writes <c>seeding.lock.json</c> (every migration's checksum) into the service's folder. Entries are only
/// ever added: a locked migration keeps its checksum, and the generator turns an edit of it into a compile error.
/// </summary>
internal sealed class LockCommand(CommandContext context)
{
    public const string FileName = "seeding.lock.json";

    public async Task<int> RunAsync(LockInvocation invocation, CancellationToken cancellationToken)
    {
        try
        {
            await ServiceResolver.LoadServicesAsync(context, invocation.Assemblies, cancellationToken).ConfigureAwait(false);
            var service = ServiceResolver.SelectOne(context, invocation.Service);
            var directory = Projects.ProjectDiscovery.ServiceFolder(context, invocation.ServiceDirectory);
            if (!File.Exists(Path.Combine(directory, "seeding.yaml")) && !Directory.Exists(Path.Combine(directory, "migrations")))
            {
                throw new UsageException($"'{context.DisplayPath(directory)}' does not look like a service folder (no seeding.yaml or migrations/). Pass --service-dir.");
            }

            var path = Path.Combine(directory, FileName);
            var locked = await ReadAsync(path, cancellationToken).ConfigureAwait(false);
            var added = 0;
            foreach (var migration in service.Seeds.Where(s => s.IsMigration))
            {
                var key = $"{RunSettings.Name(migration.Phase)}/{migration.Id}";
                if (locked.TryGetValue(key, out var existing))
                {
                    if (existing != migration.Checksum)
                    {
                        throw new CommandException(ExitCodes.Drift,
                            $"{migration.SourcePath} is locked with {existing} but now gives {migration.Checksum}. Undo the edit and add a new migration instead; the lock file is left unchanged.");
                    }
                }
                else
                {
                    locked[key] = migration.Checksum;
                    added++;
                }
            }

            await File.WriteAllTextAsync(path, Render(service.Service, locked), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            var display = context.DisplayPath(path);
            await context.Output.WriteLineAsync(invocation.Json
                ? JsonOutput.Locked(display, service.Service, locked.Count, added)
                : $"Locked {locked.Count} migration(s) of {service.Service} in {display} ({added} new). Commit the file.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, "lock", invocation.Json, e.ExitCode, e.Kind, e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
    }

    private static async Task<SortedDictionary<string, string>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return entries;
        }

        try
        {
            var root = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
            foreach (var (key, value) in root?["migrations"]?.AsObject() ?? [])
            {
                entries[key] = value?.GetValue<string>() ?? throw new JsonException($"'{key}' has no checksum");
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new CommandException(ExitCodes.Failure, $"{path} is not a valid lock file ({e.Message}). Restore it from git.", e);
        }

        return entries;
    }

    // Sorted keys, two-space indent, "\n": the file diffs cleanly in review.
    private static string Render(string service, SortedDictionary<string, string> locked)
    {
        var builder = new StringBuilder();
        builder.Append("{\n  \"version\": 1,\n  \"service\": ").Append(JsonSerializer.Serialize(service)).Append(",\n  \"migrations\": {");
        var first = true;
        foreach (var (key, checksum) in locked)
        {
            builder.Append(first ? "\n" : ",\n").Append("    ").Append(JsonSerializer.Serialize(key)).Append(": ").Append(JsonSerializer.Serialize(checksum));
            first = false;
        }

        builder.Append(first ? "}\n}\n" : "\n  }\n}\n");
        return builder.ToString();
    }
}
