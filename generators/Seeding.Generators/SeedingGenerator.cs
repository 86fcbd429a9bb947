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
using Seeding.Generators.Checks;
using Seeding.Generators.Descriptors;
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
            .Select(static (provider, _) => ProjectInputs.ReadOptions(provider.GlobalOptions))
            .WithTrackingName(TrackingNames.Options);
        var assemblyName = context.CompilationProvider
            .Select(static (compilation, _) => compilation.AssemblyName ?? string.Empty)
            .WithTrackingName(TrackingNames.AssemblyName);

        var texts = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) => ProjectInputs.ReadText(pair.Left, pair.Right, cancellationToken))
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
            .Select(static (input, cancellationToken) =>
            {
                var (names, compilation) = input;
                return names.Count == 0 ? EquatableArray<TypeShape>.Empty : TypeShapeReader.Read(names, compilation, cancellationToken);
            })
            .WithTrackingName(TrackingNames.TypeShapes);
        var parsed = parsedYaml
            .Combine(typeShapes)
            .Select(static (input, _) => Binder.Bind(parsed: input.Left, shapes: input.Right))
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
            .Select(static (input, _) =>
            {
                var (migrations, project) = input;
                return migrations
                    .Select(m => m with { FilePath = MigrationClassReader.RelativePath(m.FilePath, project.ProjectDir) })
                    .OrderBy(m => m.FilePath, StringComparer.Ordinal)
                    .ThenBy(m => m.Location.Start)
                    .ToEquatableArray();
            })
            .WithTrackingName(TrackingNames.CSharpMigrations);
        var csharpDeclarations = csharpMigrations
            .Select(static (all, _) => all.Select(m => m with { Checksum = string.Empty }).ToEquatableArray())
            .WithTrackingName(TrackingNames.CSharpDeclarations);
        var csharpDiagnostics = csharpDeclarations
            .Select(static (all, _) => CSharpMigrationChecks.Validate(all))
            .WithTrackingName(TrackingNames.CSharpDiagnostics);
        var crossFileDiagnostics = summaries
            .Select(static (all, _) => CrossFileChecks.Run(all))
            .WithTrackingName(TrackingNames.CrossFileDiagnostics);

        var settings = texts
            .Where(static text => text.Kind == SeedFileKind.ServiceSettings)
            .Collect()
            .Select(static (files, _) => ServiceSettingsParser.Parse(files))
            .WithTrackingName(TrackingNames.ServiceSettings);
        var environmentDiagnostics = summaries
            .Combine(settings)
            .Select(static (input, _) => CrossFileChecks.CheckEnvironments(summaries: input.Left, settings: input.Right.Settings))
            .WithTrackingName(TrackingNames.EnvironmentDiagnostics);
        var lockManifest = texts
            .Where(static text => text.Kind == SeedFileKind.LockManifest)
            .Collect()
            .Select(static (files, _) => LockManifest.Parse(files))
            .WithTrackingName(TrackingNames.LockManifest);
        var lockedKeys = lockManifest
            .Select(static (manifest, _) => manifest.Entries.Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.LockedKeys);
        var numberDiagnostics = summaries
            .Combine(csharpDeclarations)
            .Combine(lockedKeys)
            .Select(static (input, _) => MigrationNumberChecks.Run(summaries: input.Left.Left, migrations: input.Left.Right, lockedKeys: input.Right))
            .WithTrackingName(TrackingNames.NumberDiagnostics);
        var lockDiagnostics = lockManifest
            .Combine(summaries)
            .Combine(csharpMigrations.Combine(settings))
            .Select(static (input, _) =>
            {
                var ((manifest, yaml), (code, service)) = input;
                return LockChecks.Check(manifest, yaml, code, service.Settings.Service);
            })
            .WithTrackingName(TrackingNames.LockDiagnostics);
        var emitContext = settings
            .Combine(options)
            .Combine(assemblyName)
            .Select(static (input, _) =>
            {
                var ((service, project), assembly) = input;
                return new EmitContext(RegistryBuilder.ResolveNamespace(service.Settings, project, assembly), Version, EmitContext.ParseThreshold(project.CompactThreshold));
            })
            .WithTrackingName(TrackingNames.EmitContext);
        var registry = summaries
            .Combine(settings)
            .Combine(options.Combine(assemblyName))
            .Combine(emitContext.Combine(csharpMigrations))
            .Select(static (input, _) =>
            {
                var (((yaml, service), (project, assembly)), (emit, code)) = input;
                return RegistryBuilder.Build(new RegistryInputs(yaml, service, project, assembly, emit, code));
            })
            .WithTrackingName(TrackingNames.Registry);

        context.RegisterSourceOutput(models.Combine(emitContext).WithTrackingName(TrackingNames.SeedSource), static (spc, input) =>
        {
            var (model, emit) = input;
            Emit(spc, model.RelativePath, SeedFileEmitter.HintName(model), () => SeedFileEmitter.Emit(model, emit));
        });
        context.RegisterSourceOutput(registry, static (spc, model) =>
        {
            if (model is not null)
            {
                Emit(spc, "the registry", RegistryEmitter.HintName, () => RegistryEmitter.Emit(model));
            }
        });
        context.RegisterSourceOutput(fileDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
        context.RegisterSourceOutput(crossFileDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
        context.RegisterSourceOutput(numberDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
        context.RegisterSourceOutput(settings, static (spc, result) => Report(spc, result.Diagnostics));
        context.RegisterSourceOutput(csharpDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
        context.RegisterSourceOutput(environmentDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
        context.RegisterSourceOutput(lockDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
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
