using System;
using System.Collections.Immutable;
using System.Linq;
using Seeding.Generators.Model;
using Seeding.Generators.Parsing;

namespace Seeding.Generators.Descriptors;

/// <summary>The service-wide inputs of the registry, gathered by the pipeline.</summary>
internal sealed record RegistryInputs(
    ImmutableArray<SeedFileSummary> Summaries,
    ServiceSettingsResult Settings,
    GeneratorOptions Options,
    string AssemblyName,
    EmitContext Context,
    EquatableArray<CSharpMigrationInfo> Migrations);

/// <summary>Builds what the registry and every seed class share: the namespace, the service name and the sorted entries.</summary>
internal static class RegistryBuilder
{
    /// <summary>The registry, or null when the project has no seed file, no seeding.yaml and no C# migration.</summary>
    public static RegistryModel? Build(RegistryInputs inputs)
    {
        var (summaries, settings, options, migrations) = (inputs.Summaries, inputs.Settings, inputs.Options, inputs.Migrations);
        if (summaries.IsDefaultOrEmpty && !settings.Exists && migrations.Count == 0)
        {
            return null;
        }

        var service = settings.Settings.Service ?? (options.AssemblyName ?? inputs.AssemblyName).ToLowerInvariant();
        var yaml = summaries
            .Where(s => s.ClassName is not null)
            .Select(s => new RegistryEntry(s.Phase, s.Id, s.RelativePath, s.ClassName!, null));
        var code = migrations
            .Where(m => m.IsRegistrable)
            .Select(m => new RegistryEntry(m.Phase!.Value, m.Id, m.FilePath, m.ClassName, new CodeMigrationEntry(m.Checksum, m.Description)));
        var entries = yaml.Concat(code)
            .OrderBy(e => e.Phase)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ThenBy(e => e.FilePath, StringComparer.Ordinal)
            .Distinct()
            .ToEquatableArray();
        return new RegistryModel(inputs.Context, service.Length == 0 ? "service" : service, settings.Settings.DependsOn, entries);
    }

    /// <summary>seeding.yaml <c>namespace</c>, else the SeedingNamespace property, else {RootNamespace}.Seeds.</summary>
    public static string ResolveNamespace(ServiceSettingsModel settings, GeneratorOptions options, string assemblyName)
    {
        if (settings.Namespace is not null)
        {
            return settings.Namespace;
        }

        if (options.SeedingNamespace is not null)
        {
            return SanitizeNamespace(options.SeedingNamespace);
        }

        return SanitizeNamespace((options.RootNamespace ?? options.AssemblyName ?? assemblyName) + ".Seeds");
    }

    private static string SanitizeNamespace(string text)
    {
        var parts = text.Split('.')
            .Select(part => new string(part.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray()))
            .Where(part => part.Length > 0)
            .Select(part => char.IsDigit(part[0]) || !ServiceSettingsParser.IsNamespace(part) ? "_" + part : part)
            .ToArray();
        return parts.Length == 0 ? "Seeding.Generated" : string.Join(".", parts);
    }
}
