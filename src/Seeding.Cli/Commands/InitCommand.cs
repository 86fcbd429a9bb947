using System.Text;
using System.Text.RegularExpressions;
using Seeding.Cli.Editors;
using Seeding.Cli.Output;
using Seeding.Cli.Projects;
using Seeding.Definitions;

namespace Seeding.Cli.Commands;

/// <summary>
/// <c>init</c>: sets Seeding up in an existing project folder: <c>seeding.yaml</c>, <c>migrations/pre/</c> with the first
/// migration (the template <c>new</c> writes), <c>migrations/post/</c> and <c>bootstrap/</c>, the editor schemas
/// (<c>.seeding/schema/</c>) and VS Code's settings for them. Never overwrites anything: when any of the seed files or
/// folders exists it writes nothing and says what is there. Then prints what the project still needs and how each kind
/// of seed runs.
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
            output.Append(EditorText(result.Editor));
            output.Append('\n').Append(NextSteps(context.Options.CommandName, Path.GetRelativePath(result.Directory, result.FirstMigration).Replace('\\', '/')));
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
        var directory = ProjectDiscovery.ServiceFolder(context, invocation.ServiceDirectory);
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
        var schemas = EditorSchemas.Ensure(directory);
        if (!NewCommand.TryCreateFile(settings, SettingsTemplate(service, EditorSchemas.SchemaLine(settings, directory, EditorSchemas.ServiceSettings))))
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
        if (!NewCommand.TryCreateFile(first, NewCommand.Template(id, migrationName, "pre", EditorSchemas.SchemaLine(first, directory, EditorSchemas.SeedFile))))
        {
            throw new CommandException(ExitCodes.Failure, $"{context.DisplayPath(first)} was created by someone else just now; seeding.yaml was written, the migration was not.");
        }

        written.Add(first);
        written.Add(post + Path.DirectorySeparatorChar);
        written.Add(bootstrap + Path.DirectorySeparatorChar);
        written.AddRange(schemas);
        var editor = VsCodeSettings.Write(directory);
        if (editor == VsCodeSettingsOutcome.Created)
        {
            written.Add(Path.Combine(directory, VsCodeSettings.RelativePath));
        }

        return new InitResult(directory, service, written, first, ReferencesHosting(projects), editor);
    }

    /// <summary>
    /// What to do next, in the order a newcomer meets it: the first migration, then how each kind of seed runs. A host
    /// runs only bootstrap seeds by default, so migrations stay pending until something applies them.
    /// </summary>
    internal static string NextSteps(string commandName, string firstMigration) => $"""
        Next:
          1. Edit {firstMigration} (the build reports it until it declares a step), then build.
          2. Bootstrap seeds (bootstrap/*.yaml) are ensured on every start of the host: {AddSeedingLine} runs them before the app serves.
          3. Migrations are not applied by a plain start (it runs bootstrap only), so they stay pending until you apply them:
               {commandName} migrate --phase pre     before deploying the new version (in this folder the tool builds the project first)
               {commandName} migrate --phase post    after the new version is deployed
             A host applies them on start with MIGRATION_PHASE=pre, post or all (Seeding:ApplyPreDeployMigrations=true applies pre);
             in CI or a Makefile, run the commands above around the deploy.
          4. {commandName} status    applied, pending and drifted migrations of this project

        """;

    private static string EditorText(VsCodeSettingsOutcome outcome) => outcome switch
    {
        VsCodeSettingsOutcome.Merged => $"  updated {VsCodeSettings.RelativePath} (yaml.schemas and yaml.customTags for the seed files; your other settings kept)\n",
        VsCodeSettingsOutcome.AlreadySet => $"  kept {VsCodeSettings.RelativePath} (it already maps the seed files to the schemas)\n",
        VsCodeSettingsOutcome.LeftAlone =>
            $"  left {VsCodeSettings.RelativePath} as it is (it has comments, or yaml.schemas/yaml.customTags of another shape, which a rewrite would lose). " +
            $"For editor checks of the seed files, add:\n{string.Join('\n', VsCodeSettings.Snippet.TrimEnd().Split('\n').Select(l => "    " + l))}\n",
        _ => string.Empty,
    };

    internal static string SettingsTemplate(string service, string schemaLine) => schemaLine + $"""
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

    private sealed record InitResult(
        string Directory, string Service, IReadOnlyList<string> Written, string FirstMigration, bool ReferencesHosting, VsCodeSettingsOutcome Editor);
}

/// <summary>What <c>init</c> was asked to do, as parsed.</summary>
internal sealed record InitInvocation
{
    public string? Service { get; init; }

    public string? ServiceDirectory { get; init; }

    public string MigrationName { get; init; } = "initial_data";

    public bool Json { get; init; }
}
