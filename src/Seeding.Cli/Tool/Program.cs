using Seeding.Cli;

// The `seeding` tool knows no service of its own: it builds the project in the current folder (or --project) and loads
// its generated registry, or loads `--assembly path/to/Service.dll` (repeatable) as built (see Projects/ProjectDiscovery
// in Seeding.Cli). A service can instead host the same command line with SeedingCommandLine.RunAsync.
return await SeedingCommandLine.RunConsoleAsync(args, []);
