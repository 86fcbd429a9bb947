using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Seeding.Generators.Tests;

/// <summary>
/// The driver's step tracking shows that editing one YAML file re-runs only that file's steps, and that a
/// C#-only edit re-runs nothing that depends on YAML.
/// </summary>
public sealed class IncrementalityTests
{
    private const int FileCount = 25;
    private const int EditedIndex = 7;

    /// <summary>Every step name the generator declares (the driver also tracks its own input nodes).</summary>
    private static readonly HashSet<string> OwnStepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetValue(null)!)
        .ToHashSet();

    [Fact]
    public void EditingOneValueReRunsOnlyThatFile()
    {
        var (files, driver, compilation) = Start();
        driver = driver.ReplaceAdditionalText(files[EditedIndex], GeneratorHarness.File(PathOf(EditedIndex), Yaml(EditedIndex, level: 99)));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (var step in new[] { TrackingNames.SeedFileText, TrackingNames.Parse, TrackingNames.SeedModel, TrackingNames.Summary, TrackingNames.SeedSource })
        {
            AssertOnlyOneModified(result, step);
        }

        // Same (empty) diagnostics for the edited file; none re-reported for the others.
        AssertReasons(result, TrackingNames.FileDiagnostics, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);

        // The registry only lists classes: unchanged by a value edit.
        AssertReasons(result, TrackingNames.Registry, IncrementalStepRunReason.Unchanged);
        AssertReasons(result, TrackingNames.EmitContext, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void ShiftingLinesInOneFileReEmitsOnlyThatFile()
    {
        var (files, driver, compilation) = Start();
        driver = driver.ReplaceAdditionalText(files[EditedIndex], GeneratorHarness.File(PathOf(EditedIndex), "# a new comment line\n\n" + Yaml(EditedIndex)));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        AssertOnlyOneModified(result, TrackingNames.Parse);
        AssertOnlyOneModified(result, TrackingNames.SeedSource);
        AssertReasons(result, TrackingNames.CrossFileDiagnostics, IncrementalStepRunReason.Unchanged);
        AssertReasons(result, TrackingNames.Registry, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void CSharpOnlyEditLeavesEveryYamlStepCached()
    {
        var (_, driver, compilation) = Start();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Acme.Users { internal static class Added { } }", GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var (name, steps) in result.TrackedSteps.Where(s => OwnStepNames.Contains(s.Key)))
        {
            // The assembly name is read from the compilation, so its step re-runs, but its value is the same.
            // So are the bound types' shapes: re-read, and equal.
            var expected = name is TrackingNames.AssemblyName or TrackingNames.TypeShapes ? IncrementalStepRunReason.Unchanged : IncrementalStepRunReason.Cached;
            Assert.All(steps.SelectMany(s => s.Outputs), output => Assert.Equal(expected, output.Reason));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void CSharpEditKeepingTheBoundShapeLeavesBoundYamlCached()
    {
        const string Path = "migrations/pre/0001_bound_roles.yaml";
        var files = new List<AdditionalText> { GeneratorHarness.File(Path, TypeBindingTests.BoundYaml), GeneratorHarness.File("migrations/pre/0002_plain.yaml", Yaml(1)) };
        var compilation = GeneratorHarness.Compilation(TypeBindingTests.RoleSource);
        var driver = GeneratorHarness.Driver(files).RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);

        // A method added to the bound type and a new class: same shape, so nothing downstream of the shapes re-runs.
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(
            TypeBindingTests.RoleSource.Replace("public string? Description", "public override string ToString() => Name;\n        public string? Description", StringComparison.Ordinal) + "\nnamespace Acme.Users { internal static class Added { } }",
            GeneratorHarness.ParseOptions,
            tree.FilePath));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();
        AssertReasons(result, TrackingNames.TypeShapes, IncrementalStepRunReason.Unchanged);
        foreach (var step in new[] { TrackingNames.Parse, TrackingNames.Bind, TrackingNames.SeedModel, TrackingNames.Summary, TrackingNames.SeedSource, TrackingNames.Registry })
        {
            AssertReasons(result, step, IncrementalStepRunReason.Cached);
        }

        // A new property changes the shape: the bound file re-binds and re-emits; the plain file stays as it was.
        var reshaped = edited.ReplaceSyntaxTree(edited.SyntaxTrees.Single(t => t.FilePath == tree.FilePath), CSharpSyntaxTree.ParseText(
            TypeBindingTests.RoleSource.Replace("public string? Description", "public string? Note { get; set; }\n        public string? Description", StringComparison.Ordinal),
            GeneratorHarness.ParseOptions,
            tree.FilePath));
        result = driver.RunGenerators(reshaped).GetRunResult().Results.Single();
        AssertReasons(result, TrackingNames.TypeShapes, IncrementalStepRunReason.Modified);
        AssertReasons(result, TrackingNames.Parse, IncrementalStepRunReason.Cached);
        AssertOnlyOneModified(result, TrackingNames.SeedSource);
    }

    [Fact]
    public void AddingAFileLeavesTheOthersCached()
    {
        var (_, driver, compilation) = Start();
        driver = driver.AddAdditionalTexts([GeneratorHarness.File(PathOf(FileCount), Yaml(FileCount))]);
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        var parse = Outputs(result, TrackingNames.Parse);
        Assert.Equal(FileCount, parse.Count(o => o.Reason == IncrementalStepRunReason.Cached));
        Assert.Equal(1, parse.Count(o => o.Reason == IncrementalStepRunReason.New));
        AssertReasons(result, TrackingNames.Registry, IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void NoModelHoldsRoslynObjects()
    {
        var (files, driver, compilation) = Start();
        driver = driver.ReplaceAdditionalText(files[0], GeneratorHarness.File(PathOf(0), "create: roles\ndocuments:\n  - { id: a, level: x }\n  - { id: b, level: 1 }\n"));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var output in result.TrackedSteps.Where(s => OwnStepNames.Contains(s.Key)).SelectMany(s => s.Value).SelectMany(s => s.Outputs))
        {
            AssertNoRoslynObjects(output.Value, visited, "step output");
        }

        Assert.Contains(result.Diagnostics, d => d.Id == "SEED014");
        Assert.True(OwnStepNames.All(result.TrackedSteps.ContainsKey), "every named step ran and was tracked");
    }

    private static (List<AdditionalText> Files, GeneratorDriver Driver, Compilation Compilation) Start()
    {
        var files = Enumerable.Range(0, FileCount).Select(i => GeneratorHarness.File(PathOf(i), Yaml(i))).ToList();
        files.Add(GeneratorHarness.File("seeding.yaml", "service: user\n"));
        var compilation = GeneratorHarness.Compilation(MigrationSource());
        var driver = GeneratorHarness.Driver(files).RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        return (files, driver, compilation);
    }

    /// <summary>A C# migration in the project, so the C# part of the pipeline runs too.</summary>
    private static string MigrationSource(string body = "return Task.CompletedTask;") => $$"""
        using System.Threading;
        using System.Threading.Tasks;
        using Seeding.Definitions;
        using Seeding.Running;

        namespace Acme.Users
        {
            [Migration("0001_migrate_consents", SeedPhase.Post, Description = "Consents to platform_consent")]
            internal sealed class MigrateConsents : IMigration
            {
                public Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken)
                {
                    {{body}}
                }
            }
        }
        """;

    private static string PathOf(int i) => $"migrations/pre/{i + 1:0000}_roles_{i}.yaml";

    private static string Yaml(int i, int level = 1) =>
        $"description: File {i}\ncreate: roles_{i}\ndocuments:\n  - {{ id: admin, level: {level} }}\n  - {{ id: user, level: 2 }}\n";

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs);

    private static void AssertOnlyOneModified(GeneratorRunResult result, string step)
    {
        var outputs = Outputs(result, step).ToList();
        Assert.True(outputs.Count(o => o.Reason == IncrementalStepRunReason.Modified) == 1, $"{step}: {string.Join(", ", outputs.Select(o => o.Reason))}");
        Assert.All(outputs.Where(o => o.Reason != IncrementalStepRunReason.Modified), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static void AssertReasons(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        var outputs = Outputs(result, step).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Contains(o.Reason, allowed));
    }

    private static void AssertNoRoslynObjects(object? value, HashSet<object> visited, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Assert.False(
            value is Compilation or ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Location or AdditionalText,
            $"{path} holds a {value.GetType().Name}: models must be plain equatable data");
        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                AssertNoRoslynObjects(item, visited, path + "[]");
            }
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), visited, path + "." + field.Name);
        }
    }
}
