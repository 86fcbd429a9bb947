using System.Reflection;

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

    /// <summary>
    /// The registry an assembly was built with: one lookup of its <see cref="SeedingServiceAttribute"/> (which the
    /// generator emits) and one read of the registry's static <c>Service</c> property. No type is scanned, so it costs
    /// the same for any assembly. The one lookup for every host: <c>AddSeeding()</c> and the <c>seeding</c> tool.
    /// </summary>
    /// <param name="assembly">The service's assembly, e.g. the entry assembly.</param>
    /// <exception cref="InvalidOperationException">The assembly has no seed files compiled in, or its registry does not fit this runtime; the message says what to fix.</exception>
    public static ServiceSeeds FromAssembly(Assembly? assembly)
    {
        var name = assembly?.GetName().Name ?? "(none)";
        var attribute = assembly?.GetCustomAttribute<SeedingServiceAttribute>()
            ?? throw new InvalidOperationException(
                $"Assembly '{name}' has no seed files compiled in: it declares no Seeding service ([assembly: SeedingService(...)], " +
                "which the Seeding generator emits). Reference the Seeding package (runtime and generator) and add seeding.yaml, " +
                "migrations/ or bootstrap/ YAML files to the project, or pass the registry yourself (SeedingRegistry.Service).");
        var property = attribute.Registry.GetProperty("Service", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException(
                $"Assembly '{name}': the registry type '{attribute.Registry.FullName}' has no static 'Service' property. Rebuild it with the current Seeding generator.");

        // A registry built against another copy of the runtime holds another ServiceSeeds type: say so, not "null".
        return property.GetValue(null) as ServiceSeeds
            ?? throw new InvalidOperationException(
                $"Assembly '{name}': '{attribute.Registry.FullName}.Service' is not a Seeding.Definitions.ServiceSeeds of this Seeding runtime " +
                $"({typeof(ServiceSeeds).Assembly.GetName().Version}). Rebuild the service against the same Seeding version as its host.");
    }
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
