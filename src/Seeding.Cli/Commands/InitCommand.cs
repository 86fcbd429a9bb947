using System.Text;
using System.Text.RegularExpressions;
using Seeding.Cli.Output;
using Seeding.Definitions;

namespace Seeding.Cli.Commands;

/// <summary>
/// <c>init</c>: sets Seeding up in an existing project folder: <c>seeding.yaml</c>, <c>migrations/pre/</c> with the first
/// migration (the template <c>new</c> writes), <c>migrations/post/</c> and <c>bootstrap/</c>. Never overwrites anything:
/// when any of them exists it writes nothing and says what is there.
/// </summary>
internal sealed partial class InitCommand(CommandContext context)
{
    /// <summary>The package that brings the runtime, the generator, the stores and <c>AddSeeding()</c> to a service.</summary>
    internal const string HostingPackage = "Seeding.Hosting";

    /// <summary>The line of code a host still needs.</summary>
    internal const string AddSeedingLine = "builder.Services.AddSeeding();";

    public async Task<int> RunAsync(InitInvocation invocation, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = Create(invocation);
            var created = result.Written.Select(path => Path.GetRelativePath(result.Directory, path).Replace('\\', '/')).ToArray();
            if (invocation.Json)
            {
                await context.Output.WriteAsync(JsonOutput.Initialised(context.DisplayPath(result.Directory), result.Service, created)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var output = new StringBuilder();
            output.Append("Seeding is set up for service '").Append(result.Service).Append("' in ").Append(context.DisplayPath(result.Directory)).Append(":\n");
            foreach (var path in created)
            {
                output.Append("  created ").Append(path).Append('\n');
            }

            output.Append("\nStill needed:\n");
            if (!result.ReferencesHosting)
            {
                output.Append("  dotnet add package ").Append(HostingPackage)
                    .Append("            # in ").Append(context.DisplayPath(result.Directory)).Append(": runtime, generator, stores, AddSeeding()\n");
            }

            output.Append("  using Seeding.Hosting;                   # in Program.cs\n");
            output.Append("  ").Append(AddSeedingLine)
                .Append("         # in Program.cs, before builder.Build(): seeds on startup\n");
            output.Append("\nThen edit ").Append(Path.GetRelativePath(result.Directory, result.FirstMigration).Replace('\\', '/'))
                .Append(" (the build reports it until it declares a step) and build.\n");
            await context.Output.WriteAsync(output.ToString()).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, "init", invocation.Json, e.ExitCode, e.Kind, e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
    }

    /// <summary>A service name from a project or folder name: lowercase, characters seeding.yaml refuses become '-'.</summary>
    internal static string? ServiceNameFrom(string projectOrFolderName)
    {
        var name = NotAllowed().Replace(projectOrFolderName.Trim().ToLowerInvariant(), "-").Trim('-', '.', '_');
        return ServiceNameRule.IsValid(name) ? name : null;
    }

    private InitResult Create(InitInvocation invocation)
    {
        var directory = context.ResolvePath(invocation.ServiceDirectory ?? ".");
        if (!Directory.Exists(directory))
        {
            throw new UsageException($"The folder '{invocation.ServiceDirectory}' does not exist. Run 'init' in the project's folder or pass --service-dir.");
        }

        var projects = Directory.EnumerateFiles(directory, "*.csproj").Order(StringComparer.Ordinal).ToArray();
        if (projects.Length == 0)
        {
            throw new UsageException(
                $"'{context.DisplayPath(directory)}' has no .csproj: 'init' sets Seeding up in an existing project. " +
                "Create the project first (e.g. dotnet new web), or pass its folder with --service-dir.");
        }

        var service = invocation.Service ?? ServiceNameFrom(projects.Length == 1 ? Path.GetFileNameWithoutExtension(projects[0]) : Path.GetFileName(directory));
        if (service is null || !ServiceNameRule.IsValid(service))
        {
            throw new UsageException(
                $"'{invocation.Service ?? Path.GetFileName(directory)}' is not a service name: use letters, digits, '.', '_' or '-', starting with a letter or digit. Pass one with --service.");
        }

        var migrationName = NewCommand.NormaliseName(invocation.MigrationName);
        var settings = Path.Combine(directory, "seeding.yaml");
        var pre = Path.Combine(directory, "migrations", "pre");
        var post = Path.Combine(directory, "migrations", "post");
        var bootstrap = Path.Combine(directory, "bootstrap");
        var existing = new[] { settings, Path.Combine(directory, "migrations"), bootstrap }
            .Where(path => File.Exists(path) || Directory.Exists(path))
            .Select(path => Path.GetFileName(path) + (Directory.Exists(path) ? "/" : string.Empty))
            .ToArray();
        if (existing.Length > 0)
        {
            throw new CommandException(
                ExitCodes.Failure,
                $"Seeding is already set up in '{context.DisplayPath(directory)}': {string.Join(", ", existing)} exist{(existing.Length == 1 ? "s" : string.Empty)}. " +
                "Nothing was written ('init' never overwrites). Add a migration with 'new <name>', or move those away and run 'init' again.");
        }

        var written = new List<string>();
        if (!NewCommand.TryCreateFile(settings, SettingsTemplate(service)))
        {
            throw new CommandException(ExitCodes.Failure, $"{context.DisplayPath(settings)} was created by someone else just now; nothing else was written.");
        }

        written.Add(settings);
        foreach (var folder in new[] { pre, post, bootstrap })
        {
            Directory.CreateDirectory(folder);
        }

        var id = "0001_" + migrationName;
        var first = Path.Combine(pre, id + ".yaml");
        if (!NewCommand.TryCreateFile(first, NewCommand.Template(id, migrationName, "pre")))
        {
            throw new CommandException(ExitCodes.Failure, $"{context.DisplayPath(first)} was created by someone else just now; seeding.yaml was written, the migration was not.");
        }

        written.Add(first);
        written.Add(post + Path.DirectorySeparatorChar);
        written.Add(bootstrap + Path.DirectorySeparatorChar);
        return new InitResult(directory, service, written, first, ReferencesHosting(projects));
    }

    internal static string SettingsTemplate(string service) => NewCommand.SchemaLine(RepositoryLinks.ServiceSettingsSchema) + $"""
        # seeding.yaml: this service's name in the seeding history, and the services whose seeds must run before its own.
        service: {service}
        depends_on: []
        # namespace: MyCompany.MyService.Seeds     # where the generated code goes (default: the project's root namespace)
        # environments: [development, staging, production]   # the names seed files may use in 'environments:'

        """;

    /// <summary>Whether a project already references the hosting package (by package or project reference).</summary>
    private static bool ReferencesHosting(IEnumerable<string> projects) => projects
        .Select(File.ReadAllText)
        .Any(text => text.Contains($"\"{HostingPackage}\"", StringComparison.OrdinalIgnoreCase)
            || text.Contains($"{HostingPackage}.csproj", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("[^a-z0-9._-]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotAllowed();

    private sealed record InitResult(string Directory, string Service, IReadOnlyList<string> Written, string FirstMigration, bool ReferencesHosting);
}

/// <summary>What <c>init</c> was asked to do, as parsed.</summary>
internal sealed record InitInvocation
{
    public string? Service { get; init; }

    public string? ServiceDirectory { get; init; }

    public string MigrationName { get; init; } = "initial_data";

    public bool Json { get; init; }
}
