using System.CommandLine;
using Seeding.Cli.Output;
using Seeding.Firestore.Indexes;

namespace Seeding.Cli.Commands;

/// <summary>What <c>indexes</c> was asked to do, as parsed.</summary>
internal sealed record IndexesInvocation
{
    public required string File { get; init; }

    public IReadOnlyList<string> Services { get; init; } = [];

    public bool Json { get; init; }

    public IReadOnlyList<string> Assemblies { get; init; } = [];
}

/// <summary><c>indexes</c>: the declared indexes of the selected services as one <see cref="FirestoreIndexFile"/>.</summary>
internal sealed class IndexesCommand(CommandContext context)
{
    private const string StandardOutput = "-";

    /// <summary>The <c>indexes</c> command's definition.</summary>
    public static Command BuildIndexes(CommandLineDefinition cli, string name)
    {
        var command = new Command(
            "indexes",
            $"Write every Firestore composite index and field override the services' seed files declare (index: and field_override: steps) " +
            $"to an index file in the Firebase CLI's format ({FirestoreIndexFile.DefaultFileName}, for firebase deploy --only firestore:indexes). Sorted, so it can be " +
            "committed and compared; an index declared by several services is written once.");
        var file = new Option<string>("--file", "-f")
        {
            Description = $"Where to write it, e.g. {FirestoreIndexFile.DefaultFileName} (replaced whole); - writes it to standard output.",
            HelpName = "path|-",
            Required = true,
        };
        command.Options.Add(file);
        var service = new Option<string[]>("--service", "-s")
        {
            Description = "Only this service's declarations, by its name in seeding.yaml. Repeatable. Default: every service.",
            HelpName = "name",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        command.Options.Add(service);
        command.SetAction((parse, cancellationToken) => new IndexesCommand(cli.Context).RunAsync(
            new IndexesInvocation
            {
                File = parse.GetValue(file)!,
                Services = parse.GetValue(service) ?? [],
                Json = cli.IsJson(parse),
                Assemblies = parse.GetValue(cli.Assembly) ?? [],
            },
            cancellationToken));
        cli.Examples[command] =
        [
            $"{name} indexes --file {FirestoreIndexFile.DefaultFileName}   Every service's indexes, for firebase deploy --only firestore:indexes",
            $"{name} indexes --file - --service user           One service's, on standard output",
        ];
        return command;
    }

    public async Task<int> RunAsync(IndexesInvocation invocation, CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandException e)
        {
            await Errors.ReportAsync(context, "indexes", invocation.Json, e.ExitCode, e.Kind, e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
    }

    private async Task<int> RunCoreAsync(IndexesInvocation invocation, CancellationToken cancellationToken)
    {
        if (invocation.File == StandardOutput && invocation.Json)
        {
            throw new UsageException("--file - writes the index file to standard output; leave out --output json (or give --file a path).");
        }

        if (string.IsNullOrWhiteSpace(invocation.File))
        {
            throw new UsageException($"--file is blank. Give a path such as {FirestoreIndexFile.DefaultFileName}, or - for standard output.");
        }

        await ServiceResolver.LoadServicesAsync(context, invocation.Assemblies, cancellationToken).ConfigureAwait(false);
        // Every service by default, in dependency order, so later declarations of a field apply over earlier ones.
        var services = ServiceResolver.Select(context, new ServiceSelection(invocation.Services, All: false), defaultAll: true);
        FirestoreIndexFile file;
        try
        {
            file = FirestoreIndexFile.FromServices(services);
        }
        catch (InvalidOperationException e)
        {
            throw new CommandException(ExitCodes.Failure, $"Could not read the services' seed files: {e.Message}", e);
        }

        var json = file.ToJson();
        var names = string.Join(", ", services.Select(s => s.Service));
        if (invocation.File == StandardOutput)
        {
            await context.Output.WriteAsync(json).ConfigureAwait(false);
        }
        else
        {
            var path = context.ResolvePath(invocation.File);
            await WriteAsync(path, json, cancellationToken).ConfigureAwait(false);
            var shown = context.DisplayPath(path);
            if (invocation.Json)
            {
                await context.Output.WriteAsync(MaintenanceJson.Indexes(shown, services.Select(s => s.Service), file.Indexes.Count, file.FieldOverrides.Count)).ConfigureAwait(false);
            }
            else
            {
                await context.Output.WriteLineAsync(
                    $"Wrote {Printable.Escape(shown)}: {Format.Plural(file.Indexes.Count, "index", "indexes")}, " +
                    $"{Format.Plural(file.FieldOverrides.Count, "field override", "field overrides")} from {Printable.Escape(names)}.").ConfigureAwait(false);
            }
        }

        if (file.Indexes.Count == 0 && file.FieldOverrides.Count == 0)
        {
            // An empty file is still the truth, but deploying it asks to delete every index it does not list.
            await context.Error.WriteLineAsync(
                $"note: {names} declare no index or field_override steps; the file's lists are empty (firebase deploy would offer to delete indexes it does not list).").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    // Written beside the target and moved over it, so a failed write never leaves half a file.
    private static async Task WriteAsync(string path, string json, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(temporary, json, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CommandException(ExitCodes.Failure, $"Could not write {path}: {e.Message}", e);
        }
    }
}
