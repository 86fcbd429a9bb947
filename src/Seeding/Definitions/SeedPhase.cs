// The generator compiles this file too (as a linked source, see Seeding.Generators.csproj): one list of phases, with
// the member names generated code writes (SeedPhase.Pre). There it is internal and in the generator's model
// namespace, so code that sees both assemblies (the generator's tests) never finds two Seeding.Definitions.SeedPhase.
#if SEEDING_GENERATOR
namespace Seeding.Generators.Model;
#else
namespace Seeding.Definitions;
#endif

/// <summary>When a seed file runs.</summary>
#if SEEDING_GENERATOR
internal
#else
public
#endif
enum SeedPhase
{
    /// <summary>A pre-deploy migration (<c>migrations/pre/</c>): applied once, before the new version serves, recorded in history.</summary>
    Pre,

    /// <summary>A post-deploy migration (<c>migrations/post/</c>): applied once, after deploy, recorded in history.</summary>
    Post,

    /// <summary>A bootstrap seed (<c>bootstrap/</c>): ensured on every startup, never recorded, free to edit.</summary>
    Bootstrap,
}
