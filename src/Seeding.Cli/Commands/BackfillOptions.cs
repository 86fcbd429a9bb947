using System.CommandLine;
using Seeding.Running;

namespace Seeding.Cli.Commands;

/// <summary>
/// The backfill options: <c>--max-writes-per-second</c>, <c>--workers</c> and <c>--partitions</c> (migrate only: how this
/// process writes and works on backfills), <c>--plan-limit</c> and <c>--progress</c> on <c>migrate</c> and <c>plan</c>.
/// </summary>
internal sealed class BackfillOptions
{
    private readonly Option<double?>? _maxWrites;
    private readonly Option<int?>? _workers;
    private readonly Option<int?>? _partitions;
    private readonly Option<int?> _planLimit;
    private readonly Option<string> _progress;

    public BackfillOptions(Command command, bool dryRunCommand)
    {
        if (!dryRunCommand)
        {
            _maxWrites = new Option<double?>("--max-writes-per-second")
            {
                Description = "The write budget: at most this many document writes per second across every worker (each takes its share); " +
                              "halved while Firestore answers RESOURCE_EXHAUSTED, then recovered. Default: Seeding:MaxWritesPerSecond, else none.",
                HelpName = "writes",
            };
            _maxWrites.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<double?>() is { } value && !(value > 0 && double.IsFinite(value)))
                {
                    result.AddError("--max-writes-per-second must be a positive number of writes per second.");
                }
            });
            command.Options.Add(_maxWrites);
            _workers = new Option<int?>("--workers")
            {
                Description = "Workers this process runs on a backfill's partitions at once. Other processes running migrate on the same " +
                              "store join as workers too (replicas, Kubernetes Indexed Job or Cloud Run Job tasks). Default: 1.",
                HelpName = "n",
            };
            _workers.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int?>() is < 1 or > 64)
                {
                    result.AddError("--workers must be 1 to 64.");
                }
            });
            _partitions = new Option<int?>("--partitions")
            {
                Description = $"Partitions a new backfill splits its collection into (1 to {BackfillLimits.MaxPartitions}); a resumed backfill keeps its own. Default: 8.",
                HelpName = "n",
            };
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

        _planLimit = new Option<int?>("--plan-limit")
        {
            Description = $"Documents of each step the plan lists one by one; the rest are counted (\"... and 123,456 more\"). Default: {Running.RunRequest.DefaultPlanLimit}.",
            HelpName = "documents",
        };
        _planLimit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0)
            {
                result.AddError("--plan-limit must be zero or more documents.");
            }
        });
        command.Options.Add(_planLimit);
        _progress = new Option<string>("--progress")
        {
            Description = "Backfill progress on standard error: a live bar on a terminal, plain lines every 5 s when redirected, " +
                          "JSON lines (NDJSON) with --output json; or none. Default: auto.",
            HelpName = "auto|bar|lines|json|none",
            DefaultValueFactory = _ => "auto",
        };
        _progress.AcceptOnlyFromAmong("auto", "bar", "lines", "json", "none");
        command.Options.Add(_progress);
    }

    public MigrateInvocation Read(ParseResult parse, MigrateInvocation invocation) => invocation with
    {
        MaxWritesPerSecond = _maxWrites is null ? null : parse.GetValue(_maxWrites),
        PlanLimit = parse.GetValue(_planLimit),
        Progress = parse.GetValue(_progress) ?? "auto",
        Backfill = new BackfillArguments(
            _workers is null ? null : parse.GetValue(_workers),
            _partitions is null ? null : parse.GetValue(_partitions)),
    };
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
