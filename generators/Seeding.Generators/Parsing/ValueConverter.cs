using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Generators.Parsing;

/// <summary>
/// Turns YAML nodes into resolved <see cref="ValueModel"/>s: core-schema scalars, Seeding's tags, maps and
/// lists. Counts the values it copies through aliases and stops past <see cref="MaxAliasCopies"/>, and stops past
/// <see cref="MaxDepth"/>, so alias bombs cannot exhaust the compiler. What is written out in the file is not
/// limited: its size is already bounded by the file, and large seed files compile as data.
/// </summary>
internal sealed class ValueConverter
{
    public const int MaxAliasCopies = 100_000;
    public const int MaxDepth = YamlTreeReader.MaxDepth;

    public const string NowTag = "!now";
    public const string TimestampTag = "!timestamp";
    public const string ReferenceTag = "!ref";
    public const string ExternalReferenceTag = "!ref:external";
    public const string GeoTag = "!geo";
    public const string BytesTag = "!bytes";
    public const string EnvTag = "!env";
    public const string SafeEnvTag = "!env:safe";
    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    /// <summary>Configuration keys: environment variable names, or sections joined with ':' (Seeding:AdminEmail).</summary>
    private static readonly Regex ConfigurationKey = new(@"^[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)*$", RegexOptions.CultureInvariant);

    private readonly SourceMap _map;
    private readonly List<DiagnosticInfo>? _diagnostics;
    private readonly HashSet<YamlNode> _converted = new(); // YamlNode keeps reference equality: one entry per node
    private int _aliasDepth;
    private int _aliasCopies;

    /// <summary>Creates a converter; <paramref name="diagnostics"/> is null for a silent pass (the checksum).</summary>
    public ValueConverter(SourceMap map, List<DiagnosticInfo>? diagnostics)
    {
        _map = map;
        _diagnostics = diagnostics;
    }

    public ValueModel Convert(YamlNode node) => Convert(node, 1);

    /// <summary>Counts a node built again through an alias and enforces the limits.</summary>
    public void Count(YamlNode node, int depth)
    {
        if (_aliasDepth > 0 && ++_aliasCopies > MaxAliasCopies)
        {
            throw new YamlLimitException(
                $"Aliases in this file copy more than {MaxAliasCopies:N0} values (each *alias repeats all that its &anchor holds). Write those values out, or split the file: move the documents that use the aliases into another seed file",
                $"{MaxAliasCopies:N0} values copied through aliases",
                node.Start);
        }

        if (depth > MaxDepth)
        {
            throw YamlLimitException.TooDeep(node.Start);
        }
    }

    private ValueModel Convert(YamlNode node, int depth)
    {
        // A node met a second time is an alias: everything built beneath it is a copy, and counts. Only an anchored
        // node can be met again (its alias is the node itself), so only those are remembered.
        var copy = node.IsAnchored && !_converted.Add(node);
        if (copy)
        {
            _aliasDepth++;
        }

        try
        {
            return ConvertOnce(node, depth);
        }
        finally
        {
            if (copy)
            {
                _aliasDepth--;
            }
        }
    }

    private ValueModel ConvertOnce(YamlNode node, int depth)
    {
        Count(node, depth);
        var tag = node.Tag;
        if (tag is not null && tag != "!" && !tag.StartsWith(CoreTagPrefix, StringComparison.Ordinal))
        {
            return ConvertTagged(node, tag, depth);
        }

        var coreType = tag?.StartsWith(CoreTagPrefix, StringComparison.Ordinal) == true ? tag.Substring(CoreTagPrefix.Length) : null;
        switch (node.Kind)
        {
            case YamlNodeKind.Mapping:
                return coreType is null or "map" ? ConvertMap(node, depth) : WrongCoreTag(node, coreType);
            case YamlNodeKind.Sequence:
                return coreType is null or "seq" ? ConvertList(node, depth) : WrongCoreTag(node, coreType);
        }

        if (tag == "!" || coreType == "str" || !node.IsPlain)
        {
            return ValueModel.Scalar(ValueKindModel.String, node.Value);
        }

        var resolved = ScalarResolver.ResolvePlain(node.Value, out var outOfRange);
        if (resolved is null)
        {
            Report(SeedingDiagnostics.NumberOutOfRange, node, node.Value);
            return ValueModel.Null;
        }

        if (coreType is not null && !MatchesCoreType(resolved.Kind, coreType))
        {
            return WrongCoreTag(node, coreType);
        }

        return coreType == "float" && resolved.Kind == ValueKindModel.Integer
            ? ValueModel.Double(double.Parse(resolved.Text, CultureInfo.InvariantCulture))
            : resolved;
    }

