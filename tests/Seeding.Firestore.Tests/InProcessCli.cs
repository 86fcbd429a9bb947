using Seeding.Cli;
using Seeding.Definitions;

namespace Seeding.Firestore.Tests;

/// <summary>
/// The command line run in-process as a service hosts it (<see cref="SeedingCommandLine.RunAsync(string[], SeedingCommandLineOptions, TextWriter, TextWriter, CancellationToken)"/>),
/// with its environment given as a dictionary (the emulator, the project, configuration keys), so tests on the
/// emulator need not touch the process's own variables. Output and error come back with Unix line ends.
/// </summary>
internal static class InProcessCli
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(
        IReadOnlyList<ServiceSeeds> services, IReadOnlyDictionary<string, string> environment, string[] args, string? workingDirectory = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var options = new SeedingCommandLineOptions
        {
            Services = services,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            EnvironmentVariables = name => environment.GetValueOrDefault(name),
        };
        var code = await SeedingCommandLine.RunAsync(args, options, output, error, CancellationToken.None);
        return (code, Unix(output.ToString()), Unix(error.ToString()));
    }

    private static string Unix(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
