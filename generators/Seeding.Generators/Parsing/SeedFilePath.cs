using System;
using System.Linq;
using System.Text.RegularExpressions;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Generators.Shared;

namespace Seeding.Generators.Parsing;

/// <summary>What a seed file's path says: its phase, id, number and class name.</summary>
internal sealed record SeedFileIdentity(SeedPhase Phase, string Id, string? Number, string ClassName);

/// <summary>
/// Recognises seed files by their trailing path segments (never by the machine path), so the path cited in
/// generated code is the same on every machine: <c>migrations/pre/0001_initial_roles.yaml</c>.
/// </summary>
internal static class SeedFilePath
{
    private static readonly Regex BootstrapName = new(@"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$", RegexOptions.CultureInvariant);

    /// <summary>Classifies an additional file. <paramref name="seedingFile"/> is the SeedingFile metadata (null when unset).</summary>
    public static (SeedFileKind Kind, string RelativePath) Classify(string path, bool? seedingFile)
    {
        if (seedingFile == false)
        {
            return (SeedFileKind.None, string.Empty);
        }

        var segments = path.Replace('\\', '/').Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return (SeedFileKind.None, string.Empty);
        }

        var name = segments[segments.Length - 1];
        var parent = segments.Length > 1 ? segments[segments.Length - 2] : string.Empty;
        var grandParent = segments.Length > 2 ? segments[segments.Length - 3] : string.Empty;
        if (name == LockManifest.FileName && seedingFile == true)
        {
            return (SeedFileKind.LockManifest, name);
        }

        if (!IsYaml(name))
        {
            return (SeedFileKind.None, string.Empty);
        }

        if (name is "seeding.yaml" or "seeding.yml")
        {
            return (SeedFileKind.ServiceSettings, name);
        }

        if (parent is "pre" or "post" && grandParent == "migrations")
        {
            return (SeedFileKind.Seed, $"migrations/{parent}/{name}");
        }

        if (parent == "bootstrap")
        {
            return (SeedFileKind.Seed, $"bootstrap/{name}");
        }

        if (seedingFile != true)
        {
            return (SeedFileKind.None, string.Empty);
        }

        // A file the props marked as a seed file but in no seed folder: cite it from its seed-like root.
        var from = Math.Max(Array.LastIndexOf(segments, "migrations"), Array.LastIndexOf(segments, "bootstrap"));
        return (SeedFileKind.Seed, from < 0 ? name : string.Join("/", segments, from, segments.Length - from));
    }

    /// <summary>Validates folder, extension and name; returns the identity or reports why there is none.</summary>
    public static SeedFileIdentity? Identify(SeedFileText file, Action<DiagnosticInfo> report)
    {
        var location = LocationInfo.FileStart(file.FilePath);
        var relative = file.RelativePath;
        SeedPhase phase;
        if (relative.StartsWith("migrations/pre/", StringComparison.Ordinal) && relative.IndexOf('/', 15) < 0)
        {
            phase = SeedPhase.Pre;
        }
        else if (relative.StartsWith("migrations/post/", StringComparison.Ordinal) && relative.IndexOf('/', 16) < 0)
        {
            phase = SeedPhase.Post;
        }
        else if (relative.StartsWith("bootstrap/", StringComparison.Ordinal) && relative.IndexOf('/', 10) < 0)
        {
            phase = SeedPhase.Bootstrap;
        }
        else
        {
            report(DiagnosticInfo.Create(SeedingDiagnostics.WrongFolder, location, relative));
            return null;
        }

        var fileName = relative.Substring(relative.LastIndexOf('/') + 1);
        var dot = fileName.LastIndexOf('.');
        var id = fileName.Substring(0, dot);
        if (fileName.Substring(dot) != MigrationFileName.YamlExtension)
        {
            report(DiagnosticInfo.Create(SeedingDiagnostics.WrongExtension, location, relative, id + MigrationFileName.YamlExtension));
            return null;
        }

        if (phase == SeedPhase.Bootstrap)
        {
            if (!BootstrapName.IsMatch(id))
            {
                report(DiagnosticInfo.Create(SeedingDiagnostics.InvalidFileName, location, fileName, "bootstrap", "use lower-case snake_case words starting with a letter, e.g. admin_user.yaml"));
                return null;
            }

            return new SeedFileIdentity(phase, id, null, "Bootstrap" + ClassPart(id));
        }

        if (!MigrationFileName.TryParse(id, out var number, out var words))
        {
            report(DiagnosticInfo.Create(SeedingDiagnostics.InvalidFileName, location, fileName, "migration", MigrationFileName.Hint + ", e.g. 0001_initial_roles.yaml"));
            return null;
        }

        var prefix = phase == SeedPhase.Pre ? "Pre" : "Post";
        return new SeedFileIdentity(phase, id, number, prefix + number + ClassPart(words));
    }

    /// <summary>
    /// <c>initial_roles</c> → <c>InitialRoles</c>. A word starting with a digit keeps its underscore
    /// (<c>a_1</c> → <c>A_1</c>, <c>a1</c> → <c>A1</c>) so that distinct file names never share a class
    /// (or hint) name.
    /// </summary>
    private static string ClassPart(string snakeCase) =>
        string.Concat(snakeCase.Split('_').Select(word => char.IsDigit(word[0]) ? "_" + word : char.ToUpperInvariant(word[0]) + word.Substring(1)));

    private static bool IsYaml(string name) =>
        name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
