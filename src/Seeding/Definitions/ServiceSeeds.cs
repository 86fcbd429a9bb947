namespace Seeding.Definitions;

/// <summary>
/// Everything one service declares: its name, the services it depends on, and its seed files. The generator
/// emits one per assembly (<c>SeedingRegistry.Service</c>), sorted, so nothing is discovered by reflection.
/// </summary>
public sealed class ServiceSeeds
{
    /// <summary>Creates the registry of one service.</summary>
    /// <param name="service">The service name from <c>seeding.yaml</c> (default: the assembly name).</param>
    /// <param name="dependsOn">Services whose seeds must run first.</param>
    /// <param name="seeds">All seed files; sorted here by phase and id.</param>
    public ServiceSeeds(string service, IReadOnlyList<string> dependsOn, IReadOnlyList<SeedDefinition> seeds)
    {
        Service = service ?? throw new ArgumentNullException(nameof(service));
        DependsOn = dependsOn ?? throw new ArgumentNullException(nameof(dependsOn));
        Seeds = (seeds ?? throw new ArgumentNullException(nameof(seeds)))
            .OrderBy(s => s.Phase)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The service name.</summary>
    public string Service { get; }

    /// <summary>Services whose seeds must run before this one's.</summary>
    public IReadOnlyList<string> DependsOn { get; }

    /// <summary>All seed files, ordered by phase then id.</summary>
    public IReadOnlyList<SeedDefinition> Seeds { get; }

    /// <summary>The seed files of one phase, in the order they run.</summary>
    public IReadOnlyList<SeedDefinition> InPhase(SeedPhase phase) => Seeds.Where(s => s.Phase == phase).ToArray();
}

/// <summary>
/// Marks the assembly's generated registry so tools (the <c>seeding</c> CLI) find it with one attribute lookup.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class SeedingServiceAttribute : Attribute
{
    /// <summary>Points at the generated registry type, which has a static <c>Service</c> property.</summary>
    public SeedingServiceAttribute(Type registry) => Registry = registry;

    /// <summary>The generated registry type.</summary>
    public Type Registry { get; }
}