    private ValueModel ConvertMap(YamlNode node, int depth)
    {
        var keys = new List<string>(node.Pairs.Count);
        var values = new List<ValueModel>(node.Pairs.Count);
        foreach (var pair in node.Pairs)
        {
            var name = FieldName(pair.Key);
            if (name is null)
            {
                continue;
            }

            keys.Add(name);
            values.Add(Convert(pair.Value, depth + 1));
        }

        return new ValueModel(ValueKindModel.Map, string.Empty, keys.ToEquatableArray(), values.ToEquatableArray());
    }

    /// <summary>Reads a mapping key as a field name, reporting keys Firestore or Seeding cannot take.</summary>
    public string? FieldName(YamlNode key)
    {
        if (key.Kind != YamlNodeKind.Scalar)
        {
            Report(SeedingDiagnostics.UnexpectedNode, key, "A field name", "a scalar", key.Describe());
            return null;
        }

        if (key.IsPlain && key.Tag is null && key.Value == "<<")
        {
            Report(SeedingDiagnostics.NotSupportedYet, key, "<<", "YAML merge keys are not part of YAML 1.2; use 'defaults:' for fields shared by all documents.");
            return null;
        }

        var problem = DocumentRules.ValidateFieldName(key.Value);
        if (problem is not null)
        {
            Report(SeedingDiagnostics.InvalidFieldName, key, problem);
        }

        return key.Value;
    }

    private ValueModel ConvertList(YamlNode node, int depth)
    {
        var items = new List<ValueModel>(node.Items.Count);
        foreach (var item in node.Items)
        {
            var value = Convert(item, depth + 1);
            if (value.Kind == ValueKindModel.Array)
            {
                Report(SeedingDiagnostics.FirestoreLimit, item, "This list item is itself a list", "arrays of values and maps only", "Wrap the inner list in a map, e.g. - { values: [...] }");
            }

            items.Add(value);
        }

        return new ValueModel(ValueKindModel.Array, string.Empty, EquatableArray<string>.Empty, items.ToEquatableArray());
    }

    private ValueModel ConvertTagged(YamlNode node, string tag, int depth)
    {
        switch (tag)
        {
            case NowTag:
                return node.Kind == YamlNodeKind.Scalar && node.Value.Length == 0
                    ? ValueModel.Scalar(ValueKindModel.ServerTime, string.Empty)
                    : Invalid(node, tag, "!now takes no value; write 'field: !now'");
            case TimestampTag:
                return node.Kind == YamlNodeKind.Scalar && Rfc3339.TryParseUnixMicroseconds(node.Value.Trim(), out var micros)
                    ? ValueModel.Scalar(ValueKindModel.Timestamp, micros.ToString(CultureInfo.InvariantCulture))
                    : Invalid(node, tag, $"'{YamlNode.Shorten(node.Value)}' is not an RFC 3339 timestamp with an offset between years 0001 and 9999, such as 2024-05-01T12:00:00Z");
            case ReferenceTag:
            case ExternalReferenceTag:
                var problem = node.Kind == YamlNodeKind.Scalar ? DocumentRules.ValidateDocumentPath(node.Value) : $"{tag} takes a 'collection/id' path";
                return problem is null
                    ? ValueModel.Reference(node.Value, external: tag == ExternalReferenceTag)
                    : Invalid(node, tag, problem);
            case GeoTag:
                return ConvertGeoPoint(node, depth);
            case BytesTag:
                return ConvertBytes(node);
            case EnvTag:
            case SafeEnvTag:
                var key = ConfigurationKeyOf(node);
                if (key is null)
                {
                    return ValueModel.Null;
                }

                // The checksum's silent pass converts the whole file as one value: there every !env counts.
                if (depth > 1 && _diagnostics is not null)
                {
                    Report(SeedingDiagnostics.ConfiguredValueNotAllowed, node, "inside a map or a list",
                        "it is allowed only as the whole value of a top-level document field (the runtime fills in a string there). Move it to its own top-level field.");
                    return ValueModel.Null;
                }

                return ValueModel.Configured(key, tag == SafeEnvTag);
            default:
                Report(SeedingDiagnostics.UnknownTag, node, tag);
                return ValueModel.Null;
        }
    }

