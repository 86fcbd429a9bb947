using System.Reflection;
using System.Runtime.Loader;
using Seeding.Definitions;

namespace Seeding.Cli;

/// <summary>
/// Loads a service's compiled assembly for the <c>seeding</c> tool and reads its registry with
/// <see cref="ServiceSeeds.FromAssembly"/> (one attribute lookup, no type scanning), so it works for any service built
/// with the Seeding generator.
/// </summary>
public static class ServiceAssemblies
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);

    /// <summary>Loads a service assembly from a file (its dependencies resolve from its own folder) and reads its registry.</summary>
    /// <param name="path">The service's compiled <c>.dll</c>, e.g. <c>bin/Debug/net10.0/MyService.dll</c>.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidOperationException">Not a loadable assembly, or no Seeding service in it.</exception>
    public static ServiceSeeds Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Assembly '{path}' does not exist. Build the service first (dotnet build) and pass its output .dll.", full);
        }

        Assembly assembly;
        lock (Gate)
        {
            if (!Loaded.TryGetValue(full, out assembly!) && !TryFindLoaded(full, out assembly!))
            {
                try
                {
                    // The default context keeps one copy of Seeding.dll (the tool's), so the service's ServiceSeeds is
                    // the type the tool knows; anything else the service needs is found beside it.
                    var directory = Path.GetDirectoryName(full)!;
                    AssemblyLoadContext.Default.Resolving += (context, name) => ResolveBeside(context, name, directory);
                    assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
                }
                catch (BadImageFormatException e)
                {
                    throw new InvalidOperationException($"'{path}' is not a .NET assembly: {e.Message}", e);
                }
                catch (FileLoadException e)
                {
                    throw new InvalidOperationException($"Assembly '{path}' could not be loaded: {e.Message}", e);
                }

                Loaded[full] = assembly;
            }
        }

        return ServiceSeeds.FromAssembly(assembly);
    }

    // A host that already runs the assembly (or a test that is the assembly) gets that copy: loading a second one
    // with the same identity into the default context would fail.
    private static bool TryFindLoaded(string path, out Assembly? assembly)
    {
        string? name;
        try
        {
            name = AssemblyName.GetAssemblyName(path).Name;
        }
        catch (BadImageFormatException e)
        {
            throw new InvalidOperationException($"'{path}' is not a .NET assembly: {e.Message}", e);
        }

        assembly = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, name, StringComparison.Ordinal));
        return assembly is not null;
    }

    private static Assembly? ResolveBeside(AssemblyLoadContext context, AssemblyName name, string directory)
    {
        var candidate = Path.Combine(directory, name.Name + ".dll");
        return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
    }
}
