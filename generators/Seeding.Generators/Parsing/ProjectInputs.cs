using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>Reads what the compiler hands the generator (MSBuild properties, additional files) into plain data.</summary>
internal static class ProjectInputs
{
    /// <summary>The MSBuild properties the generator reads (CompilerVisibleProperty in Seeding.props).</summary>
    public static GeneratorOptions ReadOptions(AnalyzerConfigOptions options)
    {
        string? Get(string name) => options.TryGetValue("build_property." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        return new GeneratorOptions(Get("RootNamespace"), Get("AssemblyName"), Get("SeedingNamespace"), Get("ProjectDir"), Get("SeedingCompactThreshold"));
    }

    /// <summary>A seed file, seeding.yaml or the lock manifest with its text; null for any other additional file.</summary>
    public static SeedFileText? ReadText(AdditionalText text, AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
    {
        bool? seedingFile = options.GetOptions(text).TryGetValue("build_metadata.AdditionalFiles.SeedingFile", out var flag) && !string.IsNullOrWhiteSpace(flag)
            ? string.Equals(flag.Trim(), "true", StringComparison.OrdinalIgnoreCase)
            : null;
        var (kind, relativePath) = SeedFilePath.Classify(text.Path, seedingFile);
        if (kind == SeedFileKind.None)
        {
            return null;
        }

        try
        {
            var content = text.GetText(cancellationToken)?.ToString() ?? string.Empty;
            return new SeedFileText(text.Path, relativePath, kind, content);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new SeedFileText(text.Path, relativePath, kind, string.Empty, $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
