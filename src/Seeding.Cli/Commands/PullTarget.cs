using System.Text;
using Seeding.Cli.Projects;
using Seeding.Generators.Shared;

namespace Seeding.Cli.Commands;

/// <summary>
/// Where <c>pull</c> writes (<c>--into</c>), and the write itself. No <c>--into</c>: a new pre-deploy migration of the
/// service in the current folder (or <c>--project</c>'s), numbered as <c>new</c> numbers (<see cref="NewCommand.NextMigration"/>).
/// <c>--into</c> a folder: a new migration there when it is <c>migrations/pre</c> or <c>migrations/post</c>, or a new
/// pre-deploy migration when it is a service folder. <c>--into</c> a <c>.yaml</c> file: that file, replaced whole.
/// Files are written beside the target and moved over it, so a failure never leaves half a file.
/// </summary>
internal sealed record PullTarget(string Path, bool IsNew, string Phase)
{
    /// <summary>
    /// Resolves <paramref name="into"/>; <paramref name="name"/> names a new migration (snake_case). Without it the service
    /// folder is <paramref name="serviceDirectory"/> (<c>--service-dir</c>), else <c>--project</c>'s, else the current folder.
    /// </summary>
    public static PullTarget Resolve(CommandContext context, string? into, string name, string? serviceDirectory = null)
    {
        if (into is null)
        {
            return NewMigration(context, ProjectDiscovery.ServiceFolder(context, serviceDirectory), "pre", name, serviceDirectory ?? "the current folder");
        }

        if (string.IsNullOrWhiteSpace(into))
        {
            throw new UsageException("--into is blank. Give a .yaml file, a service folder, or migrations/pre (a new migration there).");
        }

        var full = context.ResolvePath(into);
        var extension = System.IO.Path.GetExtension(System.IO.Path.TrimEndingDirectorySeparator(full));
        if (Directory.Exists(full) || extension.Length == 0)
        {
            var folder = System.IO.Path.TrimEndingDirectorySeparator(full);
            var phase = System.IO.Path.GetFileName(folder);
            var parent = System.IO.Path.GetDirectoryName(folder);
            if (phase is "pre" or "post" && System.IO.Path.GetFileName(parent) == "migrations")
            {
                return NewMigration(context, System.IO.Path.GetDirectoryName(parent)!, phase, name, into);
            }

            return NewMigration(context, folder, "pre", name, into);
        }

        if (extension != MigrationFileName.YamlExtension)
        {
            throw new UsageException(
                $"--into '{into}' is neither a folder nor a '{MigrationFileName.YamlExtension}' file (the build reads only '{MigrationFileName.YamlExtension}' seed files). " +
                "Give e.g. migrations/pre/0005_pulled.yaml, bootstrap/pulled.yaml, or a folder for a new migration.");
        }

        var phaseOf = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(full));
        var kind = phaseOf is "pre" or "post" && System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(full))) == "migrations"
            ? phaseOf
            : "other";
        return new PullTarget(full, IsNew: !File.Exists(full), kind);
    }

    /// <summary>
    /// Writes <paramref name="content"/> (UTF-8 without BOM) to a temporary file beside the target and moves it over it.
    /// A new migration is never moved over a file that appeared meanwhile.
    /// </summary>
    public async Task WriteAsync(CommandContext context, string content, CancellationToken cancellationToken)
    {
        var temporary = $"{Path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await File.WriteAllTextAsync(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, Path, overwrite: !IsNew);
        }
        catch (IOException) when (IsNew && File.Exists(Path))
        {
            File.Delete(temporary);
            throw new CommandException(ExitCodes.Failure, $"{context.DisplayPath(Path)} was created by someone else just now; run 'pull' again for the next number.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            File.Delete(temporary);
            if (e is OperationCanceledException)
            {
                throw;
            }

            throw new CommandException(ExitCodes.Failure, $"Could not write {context.DisplayPath(Path)}: {e.Message}", e);
        }
    }

    private static PullTarget NewMigration(CommandContext context, string serviceDirectory, string phase, string name, string shown)
    {
        var looksLikeService = File.Exists(System.IO.Path.Combine(serviceDirectory, "seeding.yaml"))
            || Directory.Exists(System.IO.Path.Combine(serviceDirectory, "migrations"))
            || (Directory.Exists(serviceDirectory) && Directory.EnumerateFiles(serviceDirectory, "*.csproj").Any());
        if (!looksLikeService)
        {
            throw new UsageException(
                $"{shown} ({context.DisplayPath(serviceDirectory)}) does not look like a service project (no seeding.yaml, migrations/ folder or .csproj), " +
                "so 'pull' does not know where a new migration goes. Run it in the service's folder, or pass --into with a folder or a .yaml file.");
        }

        // A second pull into the same service gets name_2, name_3...: 'new' refuses a name the phase already has.
        for (var attempt = 1; ; attempt++)
        {
            var candidate = attempt == 1 ? name : $"{name}_{attempt}";
            var taken = Directory.Exists(System.IO.Path.Combine(serviceDirectory, "migrations", phase))
                && Directory.EnumerateFiles(System.IO.Path.Combine(serviceDirectory, "migrations", phase))
                    .Any(f => MigrationFileName.TryParse(System.IO.Path.GetFileNameWithoutExtension(f), out _, out var words) && words == candidate);
            if (!taken)
            {
                var (path, _) = NewCommand.NextMigration(serviceDirectory, phase, candidate);
                return new PullTarget(path, IsNew: true, phase);
            }
        }
    }
}
