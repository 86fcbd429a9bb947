using Seeding.Definitions;
using Seeding.Plans;
using Seeding.Values;

namespace Seeding.Cli.Commands;

/// <summary>The plan file of <c>plan --out</c> and <c>migrate --plan</c>: reading, checking and writing it.</summary>
internal static class SavedPlanFiles
{
    /// <summary>Reads a plan file; an unreadable or foreign file is a usage error that says what to do.</summary>
    public static SavedPlan Read(CommandContext context, string file)
    {
        var path = context.ResolvePath(file);
        try
        {
            using var stream = File.OpenRead(path);
            return SavedPlanJson.Read(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read the plan file {context.DisplayPath(path)}: {e.Message}. Pass the file written by {context.Options.CommandName} plan --out.");
        }
        catch (FormatException e)
        {
            throw new UsageException($"{context.DisplayPath(path)}: {e.Message}");
        }
    }

    /// <summary>The options a plan fixes may not be given again with other values: the plan decides them.</summary>
    public static void RefuseConflicts(MigrateInvocation invocation)
    {
        if (invocation.DryRunOption is true)
        {
            throw new UsageException("--plan applies a saved plan and cannot be a dry run: make a plan with plan --out, or drop --dry-run.");
        }

        if (invocation.Phase is not null || invocation.Environment is not null)
        {
            throw new UsageException("--plan applies the phases and environment the plan was made for: drop --phase and --environment.");
        }
    }

    /// <summary>The services to apply the plan to: those named (then checked against the plan), or the plan's own.</summary>
    public static IReadOnlyList<ServiceSeeds> Services(CommandContext context, ServiceSelection selection, SavedPlan plan) =>
        ServiceResolver.Select(context, selection.All || selection.Names.Count > 0 ? selection : new ServiceSelection(plan.Services.Select(s => s.Service).ToArray(), All: false), defaultAll: false);

    /// <summary>Refuses a plan made for another store or other services (a usage error: the wrong file for this deploy).</summary>
    public static void EnsureFor(SavedPlan plan, string store, IReadOnlyList<ServiceSeeds> services)
    {
        try
        {
            plan.EnsureFor(store, services.Select(s => s.Service).ToArray());
        }
        catch (SavedPlanMismatchException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Writes the plan of the services planned (atomically: a temporary file moved into place).</summary>
    public static async Task WriteAsync(CommandContext context, string file, string store, IReadOnlyList<SeedPhase> phases, string? environment, IReadOnlyList<RecordedPlan> recorded)
    {
        var plan = new SavedPlan
        {
            Store = store,
            Phases = phases,
            Environment = environment,
            ReadAt = recorded.Select(r => r.ReadAt).Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(Timestamp.FromDateTimeOffset(context.Time.GetUtcNow())).Max(),
            Services = recorded.Select(r => r.Plan).ToArray(),
        };
        var path = context.ResolvePath(file);
        var temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using (var stream = File.Create(temporary))
            {
                SavedPlanJson.Write(stream, plan);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandException(ExitCodes.Failure, $"Cannot write the plan file {context.DisplayPath(path)}: {e.Message}", e);
        }

        await context.Error.WriteLineAsync($"Plan saved to {context.DisplayPath(path)}: apply exactly it with {context.Options.CommandName} migrate --plan {file}").ConfigureAwait(false);
    }
}
