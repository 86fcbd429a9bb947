namespace Seeding.Generators.Model;

/// <summary>
/// A C# migration as plain data, taken from its <c>[Migration]</c> class: nothing from Roslyn is kept, so the
/// pipeline compares it by value. Phase is pre or post, null for any other value (a C# migration is recorded in
/// history, so never bootstrap); Number is the NNNN of a well-formed id, else null; Problems lists why the class cannot
/// be registered (no IMigration, no public parameterless constructor, ...), each a sentence that follows the class's
/// Name; ClassName is the global:: name the registry creates.
/// </summary>
internal sealed record CSharpMigrationInfo(
    string Id,
    SeedPhase? Phase,
    string? Number,
    string Name,
    string ClassName,
    string? Description,
    string FilePath,
    string Checksum,
    LocationInfo Location,
    EquatableArray<string> Problems)
{
    /// <summary>True when the migration can be listed in the registry.</summary>
    public bool IsRegistrable => Problems.Count == 0 && Phase is not null && Number is not null;
}
