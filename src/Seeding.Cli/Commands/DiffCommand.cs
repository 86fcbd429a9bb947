using System.CommandLine;
using System.Diagnostics;
using Seeding.Cli.Output;
using Seeding.Diffing;
using Seeding.Running;

namespace Seeding.Cli.Commands;

/// <summary>What <c>diff</c> was asked to do, as parsed.</summary>
internal sealed record DiffInvocation
{
    public required ServiceSelection Services { get; init; }

    public string? Phase { get; init; }

    public string? Environment { get; init; }

    public bool ShowUnmanaged { get; init; }

    public bool DetailedExitCode { get; init; }

    public required StoreArguments Store { get; init; }

    public bool Json { get; init; }

    public IReadOnlyList<string> Assemblies { get; init; } = [];
}

/// <summary><c>diff</c>: the live data against what the seed files declare, read from one snapshot; writes nothing.</summary>
internal sealed class DiffCommand(CommandContext context)
{
    public const string Name = "diff";

    /// <summary>The option that turns drift into exit code 2 (and every error into 1).</summary>
    public const string DetailedExitCodeOption = "--detailed-exitcode";

    public static Command Build(CommandLineDefinition cli, string name)
    {
        var command = new Command(
            Name,
            "Compare the live data with what the seed files declare (applied, pending and bootstrap alike), field by field, " +
            "from one consistent snapshot; write nothing. Exit 0 unless an error; with --detailed-exitcode: 0 no drift, 2 drift, 1 error.");
        var selection = new ServiceSelectionOptions(command);
        var phase = new Option<string>("--phase", "-p")
        {
            Description = "Which seed files declare the state compared: pre, post, bootstrap, or all. Default: MIGRATION_PHASE, else all.",
            HelpName = "pre|post|bootstrap|all",
        };
        phase.AcceptOnlyFromAmong("pre", "post", "bootstrap", "all");
        command.Options.Add(phase);
        var environment = new Option<string>("--environment", "-e")
        {
            Description = "The environment name, for environments: steps (as a run). Default: DOTNET_ENVIRONMENT.",
            HelpName = "name",
        };
        command.Options.Add(environment);
        var unmanaged = new Option<bool>("--show-unmanaged") { Description = "Also list fields the live documents hold that no seed declares (never counted as drift)." };
        command.Options.Add(unmanaged);
        var detailed = new Option<bool>(DetailedExitCodeOption) { Description = "Exit 2 when anything drifted, 0 when nothing did, 1 on any error (a usage error included)." };
        command.Options.Add(detailed);
        var store = new StoreOptions(command, pubSub: true);
        command.SetAction((parse, cancellationToken) => new DiffCommand(cli.Context).RunAsync(
            new DiffInvocation
            {
                Services = selection.Read(parse),
                Phase = parse.GetValue(phase),
                Environment = parse.GetValue(environment),
                ShowUnmanaged = parse.GetValue(unmanaged),
                DetailedExitCode = parse.GetValue(detailed),
                Store = store.Read(parse),
                Json = cli.IsJson(parse),
                Assemblies = parse.GetValue(cli.Assembly) ?? [],
            },
            cancellationToken));
        cli.Examples[command] =
        [
            $"{name} diff --all                                  Every service: what differs from the seeds",
            $"{name} diff --all --detailed-exitcode              In CI: exit 2 on drift, 0 without, 1 on error",
            $"{name} diff --service user --show-unmanaged        Also the fields no seed declares",
            $"{name} diff --all --output json                    Before/after per field path, for machines",
        ];
        return command;
    }

    /// <summary>With <c>--detailed-exitcode</c> every error exits 1, so 2 means drift and nothing else.</summary>
    public static int ErrorCode(int exitCode, bool detailed) => detailed && exitCode != ExitCodes.Ok ? ExitCodes.Failure : exitCode;

    public async Task<int> RunAsync(DiffInvocation invocation, CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandException e)
        {
            var code = e.ExitCode == ExitCodes.Cancelled ? e.ExitCode : ErrorCode(e.ExitCode, invocation.DetailedExitCode);
            await Errors.ReportAsync(context, Name, invocation.Json, code, e.Kind, e.Message).ConfigureAwait(false);
            return code;
        }
    }

    private async Task<int> RunCoreAsync(DiffInvocation invocation, CancellationToken cancellationToken)
    {
        await ServiceResolver.LoadServicesAsync(context, invocation.Assemblies, cancellationToken).ConfigureAwait(false);
        var services = ServiceResolver.Select(context, invocation.Services, defaultAll: false);
        var phases = RunSettings.Phases(invocation.Phase, context);
        var environment = RunSettings.Environment(invocation.Environment, context);
        var settings = invocation.Store.Resolve(context);
        var clock = Stopwatch.StartNew();
        await using var store = await MigrateCommand.Open(settings, cancellationToken).ConfigureAwait(false);
        using var pubSub = MigrateCommand.OpenPubSub(settings);
        var options = new SeedRunnerOptions { PubSub = pubSub, Capabilities = Hosting.SeedingStoreCapabilities.Of(store.Store) };
        var request = new DiffRequest
        {
            Phases = phases,
            Environment = environment,
            Configuration = context.Configuration,
            ShowUnmanaged = invocation.ShowUnmanaged,
        };

        DiffResult result;
        try
        {
            result = await new SeedDiffer(store.Store, options).DiffAsync(services, request, cancellationToken).ConfigureAwait(false);
        }
        catch (SeedConfigurationException e)
        {
            throw new CommandException(ExitCodes.Failure, e.Message, e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new CommandException(ExitCodes.Cancelled, "Cancelled; nothing was written.");
        }
        catch (Exception e) when (e is not CommandException)
        {
            throw new CommandException(ExitCodes.Failure, $"Could not compare with {store.DisplayName}: {e.GetType().Name}: {e.Message}", e);
        }

        var exitCode = invocation.DetailedExitCode && result.HasDrift ? ExitCodes.DiffDrift : ExitCodes.Ok;
        var view = new DiffView(result, store.DisplayName, settings.Choice.PubSubDisplayName, phases, environment, clock.Elapsed, exitCode);
        if (invocation.Json)
        {
            await context.Output.WriteAsync(DiffJson.Write(view)).ConfigureAwait(false);
        }
        else
        {
            await DiffText.WriteAsync(context.Output, view).ConfigureAwait(false);
        }

        return exitCode;
    }
}

/// <summary>A diff's result with what the renderers say about the run.</summary>
internal sealed record DiffView(
    DiffResult Result,
    string Store,
    string? PubSub,
    IReadOnlyList<Definitions.SeedPhase> Phases,
    string? Environment,
    TimeSpan Duration,
    int ExitCode);
