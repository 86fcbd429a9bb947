using Seeding.Cli;
using Seeding.Definitions;

// The sample services' generated registries: no reflection, no assembly scanning. A service hosting the command
// line does the same with its own SeedingRegistry.Service.
IReadOnlyList<ServiceSeeds> services =
[
    Samples.Tenant.Seeds.SeedingRegistry.Service,
    Samples.User.Seeds.SeedingRegistry.Service,
    Samples.License.Seeds.SeedingRegistry.Service,
    Samples.Survey.Seeds.SeedingRegistry.Service,
    Samples.Audit.Seeds.SeedingRegistry.Service,
];

// Console output, and Ctrl+C cancels the run after the current write (what was applied stays applied and recorded);
// a second Ctrl+C ends the process at once.
return await SeedingCommandLine.RunConsoleAsync(
    args,
    new SeedingCommandLineOptions { Services = services, CommandName = "dotnet run --project seeds/Samples.Host --" });
