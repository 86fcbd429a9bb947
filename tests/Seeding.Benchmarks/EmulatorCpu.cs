using System.Globalization;

namespace Seeding.Benchmarks;

/// <summary>
/// CPU time the benchmark's emulator has used so far (user + system, in seconds, from <c>/proc/[pid]/stat</c> of the
/// processes whose command line names the Firestore emulator on <see cref="Host"/>'s port: emulators of other programs on
/// the machine do not count). Taken before and after a contender's run, the
/// difference says how much of the wall time the emulator itself was busy: on 2 cores a run whose emulator CPU is near
/// twice its wall time is bound by the emulator, whatever the contender does.
/// </summary>
internal static class EmulatorCpu
{
    // Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel build.
    private const double TicksPerSecond = 100;

    /// <summary>The <c>host:port</c> of the emulator the benchmark part uses; null: none is watched.</summary>
    public static string? Host { get; set; }

    /// <summary>The watched emulator's CPU seconds so far; 0 where there is no <c>/proc</c> or no emulator is watched.</summary>
    public static double Seconds()
    {
        if (!Directory.Exists("/proc") || Host is null)
        {
            return 0;
        }

        var port = "--port=" + Host[(Host.LastIndexOf(':') + 1)..];
        var ticks = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (!commandLine.Contains("cloud-firestore-emulator", StringComparison.Ordinal) || !commandLine.Contains(port, StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields after the ")" that ends the command name: state is field 3, utime 14 and stime 15 (1-based).
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended while it was read: it no longer counts.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return ticks / TicksPerSecond;
    }
}
