using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Seeding.Hosting;

// A service as a team writes it (one AddSeeding line), for the production rehearsal: its store, Pub/Sub target and
// credentials come only from configuration and variables. --pause-ms=N waits that long after startup seeding before
// the health check, whose store read is then a call made after the startup calls' access token has expired. When
// startup seeding fails, the health check still runs: it is the next call, made with the same credentials.
var pause = args.Where(a => a.StartsWith("--pause-ms=", StringComparison.Ordinal)).Select(a => int.Parse(a["--pause-ms=".Length..], System.Globalization.CultureInfo.InvariantCulture)).LastOrDefault();
var builder = Host.CreateApplicationBuilder(args.Where(a => !a.StartsWith("--pause-ms=", StringComparison.Ordinal)).ToArray());
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Seeding", LogLevel.Information);
// This Program.cs catches a failed start itself (below), so the host throws it from StartAsync instead of stopping.
builder.Configuration["Seeding:StopApplicationOnFailure"] = "false";
builder.Services.AddSeeding();

using var host = builder.Build();
var started = true;
try
{
    await host.StartAsync();
}
catch (Exception)
{
    // The host has logged why it did not start; the health check below is the process's next call to the store.
    started = false;
}

await Task.Delay(pause);
var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
Console.WriteLine($"rehearsal service {(started ? "started" : "did not start")}; seeding: {health.Status} ({health.Entries["seeding"].Description})");
if (started)
{
    await host.StopAsync();
}

return started && health.Status != HealthStatus.Unhealthy ? 0 : 1;
