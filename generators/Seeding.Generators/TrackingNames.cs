namespace Seeding.Generators;

/// <summary>
/// Names of the pipeline steps, so tests and benchmarks can read each step's cache state from the driver
/// (<c>trackIncrementalGeneratorSteps</c>).
/// </summary>
internal static class TrackingNames
{
    /// <summary>The compiler-visible MSBuild properties, reduced to an equatable record.</summary>
    public const string Options = nameof(Options);

    /// <summary>The compilation's assembly name, the fallback for namespace and service name.</summary>
    public const string AssemblyName = nameof(AssemblyName);

    /// <summary>Each additional file classified (seed, settings, other) with its text read.</summary>
    public const string SeedFileText = nameof(SeedFileText);

    /// <summary>Each seed file parsed into a model, a summary and diagnostics.</summary>
    public const string Parse = nameof(Parse);

    /// <summary>The emittable model of a seed file without errors.</summary>
    public const string SeedModel = nameof(SeedModel);

    /// <summary>The per-file diagnostics, split from the model so a line shift re-emits nothing else.</summary>
    public const string FileDiagnostics = nameof(FileDiagnostics);

    /// <summary>The slim per-file summary (ids, numbers, created documents) feeding cross-file checks.</summary>
    public const string Summary = nameof(Summary);

    /// <summary>All summaries collected.</summary>
    public const string AllSummaries = nameof(AllSummaries);

    /// <summary>Diagnostics that need every file: duplicate documents across files, references, resources.</summary>
    public const string CrossFileDiagnostics = nameof(CrossFileDiagnostics);

    /// <summary>seeding.yaml parsed.</summary>
    public const string ServiceSettings = nameof(ServiceSettings);

    /// <summary>Namespace, service name and version every emitted file needs.</summary>
    public const string EmitContext = nameof(EmitContext);

    /// <summary>A seed file's model paired with the emit context, the input of its source output.</summary>
    public const string SeedSource = nameof(SeedSource);

    /// <summary>The registry model: the service and its seed classes in order.</summary>
    public const string Registry = nameof(Registry);

    /// <summary>Each class marked [Migration], read into plain data.</summary>
    public const string CSharpMigration = nameof(CSharpMigration);

    /// <summary>All C# migrations, with paths relative to the project, sorted.</summary>
    public const string CSharpMigrations = nameof(CSharpMigrations);

    /// <summary>The C# migrations without checksums: a body edit leaves the checks that use these Cached.</summary>
    public const string CSharpDeclarations = nameof(CSharpDeclarations);

    /// <summary>Problems with C# migration declarations (id, phase, IMigration, constructor).</summary>
    public const string CSharpDiagnostics = nameof(CSharpDiagnostics);

    /// <summary>Environment names used by seed files, checked against seeding.yaml.</summary>
    public const string EnvironmentDiagnostics = nameof(EnvironmentDiagnostics);

    /// <summary>seeding.lock.json parsed.</summary>
    public const string LockManifest = nameof(LockManifest);

    /// <summary>The keys of the locked migrations (<c>pre/0001_initial_roles</c>), without their checksums.</summary>
    public const string LockedKeys = nameof(LockedKeys);

    /// <summary>Migration numbers used twice in a phase (YAML and C#), reported on the migrations not locked.</summary>
    public const string NumberDiagnostics = nameof(NumberDiagnostics);

    /// <summary>Locked migrations whose checksum changed.</summary>
    public const string LockDiagnostics = nameof(LockDiagnostics);

    /// <summary>The C# type names that type: binds to, across all files.</summary>
    public const string TypeNames = nameof(TypeNames);

    /// <summary>The shapes of those types, read from the compilation as plain data.</summary>
    public const string TypeShapes = nameof(TypeShapes);

    /// <summary>Each parsed file with its type: steps bound to their shapes (unchanged when it has none).</summary>
    public const string Bind = nameof(Bind);
}
