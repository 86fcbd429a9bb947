using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>The keys that may sit on a file (applying to each step) or on one step: when, environments, type.</summary>
internal sealed class StepOptions
{
    public static readonly string[] Keys = { "when", "environments", "type" };

    public static StepOptions None { get; } = new();

    /// <summary><c>when: !env KEY</c>: the configuration key.</summary>
    public string? When { get; set; }

    /// <summary><c>environments: [...]</c> with where each name is written.</summary>
    public List<NamedLocation> Environments { get; } = new();

    /// <summary><c>type: Namespace.Type</c>, the C# type documents bind to, and where it is written.</summary>
    public NamedLocation? Type { get; set; }

    /// <summary>Which keys were written, with the key node, to report one given both on a file and a step.</summary>
    public Dictionary<string, YamlNode> Written { get; } = new(System.StringComparer.Ordinal);

    public ConditionsModel ToConditions() => new(When, Environments.Select(e => e.Name).ToEquatableArray());
}

/// <summary>Reads <see cref="StepOptions"/> and merges a file's with a step's (the same key on both is an error).</summary>
internal sealed class StepOptionsReader
{
    private static readonly Regex EnvironmentName = new("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant);
    private static readonly Regex TypeName = new(@"^(global::)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$", RegexOptions.CultureInvariant);

    private readonly SourceMap _map;
    private readonly ValueConverter _converter;
    private readonly List<DiagnosticInfo> _diagnostics;

    public StepOptionsReader(SourceMap map, ValueConverter converter, List<DiagnosticInfo> diagnostics)
    {
        _map = map;
        _converter = converter;
        _diagnostics = diagnostics;
    }

    public StepOptions Read(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys)
    {
        var options = new StepOptions();
        if (keys.TryGetValue("when", out var when))
        {
            options.Written["when"] = when.Key;
            if (when.Value.Tag is ValueConverter.EnvTag or ValueConverter.SafeEnvTag && when.Value.Kind == YamlNodeKind.Scalar)
            {
                options.When = _converter.ConfigurationKeyOf(when.Value);
            }
            else
            {
                Report(SeedingDiagnostics.UnexpectedNode, when.Value, "'when:'", "!env NAME (the step runs only when that configuration value is set)", when.Value.Describe());
            }
        }

        if (keys.TryGetValue("environments", out var environments))
        {
            options.Written["environments"] = environments.Key;
            ReadEnvironments(environments.Value, options.Environments);
        }

        if (keys.TryGetValue("type", out var type))
        {
            options.Written["type"] = type.Key;
            if (type.Value.Kind == YamlNodeKind.Scalar && type.Value.Tag is null && TypeName.IsMatch(type.Value.Value))
            {
                var name = type.Value.Value.StartsWith("global::", System.StringComparison.Ordinal) ? type.Value.Value.Substring(8) : type.Value.Value;
                options.Type = new NamedLocation(name, _map.At(type.Value));
            }
            else
            {
                Report(SeedingDiagnostics.UnexpectedNode, type.Value, "'type:'", "the full name of a C# type, e.g. Acme.Users.Role", type.Value.Describe());
            }
        }

        return options;
    }

    /// <summary>A step's options on top of its file's; a key given on both is reported at the step's key.</summary>
    public StepOptions Merge(StepOptions file, StepOptions step)
    {
        foreach (var written in step.Written.Where(w => file.Written.ContainsKey(w.Key)))
        {
            Report(SeedingDiagnostics.ConflictingKeys, written.Value, written.Key, "the same key for the whole file", "give it on the file or on each step, not both.");
        }

        var merged = new StepOptions
        {
            When = step.When ?? file.When,
            Type = step.Type ?? file.Type,
        };
        merged.Environments.AddRange(step.Environments.Count > 0 ? step.Environments : file.Environments);
        return merged;
    }

    private void ReadEnvironments(YamlNode node, List<NamedLocation> names)
    {
        var items = node.Kind == YamlNodeKind.Sequence ? node.Items : new List<YamlNode> { node };
        if (items.Count == 0 || node.IsNullScalar)
        {
            Report(SeedingDiagnostics.UnexpectedNode, node, "'environments:'", "a list of one or more environment names, e.g. [development, staging]", node.Describe());
            return;
        }

        foreach (var item in items)
        {
            if (item.Kind != YamlNodeKind.Scalar || item.Tag is not null || !EnvironmentName.IsMatch(item.Value))
            {
                Report(SeedingDiagnostics.UnexpectedNode, item, "An environment", "a name of letters, digits, '.', '_' or '-'", item.Describe());
            }
            else if (!names.Any(n => n.Name == item.Value))
            {
                names.Add(new NamedLocation(item.Value, _map.At(item)));
            }
        }
    }

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, YamlNode node, params object[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, _map.At(node), arguments));
}
