using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Seeding.Hosting;

// The user service as a team would write it: one line to seed on startup. The store is the one `seeding migrate`
// would pick: .seeding/seeding.db under the content root, or Firestore when FIRESTORE_EMULATOR_HOST /
// FIRESTORE_PROJECT_ID (or Seeding:Firestore:*) are set.
// Run: dotnet run --project seeds/Samples.Service -- --once
// (--Seeding:Sqlite:Path=path picks the SQLite file; --Seeding:ApplyPreDeployMigrations=true also applies pre-deploy
// migrations; DRY_RUN=true and MIGRATION_PHASE=pre|post|bootstrap|all work as for the CLI.)
var once = args.Contains("--once");
var builder = Host.CreateApplicationBuilder(args.Where(a => a != "--once").ToArray()); // a bare flag would swallow the next argument
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Seeding", LogLevel.Information);
builder.Services.AddSeeding(Samples.User.Seeds.SeedingRegistry.Service);

using var host = builder.Build();
try
{
    await host.StartAsync();
}
catch (Exception)
{
    // The host has logged why it did not start (once, naming the seed file and step); exit with a failure code
    // instead of an unhandled-exception abort.
    return 1;
}

var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
Console.WriteLine($"user service started; seeding: {health.Status} ({health.Entries["seeding"].Description})");
if (!once)
{
    await host.WaitForShutdownAsync();
}

await host.StopAsync();
return 0;
