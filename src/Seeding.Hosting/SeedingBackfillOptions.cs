using Seeding.Running;

namespace Seeding.Hosting;

/// <summary>
/// How this host works on backfills (configuration section <c>Seeding:Backfill</c>, e.g. <c>Seeding__Backfill__Workers=4</c>).
/// Unset values keep <see cref="SeedRunnerOptions"/>' defaults.
/// </summary>
public sealed class SeedingBackfillOptions
{
    /// <summary>Workers this process runs on a backfill's partitions at once (<see cref="SeedRunnerOptions.BackfillWorkers"/>, 1 to 64). Other replicas join too.</summary>
    public int? Workers { get; set; }

    /// <summary>Partitions a new backfill splits its collection into (<see cref="SeedRunnerOptions.BackfillPartitions"/>, 1 to <see cref="BackfillLimits.MaxPartitions"/>).</summary>
    public int? Partitions { get; set; }

    /// <summary><paramref name="options"/> with these settings applied.</summary>
    /// <exception cref="SeedingConfigurationException">A setting is out of range.</exception>
    public SeedRunnerOptions ApplyTo(SeedRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Workers is < 1 or > 64)
        {
            throw new SeedingConfigurationException("Seeding:Backfill:Workers", $"Seeding:Backfill:Workers is {Workers}; set 1 to 64 (workers this process runs on a backfill's partitions).");
        }

        if (Partitions is < 1 or > BackfillLimits.MaxPartitions)
        {
            throw new SeedingConfigurationException("Seeding:Backfill:Partitions", $"Seeding:Backfill:Partitions is {Partitions}; set 1 to {BackfillLimits.MaxPartitions}.");
        }

        return options with { BackfillWorkers = Workers ?? options.BackfillWorkers, BackfillPartitions = Partitions ?? options.BackfillPartitions };
    }
}
