using Microsoft.Extensions.Configuration;
using Seeding.Cli.Projects;
using Seeding.Definitions;

namespace Seeding.Cli;

/// <summary>What every command needs: the writers, the host's settings and the services known so far.</summary>
internal sealed class CommandContext(SeedingCommandLineOptions options, TextWriter output, TextWriter error)
{
    private readonly Func<string, string?> _env = options.EnvironmentVariables ?? Environment.GetEnvironmentVariable;

    public SeedingCommandLineOptions Options { get; } = options;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public TimeProvider Time => Options.Time;

    public string WorkingDirectory { get; } = Path.GetFullPath(options.WorkingDirectory ?? Directory.GetCurrentDirectory());

    /// <summary>The host's services plus those loaded from <c>--assembly</c>.</summary>
    public List<ServiceSeeds> Services { get; } = [.. options.Services];

    /// <summary>What the project options said (<c>--project</c>, <c>--no-build</c>, ...): set once the command line is parsed.</summary>
    public ProjectRequest Project { get; set; } = ProjectRequest.None;

    /// <summary>
    /// Where seeds read <c>!env</c> values: the host's configuration, else the host's environment seam when it set one,
    /// else null (the runtime reads process environment variables).
    /// </summary>
    public IConfiguration? Configuration => Options.Configuration
        ?? (Options.EnvironmentVariables is { } env ? new ConfigurationBuilder().Add(new EnvironmentSeamSource(env)).Build() : null);

    /// <summary>An environment variable; empty counts as unset.</summary>
    public string? Env(string name)
    {
        var value = _env(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public string ResolvePath(string path) => Path.GetFullPath(Path.Combine(WorkingDirectory, path));

    /// <summary>A path for messages: relative to the working directory when it is inside it.</summary>
    public string DisplayPath(string path)
    {
        var relative = Path.GetRelativePath(WorkingDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}

/// <summary>Configuration read through the host's environment-variable seam.</summary>
internal sealed class EnvironmentSeamSource(Func<string, string?> env) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(env);

    private sealed class Provider(Func<string, string?> env) : ConfigurationProvider
    {
        public override bool TryGet(string key, out string? value)
        {
            value = env(key);
            return value is not null;
        }
    }
}

/// <summary>A command failed in a way the user can fix; the message says how. Carries its exit code.</summary>
internal class CommandException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The kind named in JSON output: usage, failure, drift, lock_timeout, cancelled.</summary>
    public string Kind => ExitCode switch
    {
        ExitCodes.Usage => "usage",
        ExitCodes.Drift => "drift",
        ExitCodes.LockTimeout => "lock_timeout",
        ExitCodes.Cancelled => "cancelled",
        _ => "failure",
    };
}

/// <summary>The command line was used wrongly; the message says how to use it right. Exit code 2.</summary>
internal sealed class UsageException(string message) : CommandException(ExitCodes.Usage, message);
