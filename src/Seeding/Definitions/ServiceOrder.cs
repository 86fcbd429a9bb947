namespace Seeding.Definitions;

/// <summary>Orders services so that each runs after the services it <see cref="ServiceSeeds.DependsOn"/>.</summary>
public static class ServiceOrder
{
    /// <summary>
    /// Sorts services topologically; services with no order between them keep ordinal name order, so the result
    /// is the same on every machine.
    /// </summary>
    /// <exception cref="InvalidOperationException">A dependency is missing or the dependencies form a cycle; the message names it.</exception>
    public static IReadOnlyList<ServiceSeeds> Sort(IEnumerable<ServiceSeeds> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var byName = new SortedDictionary<string, ServiceSeeds>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            if (!byName.TryAdd(service.Service, service))
            {
                throw new InvalidOperationException($"Two assemblies declare the service '{service.Service}'. Give each a unique 'service:' in its seeding.yaml.");
            }
        }

        foreach (var service in byName.Values)
        {
            var missing = service.DependsOn.FirstOrDefault(d => !byName.ContainsKey(d));
            if (missing is not null)
            {
                throw new InvalidOperationException(
                    $"Service '{service.Service}' depends on '{missing}', which is not among the services given ({string.Join(", ", byName.Keys)}). " +
                    "Add that service's assembly, or remove it from depends_on in seeding.yaml.");
            }
        }

        var ordered = new List<ServiceSeeds>(byName.Count);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: in progress, true: done
        foreach (var name in byName.Keys)
        {
            Visit(name, byName, state, ordered, new Stack<string>());
        }

        return ordered;
    }

    private static void Visit(string name, SortedDictionary<string, ServiceSeeds> byName, Dictionary<string, bool> state, List<ServiceSeeds> ordered, Stack<string> path)
    {
        if (state.TryGetValue(name, out var done))
        {
            if (!done)
            {
                var cycle = path.Reverse().SkipWhile(n => n != name).Append(name);
                throw new InvalidOperationException($"The services' depends_on form a cycle: {string.Join(" -> ", cycle)}. Remove one of these dependencies.");
            }

            return;
        }

        state[name] = false;
        path.Push(name);
        foreach (var dependency in byName[name].DependsOn.OrderBy(d => d, StringComparer.Ordinal))
        {
            Visit(dependency, byName, state, ordered, path);
        }

        path.Pop();
        state[name] = true;
        ordered.Add(byName[name]);
    }
}
