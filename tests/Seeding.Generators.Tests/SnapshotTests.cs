namespace Seeding.Generators.Tests;

/// <summary>The generated code for the seed-format examples, reviewed as snapshots.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public void InitialRoles()
    {
        var run = GeneratorHarness.Run((SeedSamples.InitialRolesPath, SeedSamples.InitialRoles)).AssertClean();
        SnapshotAssert.Matches("Pre0001InitialRoles", run.Source("Pre0001InitialRoles.g.cs"));
    }

    [Fact]
    public void DefaultSettingsWithStepsAndUpsert()
    {
        var run = GeneratorHarness.Run((SeedSamples.DefaultSettingsPath, SeedSamples.DefaultSettings)).AssertClean();
        SnapshotAssert.Matches("Pre0002DefaultSettings", run.Source("Pre0002DefaultSettings.g.cs"));
    }

    [Fact]
    public void ValueKindsAndInference()
    {
        var run = GeneratorHarness.Run((SeedSamples.ValueKindsPath, SeedSamples.ValueKinds)).AssertClean();
        SnapshotAssert.Matches("Post0001ValueKinds", run.Source("Post0001ValueKinds.g.cs"));
    }

    [Fact]
    public void PubSubTopicsAndSubscriptions()
    {
        var run = GeneratorHarness.Run((SeedSamples.AuditTopicsPath, SeedSamples.AuditTopics)).AssertClean();
        SnapshotAssert.Matches("Pre0002AuditTopics", run.Source("Pre0002AuditTopics.g.cs"));
    }

    [Fact]
    public void FirestoreIndexesAndFieldOverrides()
    {
        var run = GeneratorHarness.Run((SeedSamples.UserIndexesPath, SeedSamples.UserIndexes)).AssertClean();
        SnapshotAssert.Matches("Pre0003UserIndexes", run.Source("Pre0003UserIndexes.g.cs"));
    }

    [Fact]
    public void Registry()
    {
        var run = GeneratorHarness.Run(
            ("seeding.yaml", SeedSamples.ServiceSettings),
            (SeedSamples.AdminUserPath, SeedSamples.AdminUser),
            (SeedSamples.DefaultSettingsPath, SeedSamples.DefaultSettings),
            (SeedSamples.ValueKindsPath, SeedSamples.ValueKinds),
            (SeedSamples.InitialRolesPath, SeedSamples.InitialRoles)).AssertClean();
        Assert.Equal(
            ["BootstrapAdminUser.g.cs", "Post0001ValueKinds.g.cs", "Pre0001InitialRoles.g.cs", "Pre0002DefaultSettings.g.cs", "SeedingRegistry.g.cs"],
            run.HintNames);
        SnapshotAssert.Matches("SeedingRegistry", run.Source("SeedingRegistry.g.cs"));
    }

    [Fact]
    public void NoSeedFilesMeansNoRegistry()
    {
        var run = GeneratorHarness.Run().AssertClean();
        Assert.Empty(run.HintNames);
    }

    [Fact]
    public void SeedingYamlAloneEmitsAnEmptyRegistry()
    {
        var run = GeneratorHarness.Run(("seeding.yaml", "service: audit\nnamespace: Acme.Audit.Data\n")).AssertClean();
        var registry = run.Source("SeedingRegistry.g.cs");
        Assert.Contains("namespace Acme.Audit.Data;", registry, StringComparison.Ordinal);
        Assert.Contains("\"audit\",", registry, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceNameDefaultsToTheLowerCasedAssemblyName()
    {
        var run = GeneratorHarness.Run((SeedSamples.InitialRolesPath, SeedSamples.InitialRoles)).AssertClean();
        var registry = run.Source("SeedingRegistry.g.cs");
        Assert.Contains("\"acme.users\",", registry, StringComparison.Ordinal);
        Assert.Contains("namespace Acme.Users.Seeds;", registry, StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratedCodeNeverMentionsTheMachinePath()
    {
        var run = GeneratorHarness.Run((SeedSamples.InitialRolesPath, SeedSamples.InitialRoles), (SeedSamples.AdminUserPath, SeedSamples.AdminUser)).AssertClean();
        foreach (var source in run.Result.GeneratedSources)
        {
            Assert.DoesNotContain(GeneratorHarness.ProjectDir, source.SourceText.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("\r", source.SourceText.ToString(), StringComparison.Ordinal);
        }
    }
}
