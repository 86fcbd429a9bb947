using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Seeding.Generators.Descriptors;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>
/// Parses one seed file into its equatable model, a slim summary and diagnostics. Never throws (except on
/// cancellation): an unexpected failure becomes SEED999 on the file.
/// </summary>
internal sealed class SeedFileParser
{
    private const string ExactTypesKey = "exact_types";
    private static readonly string[] FileKeys = new[] { "description", "steps", ExactTypesKey }.Concat(StepOptions.Keys).Concat(StepReader.StepKeys).ToArray();
    private static readonly string[] StepItemKeys = new[] { "description" }.Concat(StepOptions.Keys).Concat(StepReader.StepKeys).ToArray();

    private readonly SeedFileText _file;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly SourceMap _map;

    // 'exact_types: true': each value keeps its own kind (no widening of integers to double, a mixed field is a Value).
    private bool _exactTypes;

    private SeedFileParser(SeedFileText file)
    {
        _file = file;
        _map = new SourceMap(file.FilePath, file.Content);
    }

    public static ParseResult Parse(SeedFileText file, CancellationToken cancellationToken)
    {
        var parser = new SeedFileParser(file);
        try
        {
            return parser.Run(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (YamlLimitException limit)
        {
            parser._diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.ExpansionLimit, parser._map.At(limit.Position, limit.Position), limit.What, limit.Limit));
            return new ParseResult(null, null, parser._diagnostics.ToEquatableArray());
        }
        catch (Exception ex)
        {
            parser._diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InternalError, LocationInfo.FileStart(file.FilePath), ex.GetType().Name, YamlNode.Shorten(ex.Message)));
            return new ParseResult(null, null, parser._diagnostics.ToEquatableArray());
        }
    }

    private ParseResult Run(CancellationToken cancellationToken)
    {
        if (_file.ReadError is not null)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InternalError, LocationInfo.FileStart(_file.FilePath), "unreadable file", YamlNode.Shorten(_file.ReadError)));
            return Result(null, null);
        }

        var identity = SeedFilePath.Identify(_file, _diagnostics.Add);
        if (identity is null)
        {
            return Result(null, null);
        }

        // The YAML tree is read and dropped in a method of its own: the compiler runs this once, as unoptimized
        // (tier-0) code that keeps every local alive to the end, and a large file's tree is its largest object.
        var read = ReadSteps(cancellationToken);
        if (read is null)
        {
            return Result(null, null);
        }

        var (checksum, description, steps) = read.Value;
        cancellationToken.ThrowIfCancellationRequested();
        var records = RecordBuilder.Build(identity, steps, _diagnostics, _exactTypes);
        var created = steps
            .Where(s => s.Verb == "create" && !s.IsMatch)
            .SelectMany(s => s.Documents.Select(d => new CreatedDocument(s.Collection, d.Id, d.Location)))
            .ToEquatableArray();
        var upserted = steps
            .Where(s => s.Verb == "upsert")
            .SelectMany(s => s.Documents.Select(d => s.Collection + "/" + d.Id))
            .Distinct(StringComparer.Ordinal)
            .ToEquatableArray();
        var references = steps
            .SelectMany(s => s.Documents.SelectMany(d => d.Fields).Concat(s.Set.Select(f => (f.Field.Name, f.Field.Value, f.Location))))
            .SelectMany(f => References(f.Value).Select(path => new NamedLocation(path, f.Location)))
            .ToEquatableArray();
        var environments = steps.SelectMany(s => s.Options.Environments).Distinct().ToEquatableArray();
        CheckIndexPhase(identity, steps);
        var resources = steps
            .Where(s => s.Resource is not null)
            .Select(s => new DeclaredResource(s.Resource!.Kind, s.Resource.Identity, s.Resource.Settings(), s.ResourceLocation!))
            .ToEquatableArray();
        var topicReferences = steps.SelectMany(s => s.TopicReferences).ToEquatableArray();

        var hasErrors = _diagnostics.Any(d => SeedingDiagnostics.ById(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        var model = hasErrors ? null : new SeedFileModel(identity.Id, identity.Phase, identity.ClassName, _file.RelativePath, description, checksum, records.Records, records.Steps);
        var summary = new SeedFileSummary(_file.FilePath, _file.RelativePath, identity.Id, identity.Phase, identity.Number, model?.ClassName, checksum, created, upserted, references, environments, resources, topicReferences);
        var bindings = steps
            .Where(RecordBuilder.IsBound)
            .Select((s, i) => new BindingDraft(
                steps.IndexOf(s),
                s.Options.Type!.Name,
                s.Options.Type.Location,
                s.Documents.Select(d => new BindingDocument(d.Id, d.Line, d.Location, d.Fields
                    .Select(f => new BindingField(f.Name, f.Value, d.KeyLocation(f.Name) ?? f.Location, f.Location))
                    .ToEquatableArray())).ToEquatableArray()))
            .ToEquatableArray();
        return new ParseResult(model, summary, _diagnostics.ToEquatableArray(), bindings);
    }

    /// <summary>The file's checksum, description and steps, or null when it has no usable content (reported).</summary>
    private (string Checksum, string? Description, List<StepDraft> Steps)? ReadSteps(CancellationToken cancellationToken)
    {
        var root = YamlTreeReader.Read(_file.Content, _map, _diagnostics);
        cancellationToken.ThrowIfCancellationRequested();
        if (root is null || root.IsNullScalar)
        {
            if (_diagnostics.Count == 0)
            {
                _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.EmptyFile, LocationInfo.FileStart(_file.FilePath), _file.RelativePath));
            }

            return null;
        }

        if (root.Kind != YamlNodeKind.Mapping)
        {
            Report(SeedingDiagnostics.UnexpectedNode, root, "A seed file", "a mapping with keys such as description, create and documents", root.Describe());
            return null;
        }

        // The checksum covers the whole parsed file; a silent pass, since problems are reported below.
        var checksum = Checksum.Compute(new ValueConverter(_map, null).Convert(root));
        cancellationToken.ThrowIfCancellationRequested();

        var converter = new ValueConverter(_map, _diagnostics);
        var reader = new StepReader(_map, converter, _diagnostics);
        var optionsReader = new StepOptionsReader(_map, converter, _diagnostics);
        var keys = ReadKeys(root, FileKeys, "the file");
        var fileOptions = optionsReader.Read(keys);
        string? description = null;
        if (keys.TryGetValue("description", out var descriptionEntry))
        {
            description = ReadDescription(descriptionEntry.Value);
        }

        if (keys.TryGetValue(ExactTypesKey, out var exactEntry))
        {
            if (exactEntry.Value.Kind == YamlNodeKind.Scalar && exactEntry.Value.IsPlain && exactEntry.Value.Tag is null && exactEntry.Value.Value is "true" or "false")
            {
                _exactTypes = exactEntry.Value.Value == "true";
            }
            else
            {
                Report(SeedingDiagnostics.UnexpectedNode, exactEntry.Value, "'exact_types:'", "true or false", exactEntry.Value.Describe());
            }
        }

        var steps = new List<StepDraft>();
        if (keys.TryGetValue("steps", out var stepsEntry))
        {
            var topLevelStepKey = StepReader.StepKeys.FirstOrDefault(keys.ContainsKey);
            if (topLevelStepKey is not null)
            {
                Report(SeedingDiagnostics.ConflictingKeys, keys[topLevelStepKey].Key, topLevelStepKey, "'steps:'", "move it into one of the steps.");
            }
            else if (stepsEntry.Value.Kind != YamlNodeKind.Sequence)
            {
                Report(SeedingDiagnostics.UnexpectedNode, stepsEntry.Value, "'steps:'", "a list of steps (each a mapping with create:, upsert: or backfill:)", stepsEntry.Value.Describe());
            }
            else
            {
                foreach (var item in stepsEntry.Value.Items)
                {
                    if (item.Kind != YamlNodeKind.Mapping)
                    {
                        Report(SeedingDiagnostics.UnexpectedNode, item, "A step", "a mapping with create:, upsert: or backfill:", item.Describe());
                        continue;
                    }

                    var stepKeys = ReadKeys(item, StepItemKeys, "a step");
                    if (stepKeys.TryGetValue("description", out var stepDescription))
                    {
                        ReadDescription(stepDescription.Value);
                    }

                    var options = optionsReader.Merge(fileOptions, optionsReader.Read(stepKeys));
                    AddStep(reader.Read(item, stepKeys, "This step", options), steps);
                }
            }
        }
        else
        {
            AddStep(reader.Read(root, keys, "This file", fileOptions), steps);
        }

        return (checksum, description, steps);
    }

    /// <summary>Indexes and field overrides are built before the code that needs them is deployed: pre-deploy migrations only.</summary>
    private void CheckIndexPhase(SeedFileIdentity identity, List<StepDraft> steps)
    {
        if (identity.Phase == SeedPhase.Pre)
        {
            return;
        }

        var where = identity.Phase == SeedPhase.Post ? "a post-deploy migration (migrations/post/)" : "a bootstrap file (bootstrap/), which runs on every startup";
        foreach (var step in steps.Where(s => s.Resource?.Kind is ResourceKinds.Index or ResourceKinds.FieldOverride))
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.IndexOutsidePreDeploy, step.ResourceLocation, step.Verb, where));
        }
    }

    private static IEnumerable<string> References(ValueModel value) => value.Kind switch
    {
        ValueKindModel.Reference => value.IsExternalReference ? Enumerable.Empty<string>() : new[] { value.Text },
        ValueKindModel.Map or ValueKindModel.Array => value.Items.SelectMany(References),
        _ => Enumerable.Empty<string>(),
    };

    private static void AddStep(StepDraft? step, List<StepDraft> steps)
    {
        if (step is not null)
        {
            steps.Add(step);
        }
    }

    private Dictionary<string, (YamlNode Key, YamlNode Value)> ReadKeys(YamlNode mapping, string[] allowed, string where)
    {
        var keys = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var pair in mapping.Pairs)
        {
            if (pair.Key.Kind != YamlNodeKind.Scalar)
            {
                Report(SeedingDiagnostics.UnexpectedNode, pair.Key, "A key", "a name", pair.Key.Describe());
            }
            else if (StepReader.ReservedKeys.TryGetValue(pair.Key.Value, out var advice))
            {
                Report(SeedingDiagnostics.NotSupportedYet, pair.Key, pair.Key.Value, advice);
            }
            else if (Array.IndexOf(allowed, pair.Key.Value) < 0)
            {
                Report(SeedingDiagnostics.UnknownKey, pair.Key, YamlNode.Shorten(pair.Key.Value), where, KeySuggestion.Advice(pair.Key.Value, allowed));
            }
            else
            {
                keys[pair.Key.Value] = (pair.Key, pair.Value);
            }
        }

        return keys;
    }

    private string? ReadDescription(YamlNode node)
    {
        if (node.Kind == YamlNodeKind.Scalar && node.Tag is null)
        {
            return node.IsNullScalar ? null : node.Value;
        }

        Report(SeedingDiagnostics.UnexpectedNode, node, "'description:'", "text", node.Describe());
        return null;
    }

    private ParseResult Result(SeedFileModel? model, SeedFileSummary? summary) =>
        new(model, summary, _diagnostics.ToEquatableArray());

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, YamlNode node, params object[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, _map.At(node), arguments));
}
