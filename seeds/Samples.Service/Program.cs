using Microsoft.Extensions.Diagnostics.HealthChecks;
using Seeding.Hosting;

// The user service as `dotnet new web` writes it, plus the one line that seeds it on startup (and /health). The store is
// the one `seeding migrate` would pick: .seeding/seeding.db under the content root, or Firestore when
// FIRESTORE_EMULATOR_HOST / FIRESTORE_PROJECT_ID (or Seeding:Firestore:*) are set. A failed startup run is logged once
// and ends the process with exit code 1 (Seeding:StopApplicationOnFailure), even from the template's plain app.Run().
// Run: dotnet run --project seeds/Samples.Service -- --once
// (--once prints the seeding health and stops once the service is up; --Seeding:Sqlite:Path=path picks the SQLite
// file; --Seeding:Phases=all also applies the migrations; DRY_RUN=true and MIGRATION_PHASE=pre|post|bootstrap|all work
// as for the CLI.)
var once = args.Contains("--once");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--once").ToArray()); // a bare flag would swallow the next argument
builder.Services.AddSeeding(Samples.User.Seeds.SeedingRegistry.Service);
var app = builder.Build();

app.MapGet("/", () => "Hello World!");
app.MapHealthChecks("/health");

if (once)
{
    app.Lifetime.ApplicationStarted.Register(() => _ = ReportAndStopAsync());
}

app.Run();

async Task ReportAndStopAsync()
{
    var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
    Console.WriteLine($"user service started; seeding: {health.Status} ({health.Entries["seeding"].Description})");
    app.Lifetime.StopApplication();
}