    /// <summary>The key of an <c>!env</c> node, or null after reporting why it is not one.</summary>
    public string? ConfigurationKeyOf(YamlNode node)
    {
        var key = node.Kind == YamlNodeKind.Scalar ? node.Value.Trim() : string.Empty;
        if (ConfigurationKey.IsMatch(key))
        {
            return key;
        }

        Invalid(node, node.Tag ?? EnvTag, "!env takes a configuration key such as PLATFORM_ADMIN_EMAIL (letters, digits, '_', '.', '-'; sections joined with ':')");
        return null;
    }

    private ValueModel ConvertGeoPoint(YamlNode node, int depth)
    {
        const string Expected = "!geo takes [latitude, longitude], two numbers with latitude in [-90, 90] and longitude in [-180, 180]";
        if (node.Kind != YamlNodeKind.Sequence || node.Items.Count != 2)
        {
            return Invalid(node, GeoTag, Expected);
        }

        var coordinates = new double[2];
        for (var i = 0; i < 2; i++)
        {
            var item = Convert(node.Items[i], depth + 1);
            if (item.Kind is not (ValueKindModel.Integer or ValueKindModel.Double))
            {
                return Invalid(node, GeoTag, Expected);
            }

            coordinates[i] = ValueModel.ParseDouble(item.Text);
        }

        if (!(Math.Abs(coordinates[0]) <= 90 && Math.Abs(coordinates[1]) <= 180))
        {
            return Invalid(node, GeoTag, Expected);
        }

        return new ValueModel(ValueKindModel.GeoPoint, string.Empty, EquatableArray<string>.Empty, coordinates.Select(ValueModel.Double).ToEquatableArray());
    }

    private ValueModel ConvertBytes(YamlNode node)
    {
        if (node.Kind == YamlNodeKind.Scalar)
        {
            var text = new string(node.Value.Where(c => !char.IsWhiteSpace(c)).ToArray());
            try
            {
                return ValueModel.Scalar(ValueKindModel.Bytes, System.Convert.ToBase64String(System.Convert.FromBase64String(text)));
            }
            catch (FormatException)
            {
                // Reported below.
            }
        }

        return Invalid(node, BytesTag, "!bytes takes standard base64 text, e.g. !bytes aGVsbG8=");
    }

    private static bool MatchesCoreType(ValueKindModel kind, string coreType) => coreType switch
    {
        "str" => true,
        "null" => kind == ValueKindModel.Null,
        "bool" => kind == ValueKindModel.Boolean,
        "int" => kind == ValueKindModel.Integer,
        "float" => kind is ValueKindModel.Double or ValueKindModel.Integer,
        _ => false,
    };

    private ValueModel WrongCoreTag(YamlNode node, string coreType) =>
        Invalid(node, "!!" + coreType, $"{node.Describe()} is not a valid !!{coreType}");

    private ValueModel Invalid(YamlNode node, string tag, string problem)
    {
        Report(SeedingDiagnostics.InvalidTagValue, node, tag, problem);
        return ValueModel.Null;
    }

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, YamlNode node, params object[] arguments) =>
        _diagnostics?.Add(DiagnosticInfo.Create(descriptor, _map.At(node), arguments));
}
