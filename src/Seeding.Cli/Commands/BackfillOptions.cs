using System.CommandLine;
using Seeding.Running;

namespace Seeding.Cli.Commands;

/// <summary><c>--workers</c> and <c>--partitions</c> of <c>migrate</c>: how this process works on backfills.</summary>
internal sealed class BackfillOptions
{
    private readonly Option<int?> _workers = new("--workers")
    {
        Description = "Workers this process runs on a backfill's partitions at once. Other processes running migrate on the same " +
                      "store join as workers too (replicas, Kubernetes Indexed Job or Cloud Run Job tasks). Default: 1.",
        HelpName = "n",
    };

    private readonly Option<int?> _partitions = new("--partitions")
    {
        Description = $"Partitions a new backfill splits its collection into (1 to {BackfillLimits.MaxPartitions}); a resumed backfill keeps its own. Default: 8.",
        HelpName = "n",
    };

    public BackfillOptions(Command command)
    {
        _workers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > 64)
            {
                result.AddError("--workers must be 1 to 64.");
            }
        });
        _partitions.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > BackfillLimits.MaxPartitions)
            {
                result.AddError($"--partitions must be 1 to {BackfillLimits.MaxPartitions}.");
            }
        });
        command.Options.Add(_workers);
        command.Options.Add(_partitions);
    }

    public BackfillArguments Read(ParseResult parse) => new(parse.GetValue(_workers), parse.GetValue(_partitions));
}

/// <summary>The backfill options given on the command line (null: the runner's default).</summary>
internal sealed record BackfillArguments(int? Workers = null, int? Partitions = null)
{
    public SeedRunnerOptions ApplyTo(SeedRunnerOptions options) => options with
    {
        BackfillWorkers = Workers ?? options.BackfillWorkers,
        BackfillPartitions = Partitions ?? options.BackfillPartitions,
    };
}
