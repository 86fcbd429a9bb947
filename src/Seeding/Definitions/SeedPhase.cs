namespace Seeding.Definitions;

/// <summary>When a seed file runs.</summary>
/// <remarks>Generated code names these members; the generator's model keeps the same names (checked by its tests).</remarks>
public enum SeedPhase
{
    /// <summary>A pre-deploy migration (<c>migrations/pre/</c>): applied once, before the new version serves, recorded in history.</summary>
    Pre,

    /// <summary>A post-deploy migration (<c>migrations/post/</c>): applied once, after deploy, recorded in history.</summary>
    Post,

    /// <summary>A bootstrap seed (<c>bootstrap/</c>): ensured on every startup, never recorded, free to edit.</summary>
    Bootstrap,
}
