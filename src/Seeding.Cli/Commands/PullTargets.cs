using System.Globalization;
using System.Text;
using Seeding.Cli.Editors;
using Seeding.Cli.Projects;
using Seeding.Generators.Shared;

namespace Seeding.Cli.Commands;

/// <summary>
/// Where <c>pull</c> writes, documents and resources alike: a new migration with the next free number (default: the
/// service's <c>migrations/pre</c>), or a bootstrap file. Names follow the generator's rule (<see cref="MigrationFileName"/>),
/// as <c>new</c> numbers them; a name the phase already has gets the next number too. A file that exists is never
/// overwritten (<see cref="PullFiles"/> checks again just before renaming into place).
/// </summary>
internal sealed class PullTargets
{
    private readonly string _folder;
    private readonly string? _firstName;
    private readonly int _firstNumber;
    private readonly string _words;

    private PullTargets(string folder, bool migration, int firstNumber, string words, string? firstName, string serviceDirectory)
    {
        _folder = folder;
        IsMigration = migration;
        _firstNumber = firstNumber;
        _words = words;
        _firstName = firstName;
        ServiceDirectory = serviceDirectory;
    }

    /// <summary>A migration (numbered) rather than a bootstrap file.</summary>
    public bool IsMigration { get; }

    /// <summary>
    /// <c>pre</c> or <c>post</c> when the files go into <c>migrations/pre</c> or <c>migrations/post</c>; null otherwise
    /// (a bootstrap file, or a folder the build does not read as a phase).
    /// </summary>
    public string? Phase => IsMigration && Path.GetFileName(_folder) is "pre" or "post" && Path.GetFileName(Path.GetDirectoryName(_folder)) == "migrations"
        ? Path.GetFileName(_folder)
        : null;

    /// <summary>The service folder the schema line points from (the editor schemas live in its .seeding/schema).</summary>
    public string ServiceDirectory { get; }

    /// <summary>
    /// Resolves <c>--into</c>: absent, the service's <c>migrations/pre</c>; a folder (<c>migrations/post</c>,
    /// <c>bootstrap</c>), new files named <paramref name="words"/> there (<see cref="CollectionWords"/> for documents,
    /// <c>pulled_pubsub</c>, <c>pulled_indexes</c>, <c>pulled_resources</c> for resources); a <c>.yaml</c> file, that name
    /// for the first file.
    /// </summary>
    public static PullTargets Resolve(CommandContext context, string? into, string? serviceDirectory, string words)
    {
        var service = ProjectDiscovery.ServiceFolder(context, serviceDirectory);
        if (into is null)
        {
            var pre = Path.Combine(service, "migrations", "pre");
            return new PullTargets(pre, true, NextNumber(pre), words, null, service);
        }

        if (string.IsNullOrWhiteSpace(into))
        {
            throw new UsageException("--into is blank. Give a seed folder (migrations/pre, migrations/post, bootstrap) or a '.yaml' file.");
        }

        var full = Path.TrimEndingDirectorySeparator(context.ResolvePath(into));
        if (full.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--into '{into}': seed files end in '{MigrationFileName.YamlExtension}' (the build reports '.yml' files, SEED011).");
        }

        if (!full.EndsWith(MigrationFileName.YamlExtension, StringComparison.Ordinal))
        {
            var migration = Path.GetFileName(full) is "pre" or "post";
            if (!migration && Path.GetFileName(full) != "bootstrap")
            {
                throw new UsageException($"--into '{into}' is neither a seed folder (migrations/pre, migrations/post, bootstrap) nor a '.yaml' file.");
            }

            return new PullTargets(full, migration, migration ? NextNumber(full) : 0, words, null, service);
        }

        var folder = Path.GetDirectoryName(full)!;
        var name = Path.GetFileNameWithoutExtension(full);
        if (MigrationFileName.TryParse(name, out var number, out var given))
        {
            return new PullTargets(folder, true, int.Parse(number, CultureInfo.InvariantCulture), given, name, service);
        }

        if (!MigrationFileName.IsWords(name))
        {
            throw new UsageException(
                $"--into '{into}': '{name}' is no seed file name: a migration is NNNN_snake_case.yaml (migrations/pre or migrations/post), a bootstrap file snake_case.yaml.");
        }

        return new PullTargets(folder, false, 0, name, name, service);
    }

    /// <summary>The path of file <paramref name="part"/> (0-based) of the pull.</summary>
    public string PathOf(int part)
    {
        if (IsMigration)
        {
            var number = _firstNumber + part;
            if (number > 9999)
            {
                throw new CommandException(ExitCodes.Failure, $"{_folder} has no migration number left after 9999 for part {part + 1} of the pull.");
            }

            var name = part == 0 && _firstName is not null ? _firstName : string.Create(CultureInfo.InvariantCulture, $"{number:D4}_{_words}{(part == 0 ? string.Empty : $"_{part + 1}")}");
            return Path.Combine(_folder, name + MigrationFileName.YamlExtension);
        }

        return Path.Combine(_folder, (part == 0 ? _firstName ?? _words : $"{_firstName ?? _words}_{part + 1}") + MigrationFileName.YamlExtension);
    }

    /// <summary>The <c># yaml-language-server</c> line when the file lies in the service folder (the schemas are copied there first).</summary>
    public string SchemaLine(string file)
    {
        var relative = Path.GetRelativePath(ServiceDirectory, file);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return string.Empty;
        }

        EditorSchemas.Ensure(ServiceDirectory);
        return EditorSchemas.SchemaLine(file, ServiceDirectory, EditorSchemas.SeedFile);
    }

    private static int NextNumber(string folder)
    {
        var existing = NewCommand.ScanMigrations(folder).Existing;
        return existing.Count == 0 ? 1 : existing.Max(m => m.Number) + 1;
    }

    /// <summary>The name of a document pull's files: pull_ and the collection path in snake_case words (tenants/t1/users: pull_tenants_t1_users).</summary>
    public static string CollectionWords(string collection)
    {
        var builder = new StringBuilder();
        foreach (var c in collection.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        var words = "pull_" + builder.ToString().TrimEnd('_');
        return MigrationFileName.IsWords(words) ? words : "pull_documents";
    }
}
