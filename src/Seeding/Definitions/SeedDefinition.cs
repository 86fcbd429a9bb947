using System.ComponentModel;

namespace Seeding.Definitions;

/// <summary>
/// One compiled seed file: a migration (pre or post, applied once and recorded with its checksum) or a bootstrap
/// seed (ensured on every run). The generator emits one per YAML file.
/// </summary>
public sealed class SeedDefinition
{
    private readonly Lazy<IReadOnlyList<SeedStep>> _steps;

    /// <summary>Creates a definition. Generated code calls this; hand-written code rarely needs to.</summary>
    /// <param name="id">The file name without extension, e.g. <c>0001_initial_roles</c> or <c>admin_user</c>.</param>
    /// <param name="phase">When it runs.</param>
    /// <param name="checksum">The checksum of the file's canonical parsed content, e.g. <c>sha256:…</c>.</param>
    /// <param name="sourcePath">The file's path relative to the service project, e.g. <c>migrations/pre/0001_initial_roles.yaml</c>.</param>
    /// <param name="description">The file's <c>description</c>, if any.</param>
    /// <param name="steps">The steps, in file order.</param>
    public SeedDefinition(string id, SeedPhase phase, string checksum, string sourcePath, string? description, IReadOnlyList<SeedStep> steps)
        : this(id, phase, checksum, sourcePath, description, new Lazy<IReadOnlyList<SeedStep>>(steps ?? throw new ArgumentNullException(nameof(steps))))
    {
    }

    /// <summary>
    /// Creates a definition whose steps are made on first use. Generated code for large files calls this: deciding that
    /// a migration is applied needs only its id, phase and checksum, so an applied migration never creates its steps.
    /// </summary>
    /// <param name="id">The file name without extension.</param>
    /// <param name="phase">When it runs.</param>
    /// <param name="checksum">The checksum of the file's canonical parsed content.</param>
    /// <param name="sourcePath">The file's path relative to the service project.</param>
    /// <param name="description">The file's <c>description</c>, if any.</param>
    /// <param name="steps">Makes the steps, in file order; called at most once.</param>
    /// <remarks>Hidden from IntelliSense: generated code calls it; hand-written definitions pass their steps.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public SeedDefinition(string id, SeedPhase phase, string checksum, string sourcePath, string? description, Func<IReadOnlyList<SeedStep>> steps)
        : this(id, phase, checksum, sourcePath, description, new Lazy<IReadOnlyList<SeedStep>>(steps ?? throw new ArgumentNullException(nameof(steps))))
    {
    }

    private SeedDefinition(string id, SeedPhase phase, string checksum, string sourcePath, string? description, Lazy<IReadOnlyList<SeedStep>> steps)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Phase = phase;
        Checksum = checksum ?? throw new ArgumentNullException(nameof(checksum));
        SourcePath = sourcePath ?? throw new ArgumentNullException(nameof(sourcePath));
        Description = description;
        _steps = steps;
    }

    /// <summary>The file name without extension; migrations sort by it (<c>NNNN_name</c>).</summary>
    public string Id { get; }

    /// <summary>When it runs.</summary>
    public SeedPhase Phase { get; }

    /// <summary>The checksum of the file's canonical parsed content; an applied migration must keep it.</summary>
    public string Checksum { get; }

    /// <summary>The source file, relative to the service project.</summary>
    public string SourcePath { get; }

    /// <summary>What the file is for.</summary>
    public string? Description { get; }

    /// <summary>The steps, in file order (made on first use when the definition was given a factory).</summary>
    public IReadOnlyList<SeedStep> Steps => _steps.Value ?? throw new InvalidOperationException($"{SourcePath}: the steps factory returned null.");

    /// <summary>The hand-written body of a C# migration; null for YAML files.</summary>
    public IMigration? Code { get; private init; }

    /// <summary>Creates the definition of a C# migration (<c>[Migration("NNNN_name", SeedPhase.Post)]</c>); generated code calls this.</summary>
    /// <param name="id">The migration id from its attribute.</param>
    /// <param name="phase">Pre or post.</param>
    /// <param name="checksum">The checksum of the migration's source.</param>
    /// <param name="sourcePath">The source file, relative to the project.</param>
    /// <param name="description">What it is for.</param>
    /// <param name="code">The migration.</param>
    public static SeedDefinition FromCode(string id, SeedPhase phase, string checksum, string sourcePath, string? description, IMigration code) =>
        new(id, phase, checksum, sourcePath, description, []) { Code = code ?? throw new ArgumentNullException(nameof(code)) };

    /// <summary>A copy with other steps (run-time resolution); the checksum stays that of the file.</summary>
    internal SeedDefinition WithSteps(IReadOnlyList<SeedStep> steps) => new(Id, Phase, Checksum, SourcePath, Description, steps) { Code = Code };

    /// <summary>True for pre- and post-deploy migrations, which are recorded in history.</summary>
    public bool IsMigration => Phase != SeedPhase.Bootstrap;

    /// <inheritdoc />
    public override string ToString() => $"{Phase.ToString().ToLowerInvariant()}/{Id}";
}
