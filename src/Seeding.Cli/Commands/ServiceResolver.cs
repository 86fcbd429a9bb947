using Seeding.Cli.Projects;
using Seeding.Definitions;

namespace Seeding.Cli.Commands;

/// <summary>
/// Loads the services a command runs on (<c>--assembly</c>, else the project's build, see <see cref="ProjectDiscovery"/>)
/// and picks them in dependency order.
/// </summary>
internal static class ServiceResolver
{
    /// <summary>
    /// Loads the services: <c>--assembly</c> paths when given (they win over <c>--project</c>); else the project
    /// <c>--project</c> names, built first; else, when the host brought no services of its own, the project in the
    /// working directory, built first.
    /// </summary>
    public static async Task LoadServicesAsync(CommandContext context, IReadOnlyList<string> assemblies, CancellationToken cancellationToken)
    {
        var request = context.Project;
        if (assemblies.Count > 0)
        {
            if (request.Project is not null)
            {
                await context.Error.WriteLineAsync($"warning: --project {request.Project} is not used: --assembly names the service assemblies to load.").ConfigureAwait(false);
            }

            LoadAssemblies(context, assemblies);
            return;
        }

        if (request.Project is null && context.Services.Count > 0)
        {
            return;
        }

        var assembly = await new ProjectDiscovery(context).FindAssemblyAsync(request, cancellationToken).ConfigureAwait(false);
        LoadAssemblies(context, [assembly]);
    }

    public static void LoadAssemblies(CommandContext context, IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            ServiceSeeds service;
            try
            {
                service = ServiceAssemblies.Load(context.ResolvePath(path));
            }
            catch (FileNotFoundException e)
            {
                throw new UsageException(e.Message);
            }
            catch (InvalidOperationException e)
            {
                throw new UsageException(e.Message);
            }

            if (!context.Services.Any(s => ReferenceEquals(s, service)))
            {
                context.Services.Add(service);
            }
        }
    }

    /// <summary>The services to run, in the order to run them.</summary>
    /// <param name="context">The command's context.</param>
    /// <param name="selection">What <c>--service</c> and <c>--all</c> said.</param>
    /// <param name="defaultAll">True when no selection means every service (status, verify).</param>
    public static IReadOnlyList<ServiceSeeds> Select(CommandContext context, ServiceSelection selection, bool defaultAll)
    {
        var services = context.Services;
        var name = context.Options.CommandName;
        if (services.Count == 0)
        {
            throw new UsageException(
                $"No services to run. Run the command in a service project's folder, pass --project path/to/MyService.csproj, or a service assembly: " +
                $"{name} --assembly path/to/MyService.dll <command> (repeatable), " +
                "or host the command line in your service with SeedingCommandLine.RunAsync(args, [SeedingRegistry.Service], ...).");
        }

        if (selection.All && selection.Names.Count > 0)
        {
            throw new UsageException("Use either --service or --all, not both.");
        }

        var known = string.Join(", ", services.Select(s => s.Service).Order(StringComparer.Ordinal));
        foreach (var wanted in selection.Names)
        {
            if (!services.Any(s => s.Service == wanted))
            {
                throw new UsageException($"Unknown service '{wanted}'. Known services: {known}.");
            }
        }

        if (selection.Names.Count == 1)
        {
            // One named service runs alone: its dependencies need not be loaded (they may have run elsewhere).
            return [services.First(s => s.Service == selection.Names[0])];
        }

        if (selection.All || selection.Names.Count > 1 || defaultAll || services.Count == 1)
        {
            var ordered = Sort(services);
            return selection.Names.Count > 1 ? ordered.Where(s => selection.Names.Contains(s.Service)).ToArray() : ordered;
        }

        throw new UsageException($"Choose the services: --service <name> (one of {known}) or --all (every service, in dependency order).");
    }

    /// <summary>The one service a command works on: the named one, or the only one loaded.</summary>
    public static ServiceSeeds SelectOne(CommandContext context, string? name) =>
        Select(context, new ServiceSelection(name is null ? [] : [name], All: false), defaultAll: false).Single();

    private static IReadOnlyList<ServiceSeeds> Sort(IReadOnlyList<ServiceSeeds> services)
    {
        try
        {
            return ServiceOrder.Sort(services);
        }
        catch (InvalidOperationException e)
        {
            throw new CommandException(ExitCodes.Failure, e.Message, e);
        }
    }
}
