using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;

namespace Seeding.Generators.Checks;

/// <summary>
/// The resource checks across a service's seed files (all phases): an index or field override declared twice, a topic
/// or subscription declared with different settings (the same settings twice is fine), and a subscription naming a
/// topic no file declares.
/// </summary>
internal static class ResourceChecks
{
    public static IEnumerable<DiagnosticInfo> Check(ImmutableArray<SeedFileSummary> summaries)
    {
        var declared = summaries
            .OrderBy(s => s.Phase)
            .ThenBy(s => s.RelativePath, StringComparer.Ordinal)
            .SelectMany(s => s.Resources.Select(r => (File: s, Resource: r)))
            .ToList();
        var diagnostics = new List<DiagnosticInfo>();
        foreach (var group in declared.GroupBy(d => d.Resource.Identity, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var all = group.ToList();
            var kind = all[0].Resource.Kind;
            foreach (var (file, resource) in all)
            {
                // Each declaration names another one, so both places show the problem.
                var others = all.Where(o => o.Resource != resource).ToList();
                if (kind is ResourceKinds.Index or ResourceKinds.FieldOverride)
                {
                    diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.DuplicateIndex, resource.Location, resource.Identity, Place(others[0])));
                    continue;
                }

                var differing = others.FirstOrDefault(o => o.Resource.Settings != resource.Settings);
                if (differing.Resource is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.ConflictingPubSubDeclarations, resource.Location, resource.Identity, Place(differing), Difference(resource.Settings, differing.Resource.Settings)));
                }
            }
        }

        var topics = new HashSet<string>(declared.Where(d => d.Resource.Kind == ResourceKinds.Topic).Select(d => d.Resource.Identity), StringComparer.Ordinal);
        foreach (var reference in summaries.OrderBy(s => s.RelativePath, StringComparer.Ordinal).SelectMany(s => s.TopicReferences))
        {
            var parts = reference.Name.Split('\n');
            if (!topics.Contains($"{ResourceKinds.Topic} '{parts[1]}'"))
            {
                diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.UndeclaredTopic, reference.Location, parts[0], parts[1]));
            }
        }

        return diagnostics;
    }

    private static string Place((SeedFileSummary File, DeclaredResource Resource) other) => $"{other.File.RelativePath} {other.Resource.Location.Describe()}";

    /// <summary>The settings that differ, by name: those declared on one side only or with other values.</summary>
    private static string Difference(string mine, string theirs)
    {
        var (left, right) = (Parse(mine), Parse(theirs));
        return string.Join(", ", left.Keys.Concat(right.Keys)
            .Distinct(StringComparer.Ordinal)
            .Where(name => !left.TryGetValue(name, out var a) || !right.TryGetValue(name, out var b) || a != b)
            .OrderBy(name => name, StringComparer.Ordinal));
    }

    private static Dictionary<string, string> Parse(string settings) => settings
        .Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split(new[] { '=' }, 2))
        .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
}
