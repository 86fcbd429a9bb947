using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Seeding.Hosting;
using Seeding.Sqlite;
using Seeding.Store;

// The user service as a team would write it: one line to seed on startup, a store chosen by configuration.
// Run: dotnet run --project seeds/Samples.Service -- --once
// (--Seeding:Database=path picks the SQLite file; --Seeding:ApplyPreDeployMigrations=true also applies pre-deploy migrations.)
var once = args.Contains("--once");
var builder = Host.CreateApplicationBuilder(args.Where(a => a != "--once").ToArray()); // a bare flag would swallow the next argument
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Seeding", LogLevel.Information);
var database = builder.Configuration["Seeding:Database"] ?? Path.Combine(".seeding", "seeding.db");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(database))!);
builder.Services.AddSingleton<IDocumentStore>(_ => new SqliteDocumentStore(new SqliteStoreOptions(database)));
builder.Services.AddSeeding(Samples.User.Seeds.SeedingRegistry.Service);

using var host = builder.Build();
await host.StartAsync();
var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
Console.WriteLine($"user service started on {database}; seeding: {health.Status} ({health.Entries["seeding"].Description})");
if (!once)
{
    await host.WaitForShutdownAsync();
}

await host.StopAsync();
