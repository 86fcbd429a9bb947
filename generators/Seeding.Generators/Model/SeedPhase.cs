namespace Seeding.Generators.Model;

/// <summary>
/// When a seed file runs, as the generator's model holds it. Generated code writes the member names into the
/// runtime's own enum (<c>global::Seeding.Definitions.SeedPhase.Pre</c>), and the generator reads a C# migration's
/// <c>[Migration]</c> phase by member name too, so the names are the contract: <c>SharedRuleTests</c> holds them
/// equal to the runtime's, and a name the runtime lacks would not compile.
/// </summary>
internal enum SeedPhase
{
    /// <summary>A pre-deploy migration (<c>migrations/pre/</c>).</summary>
    Pre,

    /// <summary>A post-deploy migration (<c>migrations/post/</c>).</summary>
    Post,

    /// <summary>A bootstrap seed (<c>bootstrap/</c>).</summary>
    Bootstrap,
}
