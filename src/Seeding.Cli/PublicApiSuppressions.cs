using System.Diagnostics.CodeAnalysis;

// RS0026 (no two overloads with optional parameters) guards against adding an optional parameter to an overload that
// has already shipped, which breaks binary callers. Nothing has shipped yet, and the two RunAsync overloads differ in
// a required parameter (the services or the options), with only the cancellation token optional, as .NET's own
// async APIs do.
[assembly: SuppressMessage("ApiDesign", "RS0026", Justification = "First version; the overloads differ in required parameters.", Scope = "member", Target = "~M:Seeding.Cli.SeedingCommandLine.RunAsync(System.String[],System.Collections.Generic.IReadOnlyList{Seeding.Definitions.ServiceSeeds},System.IO.TextWriter,System.IO.TextWriter,System.Threading.CancellationToken)~System.Threading.Tasks.Task{System.Int32}")]
[assembly: SuppressMessage("ApiDesign", "RS0026", Justification = "First version; the overloads differ in required parameters.", Scope = "member", Target = "~M:Seeding.Cli.SeedingCommandLine.RunAsync(System.String[],Seeding.Cli.SeedingCommandLineOptions,System.IO.TextWriter,System.IO.TextWriter,System.Threading.CancellationToken)~System.Threading.Tasks.Task{System.Int32}")]
