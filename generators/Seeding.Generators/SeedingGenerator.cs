using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Seeding.Generators.Binding;
using Seeding.Generators.CSharp;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Emit;
using Seeding.Generators.Model;
using Seeding.Generators.Parsing;

namespace Seeding.Generators;

/// <summary>
/// Compiles a service's YAML seed files (AdditionalFiles) into typed C#: one class per file and one
/// SeedingRegistry per assembly. Each file flows through its own parse and emit steps, so editing one file
/// re-runs only that file's steps; only slim summaries are collected for cross-file checks and the registry.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SeedingGenerator : IIncrementalGenerator
{
    private static readonly string Version = typeof(SeedingGenerator).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    // Generated files written to disk (EmitCompilerGeneratedFiles) are committed by services: UTF-8 without a BOM.
    private static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => ReadOptions(provider.GlobalOptions))
            .WithTrackingName(TrackingNames.Options);
        var assemblyName = context.CompilationProvider
            .Select(static (compilation, _) => compilation.AssemblyName ?? string.Empty)
            .WithTrackingName(TrackingNames.AssemblyName);

        var texts = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) => ReadText(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.SeedFileText)
            .Where(static text => text is not null)
            .Select(static (text, _) => text!);

        var parsedYaml = texts
            .Where(static text => text.Kind == SeedFileKind.Seed)
            .Select(static (text, cancellationToken) => SeedFileParser.Parse(text, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        // type: binding. Only the shapes of the named types reach the YAML steps, as plain data: a C# edit that
        // leaves them equal leaves every file's bind step (and all that follows) Cached.
        var typeNames = parsedYaml
            .Select(static (result, _) => result.Bindings.Select(b => b.TypeName).ToEquatableArray())
            .Collect()
            .Select(static (all, _) => all.SelectMany(names => names).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.TypeNames);
        var typeShapes = typeNames
            .Combine(context.CompilationProvider)
            .Select(static (input, cancellationToken) => input.Left.Count == 0 ? EquatableArray<TypeShape>.Empty : TypeShapeReader.Read(input.Left, input.Right, cancellationToken))
            .WithTrackingName(TrackingNames.TypeShapes);
        var parsed = parsedYaml
            .Combine(typeShapes)
            .Select(static (input, _) => Binder.Bind(input.Left, input.Right))
            .WithTrackingName(TrackingNames.Bind);
        var models = parsed
            .Select(static (result, _) => result.Model)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.SeedModel);
        var fileDiagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.FileDiagnostics);
        var summaries = parsed
            .Select(static (result, _) => result.Summary)
            .Where(static summary => summary is not null)
            .Select(static (summary, _) => summary!)
            .WithTrackingName(TrackingNames.Summary)
            .Collect()
            .WithTrackingName(TrackingNames.AllSummaries);
        var csharpMigrations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                MigrationClassReader.AttributeName,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                static (syntax, cancellationToken) => MigrationClassReader.Read(syntax, cancellationToken))
            .Where(static migration => migration is not null)
            .Select(static (migration, _) => migration!)
            .WithTrackingName(TrackingNames.CSharpMigration)
            .Collect()
            .Combine(options)
            .Select(static (input, _) => input.Left
                .Select(m => m with { FilePath = MigrationClassReader.RelativePath(m.FilePath, input.Right.ProjectDir) })
                .OrderBy(m => m.FilePath, StringComparer.Ordinal)
                .ThenBy(m => m.Location.Start)
                .ToEquatableArray())
            .WithTrackingName(TrackingNames.CSharpMigrations);
        var csharpDeclarations = csharpMigrations
            .Select(static (all, _) => all.Select(m => m with { Checksum = string.Empty }).ToEquatableArray())
            .WithTrackingName(TrackingNames.CSharpDeclarations);
        var csharpDiagnostics = csharpDeclarations
            .Select(static (all, _) => CSharpMigrationChecks.Validate(all))
            .WithTrackingName(TrackingNames.CSharpDiagnostics);
        var crossFileDiagnostics = summaries
            .Combine(csharpDeclarations)
            .Select(static (input, _) => CrossFileChecks.Run(input.Left, input.Right))
            .WithTrackingName(TrackingNames.CrossFileDiagnostics);

        var settings = texts
            .Where(static text => text.Kind == SeedFileKind.ServiceSettings)
            .Collect()
            .Select(static (files, _) => ServiceSettingsParser.Parse(files))
            .WithTrackingName(TrackingNames.ServiceSettings);
        var environmentDiagnostics = summaries
            .Combine(settings)
            .Select(static (input, _) => CrossFileChecks.CheckEnvironments(input.Left, input.Right.Settings))
            .WithTrackingName(TrackingNames.EnvironmentDiagnostics);
        var lockManifest = texts
            .Where(static text => text.Kind == SeedFileKind.LockManifest)
            .Collect()
            .Select(static (files, _) => LockManifest.Parse(files))
            .WithTrackingName(TrackingNames.LockManifest);
        var lockDiagnostics = lockManifest
            .Combine(summaries)
            .Combine(csharpMigrations.Combine(settings))
            .Select(static (input, _) => LockManifest.Check(input.Left.Left, input.Left.Right, input.Right.Left, input.Right.Right.Settings.Service))
            .WithTrackingName(TrackingNames.LockDiagnostics);
        var emitContext = settings
            .Combine(options)
            .Combine(assemblyName)
            .Select(static (input, _) => new EmitContext(ResolveNamespace(input.Left.Left.Settings, input.Left.Right, input.Right), Version, EmitContext.ParseThreshold(input.Left.Right.CompactThreshold)))
            .WithTrackingName(TrackingNames.EmitContext);
        var registry = summaries
            .Combine(settings)
            .Combine(options.Combine(assemblyName))
            .Combine(emitContext.Combine(csharpMigrations))
            .Select(static (input, _) => BuildRegistry(input.Left.Left.Left, input.Left.Left.Right, input.Left.Right.Left, input.Left.Right.Right, input.Right.Left, input.Right.Right))
            .WithTrackingName(TrackingNames.Registry);

        context.RegisterSourceOutput(models.Combine(emitContext).WithTrackingName(TrackingNames.SeedSource), static (spc, input) =>
            Emit(spc, input.Left.RelativePath, SeedFileEmitter.HintName(input.Left), () => SeedFileEmitter.Emit(input.Left, input.Right)));
        context.RegisterSourceOutput(registry, static (spc, model) =>
        {
            if (model is not null)
            {
                Emit(spc, "the registry", RegistryEmitter.HintName, () => RegistryEmitter.Emit(model));
            }
        });
        context.RegisterSourceOutput(fileDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
        context.RegisterSourceOutput(crossFileDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
        context.RegisterSourceOutput(settings, static (spc, result) => Report(spc, result.Diagnostics));
        context.RegisterSourceOutput(csharpDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
        context.RegisterSourceOutput(environmentDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
        context.RegisterSourceOutput(lockDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
    }

    private static GeneratorOptions ReadOptions(AnalyzerConfigOptions options)
    {
        string? Get(string name) => options.TryGetValue("build_property." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        return new GeneratorOptions(Get("RootNamespace"), Get("AssemblyName"), Get("SeedingNamespace"), Get("ProjectDir"), Get("SeedingCompactThreshold"));
    }

    private static SeedFileText? ReadText(AdditionalText text, AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
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

    /// <summary>seeding.yaml <c>namespace</c>, else the SeedingNamespace property, else {RootNamespace}.Seeds.</summary>
    private static string ResolveNamespace(ServiceSettingsModel settings, GeneratorOptions options, string assemblyName)
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

    private static RegistryModel? BuildRegistry(
        ImmutableArray<SeedFileSummary> summaries, ServiceSettingsResult settings, GeneratorOptions options, string assemblyName, EmitContext context, EquatableArray<CSharpMigrationInfo> migrations)
    {
        if (summaries.IsDefaultOrEmpty && !settings.Exists && migrations.Count == 0)
        {
            return null;
        }

        var service = settings.Settings.Service ?? (options.AssemblyName ?? assemblyName).ToLowerInvariant();
        var yaml = summaries
            .Where(s => s.ClassName is not null)
            .Select(s => (s.Phase, s.Id, Path: s.RelativePath, Entry: s.ClassName! + ".Definition"));
        var code = migrations
            .Where(CSharpMigrationChecks.IsRegistrable)
            .Select(m => (Phase: CSharpMigrationChecks.PhaseOf(m)!.Value, m.Id, Path: m.FilePath, Entry: CSharpMigrationChecks.RegistryEntry(m)));
        var entries = yaml.Concat(code)
            .OrderBy(e => e.Phase)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ThenBy(e => e.Path, StringComparer.Ordinal)
            .Select(e => e.Entry)
            .Distinct(StringComparer.Ordinal)
            .ToEquatableArray();
        return new RegistryModel(context, service.Length == 0 ? "service" : service, settings.Settings.DependsOn, entries);
    }

    private static void Emit(SourceProductionContext context, string source, string hintName, Func<string> render)
    {
        try
        {
            context.AddSource(hintName, SourceText.From(render(), Utf8NoBom));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(SeedingDiagnostics.InternalError, Location.None, ex.GetType().Name, $"{source}: {ex.Message}"));
        }
    }

    private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}
