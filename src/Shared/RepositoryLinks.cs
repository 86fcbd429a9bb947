using System;
using System.Reflection;

namespace Seeding;

/// <summary>
/// Addresses inside the project's repository, all built from the one <c>SeedingRepositoryUrl</c> property in
/// Directory.Build.props, which the build stamps into this assembly as <c>[AssemblyMetadata("SeedingRepositoryUrl")]</c>.
/// Compiled into the generator (help links of diagnostics) and the command line (the schema line of the files it writes).
/// </summary>
internal static class RepositoryLinks
{
    /// <summary>The repository's web address, e.g. <c>https://github.com/owner/name</c>, without a trailing slash.</summary>
    public static readonly string Repository = ReadRepositoryUrl();

    /// <summary>The published JSON Schema of seed files (migrations and bootstrap seeds).</summary>
    public static string SeedFileSchema => RawFile("docs/schema/seed-file.schema.json");

    /// <summary>The published JSON Schema of <c>seeding.yaml</c>.</summary>
    public static string ServiceSettingsSchema => RawFile("docs/schema/seeding.schema.json");

    /// <summary>The help page of one diagnostic: its section in docs/diagnostics.md on the repository's web page.</summary>
    public static string Diagnostic(string id) => Repository + "/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant();

    /// <summary>
    /// A file's raw content at the main branch: editors fetch schemas from here, so it must serve JSON, not a web page.
    /// </summary>
    private static string RawFile(string path)
    {
        const string GitHub = "https://github.com/";
        return Repository.StartsWith(GitHub, StringComparison.OrdinalIgnoreCase)
            ? "https://raw.githubusercontent.com/" + Repository.Substring(GitHub.Length) + "/main/" + path
            : Repository + "/raw/main/" + path;
    }

    private static string ReadRepositoryUrl()
    {
        foreach (AssemblyMetadataAttribute attribute in typeof(RepositoryLinks).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), inherit: false))
        {
            if (attribute.Key == "SeedingRepositoryUrl" && !string.IsNullOrEmpty(attribute.Value))
            {
                return attribute.Value!.TrimEnd('/');
            }
        }

        throw new InvalidOperationException("This assembly was built without [AssemblyMetadata(\"SeedingRepositoryUrl\")]: set SeedingEmbedRepositoryUrl in its project file.");
    }
}
