using static Seeding.Generators.Tests.SeedLanguageSamples;

namespace Seeding.Generators.Tests;

/// <summary>seeding.lock.json: a locked (applied) migration that changed is a compile error; reformatting is not a change.</summary>
public sealed class LockManifestTests
{
    private const string Roles = SeedSamples.InitialRolesPath;

    [Fact]
    public void AChangedLockedMigrationIsAnErrorAtLineOne()
    {
        var run = Run(SeedSamples.InitialRoles.Replace("level: 10", "level: 11", StringComparison.Ordinal));
        var diagnostic = DiagnosticTests.AssertReported(run, "SEED033", Roles, 1, 1);
        Assert.Contains("'pre/0001_initial_roles' is locked", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("add a new migration", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void WhitespaceCommentsKeyOrderAndLineEndingsAreNotChanges()
    {
        var reformatted = "# reordered\r\n" + SeedSamples.InitialRoles
            .Replace("{ id: user,           name: User,           level: 10 }", "{ level: 10, name: User, id: user }   # same", StringComparison.Ordinal)
            .Replace("\n", "\r\n", StringComparison.Ordinal);
        Run(reformatted).AssertClean();
    }

    [Fact]
    public void AChangedLockedCSharpMigrationIsReportedAtItsAttribute()
    {
        var locked = SeedLanguageTests.Registry(GeneratorHarness.RunWithCode(MigrateConsents)).Seeds.Single().Checksum;
        var manifest = "{\"version\": 1, \"migrations\": {\"post/0002_migrate_consents\": \"" + locked + "\"}}";
        var changed = MigrateConsents.Replace("\"denied\"", "\"refused\"", StringComparison.Ordinal);
        GeneratorHarness.RunWithCode(MigrateConsents, ("seeding.lock.json", manifest)).AssertClean();
        var run = GeneratorHarness.RunWithCode(changed, ("seeding.lock.json", manifest));
        Assert.Equal("SEED033", Assert.Single(run.Diagnostics).Id);
        Assert.Equal(GeneratorHarness.ProjectDir + "Program.cs", run.Diagnostics[0].Location.GetLineSpan().Path);
    }

    [Theory]
    [InlineData("{\"version\": 2, \"migrations\": {}}", 1, 13)]
    [InlineData("{\"version\": 1, \"migrations\": {\"pre/0001_initial_roles\": 42}}", 1, 57)]
    [InlineData("{\"version\": 1, \"service\": \"tenant\", \"migrations\": {}}", 1, 1)]
    public void AnInvalidManifestIsReported(string manifest, int line, int column)
    {
        var run = GeneratorHarness.Run(("seeding.yaml", "service: user\n"), (Roles, SeedSamples.InitialRoles), ("seeding.lock.json", manifest));
        DiagnosticTests.AssertReported(run, "SEED034", "seeding.lock.json", line, column);
    }

    private static GeneratorRun Run(string roles)
    {
        var checksum = SeedLanguageTests.Registry(GeneratorHarness.Run((Roles, SeedSamples.InitialRoles)).AssertClean()).Seeds.Single().Checksum;
        var manifest = "{\n  \"version\": 1,\n  \"service\": \"user\",\n  \"migrations\": {\n    \"pre/0001_initial_roles\": \"" + checksum + "\"\n  }\n}\n";
        return GeneratorHarness.Run(("seeding.yaml", "service: user\n"), (Roles, roles), ("seeding.lock.json", manifest));
    }
}
