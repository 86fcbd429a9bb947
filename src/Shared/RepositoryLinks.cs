using System;
using System.Reflection;

namespace Seeding;

/// <summary>
/// Addresses inside the project's repository, all built from the one <c>SeedingRepositoryUrl</c> property in
/// Directory.Build.props, which the build stamps into this assembly as <c>[AssemblyMetadata("SeedingRepositoryUrl")]</c>.
/// Compiled into the generator (help links of diagnostics). The property is empty until the project has a public
/// repository: then nothing links anywhere, rather than to an address that does not exist.
/// </summary>
internal static class RepositoryLinks
{
    /// <summary>The repository's web address, e.g. <c>https://github.com/owner/name</c>, without a trailing slash; null when the build named none.</summary>
    public static readonly string? Repository = ReadRepositoryUrl();

    /// <summary>
    /// The help page of one diagnostic: its section in docs/diagnostics.md on the repository's web page, or null (no help
    /// link) when the build named no repository.
    /// </summary>
    public static string? Diagnostic(string id) => Repository is null ? null : Repository + "/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant();

    private static string? ReadRepositoryUrl()
    {
        foreach (AssemblyMetadataAttribute attribute in typeof(RepositoryLinks).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), inherit: false))
        {
            if (attribute.Key == "SeedingRepositoryUrl")
            {
                return string.IsNullOrWhiteSpace(attribute.Value) ? null : attribute.Value!.Trim().TrimEnd('/');
            }
        }

        throw new InvalidOperationException("This assembly was built without [AssemblyMetadata(\"SeedingRepositoryUrl\")]: set SeedingEmbedRepositoryUrl in its project file.");
    }
}
