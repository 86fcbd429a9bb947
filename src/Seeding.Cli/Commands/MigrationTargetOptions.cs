using System.CommandLine;

namespace Seeding.Cli.Commands;

/// <summary>
/// What <c>revert</c> and <c>accept</c> both take, declared once so the two read them alike: the migration as
/// <c>status</c> names it, <c>--service</c>, <c>--dry-run</c>, <c>--lock-timeout</c> and the store options.
/// </summary>
internal sealed class MigrationTargetOptions
{
    private readonly Argument<string> _migration = new("migration")
    {
        Description = "The migration as status names it: 0001_plans, or pre/0001_plans when both phases have that id.",
    };

    private readonly Option<string> _service = new("--service", "-s")
    {
        Description = "The service the migration belongs to (needed when several are loaded).",
        HelpName = "name",
    };

    private readonly Option<bool> _dryRun;
    private readonly Option<double?> _lockTimeout = LockTimeoutOption.Create();
    private readonly StoreOptions _store;

    /// <param name="command">The command the options are added to.</param>
    /// <param name="dryRun">What <c>--dry-run</c> shows instead of writing, for the command's help.</param>
    public MigrationTargetOptions(Command command, string dryRun)
    {
        _dryRun = new Option<bool>("--dry-run", "-n") { Description = dryRun };
        command.Arguments.Add(_migration);
        command.Options.Add(_service);
        command.Options.Add(_dryRun);
        command.Options.Add(_lockTimeout);
        _store = new StoreOptions(command);
    }

    public MigrationTarget Read(CommandLineDefinition cli, ParseResult parse) => new()
    {
        Migration = parse.GetValue(_migration)!,
        Service = parse.GetValue(_service),
        DryRun = parse.GetValue(_dryRun),
        LockTimeout = LockTimeoutOption.Read(parse, _lockTimeout),
        Store = _store.Read(parse),
        Json = cli.IsJson(parse),
        Assemblies = parse.GetValue(cli.Assembly) ?? [],
    };
}

/// <summary>What <see cref="MigrationTargetOptions"/> said.</summary>
internal sealed record MigrationTarget
{
    public required string Migration { get; init; }

    public string? Service { get; init; }

    public bool DryRun { get; init; }

    /// <summary><c>--lock-timeout</c>; null keeps the runner's default.</summary>
    public TimeSpan? LockTimeout { get; init; }

    public required StoreArguments Store { get; init; }

    public bool Json { get; init; }

    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary>The runner options <c>--lock-timeout</c> asks for, or null for the defaults.</summary>
    public Running.SeedRunnerOptions? RunnerOptions => LockTimeout is { } wait ? new Running.SeedRunnerOptions { LockWaitTimeout = wait } : null;
}

/// <summary><c>--lock-timeout</c>, the one declaration of the option every command that takes a service's lease has.</summary>
internal static class LockTimeoutOption
{
    public static Option<double?> Create()
    {
        var option = new Option<double?>("--lock-timeout")
        {
            Description = "Seconds to wait for another runner's migration lock before giving up with exit code 4. Default: 120.",
            HelpName = "seconds",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is < 0)
            {
                result.AddError("--lock-timeout must be zero or more seconds.");
            }
        });
        return option;
    }

    public static TimeSpan? Read(ParseResult parse, Option<double?> option) =>
        parse.GetValue(option) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
