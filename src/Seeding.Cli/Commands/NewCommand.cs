using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Seeding.Cli.Output;

namespace Seeding.Cli.Commands;

/// <summary><c>new</c>: the next-numbered migration file in a service, from a commented template.</summary>
internal sealed partial class NewCommand(CommandContext context)
{
    public async Task<int> RunAsync(NewInvocation invocation, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var created = Create(invocation);
            var display = context.DisplayPath(created);
            var id = Path.GetFileNameWithoutExtension(created);
            if (invocation.Json)
            {
                await context.Output.WriteAsync(JsonOutput.Created(display, id, invocation.Phase)).ConfigureAwait(false);
            }
            else
            {
                await context.Output.WriteLineAsync($"Created {display}").ConfigureAwait(false);
                await context.Output.WriteLineAsync("Edit it: the build reports the file until it declares a step (create:, upsert:, ...) with its documents.").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, "new", invocation.Json, e.ExitCode, e.Kind, e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
    }

    /// <summary>Checks a migration name and returns it in snake_case (dashes become underscores).</summary>
    public static string NormaliseName(string name)
    {
        var candidate = (name ?? string.Empty).Trim().Replace('-', '_');
        if (NumberedName().IsMatch(candidate))
        {
            throw new UsageException($"Leave the number out of '{name}': 'new' picks the next free number itself.");
        }

        if (candidate.Length == 0 || candidate.Length > 80 || !SnakeCase().IsMatch(candidate))
        {
            var suggestion = Suggest(candidate);
            throw new UsageException(
                $"'{name}' is not a valid migration name. Use snake_case: lowercase letters and digits in words joined by single underscores, " +
                $"starting with a letter, at most 80 characters{(suggestion is null ? "." : $", e.g. '{suggestion}'.")}");
        }

        return candidate;
    }

    private string Create(NewInvocation invocation)
    {
        var name = NormaliseName(invocation.Name);
        var serviceDirectory = context.ResolvePath(invocation.ServiceDirectory ?? ".");
        if (!Directory.Exists(serviceDirectory))
        {
            throw new UsageException($"The service folder '{invocation.ServiceDirectory}' does not exist.");
        }

        var looksLikeService = File.Exists(Path.Combine(serviceDirectory, "seeding.yaml"))
            || Directory.Exists(Path.Combine(serviceDirectory, "migrations"))
            || Directory.EnumerateFiles(serviceDirectory, "*.csproj").Any();
        if (!looksLikeService)
        {
            throw new UsageException(
                $"'{context.DisplayPath(serviceDirectory)}' does not look like a service project (no seeding.yaml, migrations/ folder or .csproj). " +
                "Run 'new' in the service's folder or pass --service-dir.");
        }

        var folder = Path.Combine(serviceDirectory, "migrations", invocation.Phase);
        Directory.CreateDirectory(folder);
        var existing = Directory.EnumerateFiles(folder)
            .Select(Path.GetFileName)
            .Select(file => MigrationFile().Match(file!))
            .Where(m => m.Success)
            .ToArray();
        var sameName = existing.FirstOrDefault(m => m.Groups["name"].Value == name);
        if (sameName is not null)
        {
            throw new UsageException(
                $"migrations/{invocation.Phase}/{sameName.Value} already has the name '{name}'. Pick a name that says what this migration does differently.");
        }

        var next = existing.Length == 0 ? 1 : existing.Max(m => int.Parse(m.Groups["number"].Value, CultureInfo.InvariantCulture)) + 1;
        if (next > 9999)
        {
            throw new CommandException(ExitCodes.Failure, $"migrations/{invocation.Phase} has used every number up to 9999.");
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"{next:D4}_{name}");
        var path = Path.Combine(folder, id + ".yaml");
        if (!TryCreateFile(path, Template(id, name, invocation.Phase)))
        {
            throw new CommandException(ExitCodes.Failure, $"{context.DisplayPath(path)} was created by someone else just now; run 'new' again for the next number.");
        }

        return path;
    }

    /// <summary>Writes a new file (UTF-8 without BOM, LF line ends); false when the file exists, which is never overwritten.</summary>
    internal static bool TryCreateFile(string path, string content)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            writer.NewLine = "\n";
            writer.Write(content);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>
    /// The first line of every YAML file the command line writes: editors with the YAML language server validate and
    /// complete the file against the published schema.
    /// </summary>
    internal static string SchemaLine(string schemaUrl) => $"# yaml-language-server: $schema={schemaUrl}\n";

    internal static string Template(string id, string name, string phase)
    {
        var description = char.ToUpperInvariant(name[0]) + name[1..].Replace('_', ' ');
        var when = phase == "pre"
            ? "before the new version of the service serves (pre-deploy)"
            : "after the new version is deployed (post-deploy)";
        return SchemaLine(RepositoryLinks.SeedFileSchema) + $"""
            # migrations/{phase}/{id}.yaml
            # A migration: it runs once per environment, {when},
            # and is recorded in history with a checksum of its content.
            # Once applied anywhere, do not edit it: put further changes in a new migration (seeding new <name>).
            # Comments, whitespace and key order do not change the checksum.
            #
            # Write one step (or several under 'steps:'), then build: until it declares a step with its documents
            # the build reports this file. Values: 42, 4.5, true, null, "text", !now, !timestamp 2024-05-01T00:00:00Z,
            # !ref roles/admin, !geo [52.52, 13.40], !bytes aGVsbG8=.
            description: {description}

            # create: each document is created when its id is absent, and never overwritten.
            # create: roles
            # key: id                          # the field that holds the document id (default: id)
            # defaults:
            #   created_at: !now               # added to every document
            # documents:
            #   - {"{"} id: auditor, name: Auditor, level: 5 {"}"}

            # upsert: the declared fields are merged into each document (created when absent); others are kept.
            # upsert: config
            # documents:
            #   - {"{"} id: app, feature_enabled: true, updated_at: !now {"}"}

            """;
    }

    private static string? Suggest(string candidate)
    {
        var builder = new StringBuilder();
        foreach (var c in candidate)
        {
            if (char.IsUpper(c) && builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }

            builder.Append(char.IsLetterOrDigit(c) && c < 128 ? char.ToLowerInvariant(c) : '_');
        }

        var suggestion = MultipleUnderscores().Replace(builder.ToString(), "_").Trim('_');
        return SnakeCase().IsMatch(suggestion) && suggestion.Length <= 80 ? suggestion : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"^\d+_", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedName();

    [GeneratedRegex("_+", RegexOptions.CultureInvariant)]
    private static partial Regex MultipleUnderscores();

    [GeneratedRegex(@"^(?<number>\d{4})_(?<name>.+)\.(yaml|yml|cs)$", RegexOptions.CultureInvariant)]
    private static partial Regex MigrationFile();
}
