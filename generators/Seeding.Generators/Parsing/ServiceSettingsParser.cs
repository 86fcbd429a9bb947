using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Seeding.Definitions;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>Parses seeding.yaml: <c>service</c>, <c>depends_on</c>, <c>namespace</c> and <c>environments</c>, all optional.</summary>
internal static class ServiceSettingsParser
{
    private static readonly string[] Keys = { "service", "depends_on", "namespace", "environments" };

    public static ServiceSettingsResult Parse(ImmutableArray<SeedFileText> files)
    {
        if (files.IsDefaultOrEmpty)
        {
            return ServiceSettingsResult.None;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var ordered = files.OrderBy(f => f.FilePath, StringComparer.Ordinal).ToList();
        foreach (var extra in ordered.Skip(1))
        {
            diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidServiceSettings, LocationInfo.FileStart(extra.FilePath),
                $"a project has one seeding.yaml, but '{ordered[0].FilePath}' is used and this one is ignored; merge them"));
        }

        var file = ordered[0];
        try
        {
            var settings = ParseOne(file, diagnostics);
            return new ServiceSettingsResult(true, settings, diagnostics.ToEquatableArray());
        }
        catch (YamlLimitException limit)
        {
            diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.ExpansionLimit, new SourceMap(file.FilePath, file.Content).At(limit.Position, limit.Position), limit.What, limit.Limit));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InternalError, LocationInfo.FileStart(file.FilePath), ex.GetType().Name, YamlNode.Shorten(ex.Message)));
        }

        return new ServiceSettingsResult(true, ServiceSettingsResult.None.Settings, diagnostics.ToEquatableArray());
    }

    private static ServiceSettingsModel ParseOne(SeedFileText file, List<DiagnosticInfo> diagnostics)
    {
        var none = ServiceSettingsResult.None.Settings;
        if (file.ReadError is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InternalError, LocationInfo.FileStart(file.FilePath), "unreadable file", YamlNode.Shorten(file.ReadError)));
            return none;
        }

        if (file.RelativePath != "seeding.yaml")
        {
            diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.WrongExtension, LocationInfo.FileStart(file.FilePath), file.RelativePath, "seeding.yaml"));
            return none;
        }

        var map = new SourceMap(file.FilePath, file.Content);
        var root = YamlTreeReader.Read(file.Content, map, diagnostics);
        if (root is null || root.IsNullScalar)
        {
            return none;
        }

        if (root.Kind != YamlNodeKind.Mapping)
        {
            diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.UnexpectedNode, map.At(root), "seeding.yaml", "a mapping with service, depends_on, namespace and environments", root.Describe()));
            return none;
        }

        string? service = null;
        string? ns = null;
        var dependsOn = new List<string>();
        List<string>? environments = null;
        foreach (var pair in root.Pairs)
        {
            var key = pair.Key.Kind == YamlNodeKind.Scalar ? pair.Key.Value : string.Empty;
            var value = pair.Value;
            switch (key)
            {
                case "service":
                    service = Name(value, map, diagnostics, "'service' must be a name of letters, digits, '.', '_' or '-', e.g. service: user");
                    break;
                case "namespace":
                    ns = value.Kind == YamlNodeKind.Scalar && IsNamespace(value.Value) ? value.Value : null;
                    if (ns is null)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidServiceSettings, map.At(value), "'namespace' must be a C# namespace such as Acme.Users.Seeds"));
                    }

                    break;
                case "depends_on":
                    var items = value.Kind == YamlNodeKind.Sequence ? value.Items : new List<YamlNode> { value };
                    foreach (var item in items.Where(i => !i.IsNullScalar))
                    {
                        var name = Name(item, map, diagnostics, "each 'depends_on' entry must be a service name, e.g. depends_on: [tenant]");
                        if (name is not null && !dependsOn.Contains(name))
                        {
                            dependsOn.Add(name);
                        }
                    }

                    break;
                case "environments":
                    environments = new List<string>();
                    var names = value.Kind == YamlNodeKind.Sequence ? value.Items : new List<YamlNode> { value };
                    foreach (var item in names.Where(i => !i.IsNullScalar))
                    {
                        var name = Name(item, map, diagnostics, "each 'environments' entry must be a name, e.g. environments: [development, staging, production]");
                        if (name is not null && !environments.Contains(name, StringComparer.OrdinalIgnoreCase))
                        {
                            environments.Add(name);
                        }
                    }

                    if (environments.Count == 0)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidServiceSettings, map.At(value), "'environments' lists the environment names seed files may use; give at least one"));
                        environments = null;
                    }

                    break;
                default:
                    diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.UnknownKey, map.At(pair.Key), YamlNode.Shorten(key), "seeding.yaml", KeySuggestion.Advice(key, Keys)));
                    break;
            }
        }

        if (service is not null && dependsOn.Contains(service))
        {
            diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidServiceSettings, map.At(root.Start, root.Start), $"service '{service}' depends on itself; remove it from depends_on"));
        }

        return new ServiceSettingsModel(service, dependsOn.ToEquatableArray(), ns, environments?.ToEquatableArray() ?? ServiceSettingsModel.DefaultEnvironments);
    }

    private static string? Name(YamlNode node, SourceMap map, List<DiagnosticInfo> diagnostics, string problem)
    {
        if (node.Kind == YamlNodeKind.Scalar && ServiceNameRule.Matches(node.Value))
        {
            return node.Value;
        }

        diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidServiceSettings, map.At(node), problem));
        return null;
    }

    /// <summary>Dotted C# identifiers, none of them a keyword.</summary>
    public static bool IsNamespace(string text) =>
        text.Split('.').All(part => SyntaxFacts.IsValidIdentifier(part) && SyntaxFacts.GetKeywordKind(part) == SyntaxKind.None);
}
