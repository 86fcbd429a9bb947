using Seeding.Cli;

// The `seeding` tool knows no service of its own: `--assembly path/to/Service.dll` (repeatable) loads each service's
// generated registry. A service can instead host the same command line with SeedingCommandLine.RunAsync.
return await SeedingCommandLine.RunConsoleAsync(args, []);
