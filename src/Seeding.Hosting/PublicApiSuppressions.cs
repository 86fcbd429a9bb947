using System.Diagnostics.CodeAnalysis;

// RS0026 (no two overloads with optional parameters) guards against adding an optional parameter to an overload that
// has already shipped, which breaks binary callers. Nothing has shipped yet, and each pair below differs in its
// required parameters (an optional seeds argument would be ambiguous with configure), so a call can never bind to the wrong overload.
[assembly: SuppressMessage("ApiDesign", "RS0026", Justification = "First version; the overloads differ in required parameters.", Scope = "member", Target = "~M:Seeding.Hosting.SeedingServiceCollectionExtensions.AddSeeding(Microsoft.Extensions.DependencyInjection.IServiceCollection,System.Action{Seeding.Hosting.SeedingHostOptions})~Seeding.Hosting.SeedingBuilder")]
[assembly: SuppressMessage("ApiDesign", "RS0026", Justification = "First version; the overloads differ in required parameters.", Scope = "member", Target = "~M:Seeding.Hosting.SeedingServiceCollectionExtensions.AddSeeding(Microsoft.Extensions.DependencyInjection.IServiceCollection,Seeding.Definitions.ServiceSeeds,System.Action{Seeding.Hosting.SeedingHostOptions})~Seeding.Hosting.SeedingBuilder")]
