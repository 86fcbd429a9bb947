using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seeding.Cli.Commands;

/// <summary>
/// <c>seeding.lock.json</c>, as <c>lock</c> writes it and <c>accept</c> updates it: <c>{"version": 1, "service": "...",
/// "migrations": {"pre/0001_x": "sha256:..."}}</c>, keys sorted, two-space indent, <c>\n</c> line ends, so it diffs
/// cleanly in review. The generator's <c>LockManifest</c> reads it.
/// </summary>
internal static class LockFile
{
    public const string FileName = "seeding.lock.json";

    /// <summary>The entries of the file at <paramref name="path"/>; empty when there is none.</summary>
    /// <exception cref="CommandException">The file is not a valid lock file (exit 1).</exception>
    public static async Task<SortedDictionary<string, string>> ReadAsync(string path, CancellationToken cancellationToken)
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

    /// <summary>Writes the file whole.</summary>
    public static Task WriteAsync(string path, string service, SortedDictionary<string, string> locked, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(path, Render(service, locked), new UTF8Encoding(false), cancellationToken);

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
