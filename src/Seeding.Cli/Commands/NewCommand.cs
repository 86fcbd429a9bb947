using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Seeding.Cli.Editors;
using Seeding.Cli.Output;
using Seeding.Cli.Projects;
using Seeding.Generators.Shared;

namespace Seeding.Cli.Commands;

/// <summary><c>new</c>: the next-numbered migration file in a service, from a commented template.</summary>
internal sealed partial class NewCommand(CommandContext context)
{
    public async Task<int> RunAsync(NewInvocation invocation, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (created, schemas, notSeeds) = Create(invocation);
            var display = context.DisplayPath(created);
            var id = Path.GetFileNameWithoutExtension(created);
            foreach (var file in notSeeds)
            {
                await context.Error.WriteLineAsync(
                    $"warning: {context.DisplayPath(file)} is not a seed file: the build reads '{MigrationFileName.YamlExtension}' files only and reports this one (SEED011). " +
                    $"Rename it to {Path.GetFileNameWithoutExtension(file)}{MigrationFileName.YamlExtension}.").ConfigureAwait(false);
            }

            if (invocation.Json)
            {
                await context.Output.WriteAsync(JsonOutput.Created(display, id, invocation.Phase)).ConfigureAwait(false);
            }
            else
            {
                await context.Output.WriteLineAsync($"Created {display}").ConfigureAwait(false);
                foreach (var schema in schemas)
                {
                    await context.Output.WriteLineAsync($"Created {context.DisplayPath(schema)} (for editors; commit it)").ConfigureAwait(false);
                }

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

    /// <summary>
    /// Checks a migration name by the generator's rule (<see cref="MigrationFileName"/>) and returns it in snake_case
    /// (dashes become underscores).
    /// </summary>
    public static string NormaliseName(string name)
    {
        var candidate = (name ?? string.Empty).Trim().Replace('-', '_');
        if (MigrationFileName.TryParse(candidate, out _, out _))
        {
            throw new UsageException($"Leave the number out of '{name}': 'new' picks the next free number itself.");
        }

        if (!MigrationFileName.IsWords(candidate))
        {
            var suggestion = Suggest(candidate);
            throw new UsageException(
                $"'{name}' is not a valid migration name. Use snake_case: lowercase letters and digits in words joined by single underscores" +
                $"{(suggestion is null ? "." : $", e.g. '{suggestion}'.")}");
        }

        return candidate;
    }

    private (string Created, IReadOnlyList<string> Schemas, IReadOnlyList<string> NotSeeds) Create(NewInvocation invocation)
    {
        var name = NormaliseName(invocation.Name);
        var serviceDirectory = ProjectDiscovery.ServiceFolder(context, invocation.ServiceDirectory);
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

        var (path, notSeeds) = NextMigration(serviceDirectory, invocation.Phase, name);
        var id = Path.GetFileNameWithoutExtension(path);
        var schemas = EditorSchemas.Ensure(serviceDirectory).Where(p => p.EndsWith(".json", StringComparison.Ordinal)).ToArray();
        if (!TryCreateFile(path, Template(id, name, invocation.Phase, EditorSchemas.SchemaLine(path, serviceDirectory, EditorSchemas.SeedFile))))
        {
            throw new CommandException(ExitCodes.Failure, $"{context.DisplayPath(path)} was created by someone else just now; run 'new' again for the next number.");
        }

        return (path, schemas, notSeeds);
    }

    /// <summary>
    /// The path of a new migration named <paramref name="name"/> (snake_case, checked) in <c>migrations/&lt;phase&gt;</c>
    /// of the service folder, with the next number after the highest of that phase (the folder is created), and the
    /// files the build would not read as migrations (for a warning). A name the phase already has is a usage error.
    /// </summary>
    internal static (string Path, IReadOnlyList<string> NotSeeds) NextMigration(string serviceDirectory, string phase, string name)
    {
        var folder = Path.Combine(serviceDirectory, "migrations", phase);
        Directory.CreateDirectory(folder);
        // Numbered as the build reads the folder: YAML migrations (.yaml) by the generator's name rule, and C# migrations
        // by the same rule on their file names (their [Migration] ids share the numbering). Anything else, a '.yml'
        // migration too, is no seed to the build: it is named in a warning, not counted.
        var existing = new List<(string File, int Number, string Words)>();
        var notSeeds = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var extension = Path.GetExtension(file);
            var named = MigrationFileName.TryParse(Path.GetFileNameWithoutExtension(file), out var number, out var words);
            if (named && (extension == MigrationFileName.YamlExtension || extension == ".cs"))
            {
                existing.Add((Path.GetFileName(file), int.Parse(number, CultureInfo.InvariantCulture), words));
            }
            else if (extension != MigrationFileName.YamlExtension
                && (extension.Equals(".yml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase)))
            {
                notSeeds.Add(file);
            }
        }

        var sameName = existing.FirstOrDefault(m => m.Words == name);
        if (sameName.File is not null)
        {
            throw new UsageException(
                $"migrations/{phase}/{sameName.File} already has the name '{name}'. Pick a name that says what this migration does differently.");
        }

        var next = existing.Count == 0 ? 1 : existing.Max(m => m.Number) + 1;
        if (next > 9999)
        {
            throw new CommandException(ExitCodes.Failure, $"migrations/{phase} has used every number up to 9999.");
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"{next:D4}_{name}");
        return (Path.Combine(folder, id + MigrationFileName.YamlExtension), notSeeds);
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

    /// <summary>A migration's template; <paramref name="schemaLine"/> (<see cref="EditorSchemas.SchemaLine"/>) comes first.</summary>
    internal static string Template(string id, string name, string phase, string schemaLine)
    {
        var description = char.ToUpperInvariant(name[0]) + name[1..].Replace('_', ' ');
        var when = phase == "pre"
            ? "before the new version of the service serves (pre-deploy)"
            : "after the new version is deployed (post-deploy)";
        return schemaLine + $"""
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
        return MigrationFileName.IsWords(suggestion) ? suggestion : null;
    }

    [GeneratedRegex("_+", RegexOptions.CultureInvariant)]
    private static partial Regex MultipleUnderscores();
}
