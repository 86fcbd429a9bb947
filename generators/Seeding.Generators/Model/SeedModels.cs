namespace Seeding.Generators.Model;

/// <summary>When a seed file runs; mirrors the runtime's SeedPhase (the generator shares no assembly with it).</summary>
internal enum SeedPhaseKind
{
    Pre,
    Post,
    Bootstrap,
}

/// <summary>What an additional file is to the generator.</summary>
internal enum SeedFileKind
{
    /// <summary>Not a Seeding file: ignored.</summary>
    None,

    /// <summary>A seed file (or a file in a seed folder that is misnamed, to be reported).</summary>
    Seed,

    /// <summary>seeding.yaml, the service settings.</summary>
    ServiceSettings,
}

/// <summary>
/// An additional file's text and where it sits, read once; equal text means a Cached parse. FilePath is the
/// path the compiler knows (for diagnostics); RelativePath the deterministic one cited in generated code,
/// e.g. <c>migrations/pre/0001_x.yaml</c>.
/// ReadError is set when the compiler could not give the file's text (reported as SEED999).
/// </summary>
internal sealed record SeedFileText(string FilePath, string RelativePath, SeedFileKind Kind, string Content, string? ReadError = null);

/// <summary>The kinds of value a YAML seed can hold once tags and the YAML 1.2 core schema are resolved.</summary>
internal enum ValueKindModel
{
    /// <summary>The field is not in this document (only in per-document field lists).</summary>
    Absent,
    Null,
    Boolean,
    Integer,
    Double,
    String,
    ServerTime,
    Timestamp,
    Reference,
    GeoPoint,
    Bytes,
    Array,
    Map,
}

/// <summary>
/// A resolved YAML value. <see cref="Text"/> holds the canonical scalar text: invariant integer, round-trip
/// double, raw string, Unix microseconds for a timestamp, the path of a reference, base64 of bytes.
/// Arrays use <see cref="Items"/>; maps use <see cref="Keys"/> and <see cref="Items"/> in YAML order; a geo
/// point holds its two doubles in <see cref="Items"/>.
/// </summary>
internal sealed record ValueModel(ValueKindModel Kind, string Text, EquatableArray<string> Keys, EquatableArray<ValueModel> Items)
{
    public static ValueModel Absent { get; } = Scalar(ValueKindModel.Absent, string.Empty);

    public static ValueModel Null { get; } = Scalar(ValueKindModel.Null, string.Empty);

    public static ValueModel Scalar(ValueKindModel kind, string text) => new(kind, text, EquatableArray<string>.Empty, EquatableArray<ValueModel>.Empty);
}

/// <summary>The C# shape of a record property.</summary>
internal enum ClrKind
{
    /// <summary>global::Seeding.Values.Value: null-only fields and mixed list items.</summary>
    Value,
    String,
    Long,
    Double,
    Boolean,
    Timestamp,
    Reference,
    GeoPoint,
    Bytes,
    Map,
    List,
}

/// <summary>
/// A record property: the YAML field name (kept exactly), the C# name and type. ElementKind is the item type
/// of a list (Value for mixed lists); Nullable means absent in some document or explicitly null somewhere;
/// OmitWhenNull means absent in some document, so a null property writes no field.
/// </summary>
internal sealed record FieldModel(string YamlName, string PropertyName, ClrKind Kind, ClrKind ElementKind, bool Nullable, bool OmitWhenNull);

/// <summary>
/// One YAML document: its id, its value per record field (Absent when missing) and its line. ExplicitNulls
/// lists fields that are omitted when null but that this document sets to null on purpose.
/// </summary>
internal sealed record DocumentModel(string Id, int Line, EquatableArray<ValueModel> Values, EquatableArray<string> ExplicitNulls);

/// <summary>The record inferred for one collection of a file, and all its documents across the file's steps.</summary>
internal sealed record RecordModel(string Collection, string RecordName, string ListName, EquatableArray<FieldModel> Fields, EquatableArray<DocumentModel> Documents);

/// <summary>One step: the verb, its collection, its line, and which documents of the record it writes.</summary>
internal sealed record StepModel(string Verb, string Collection, int Line, int RecordIndex, EquatableArray<int> DocumentIndexes);

/// <summary>Everything needed to emit one seed file's class, and nothing from Roslyn.</summary>
internal sealed record SeedFileModel(
    string Id,
    SeedPhaseKind Phase,
    string ClassName,
    string RelativePath,
    string? Description,
    string Checksum,
    EquatableArray<RecordModel> Records,
    EquatableArray<StepModel> Steps);

/// <summary>A document a file creates, with where it is declared, for duplicate checks across files.</summary>
internal sealed record CreatedDocument(string Collection, string Id, LocationInfo Location);

/// <summary>
/// The slim view of a seed file the cross-file checks and the registry need. <see cref="ClassName"/> is null
/// when the file has errors and no class was emitted.
/// </summary>
internal sealed record SeedFileSummary(
    string FilePath,
    string RelativePath,
    string Id,
    SeedPhaseKind Phase,
    string? Number,
    string? ClassName,
    EquatableArray<CreatedDocument> CreatedDocuments);

/// <summary>The output of parsing one file.</summary>
internal sealed record ParseResult(SeedFileModel? Model, SeedFileSummary? Summary, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>seeding.yaml, parsed. Null members fall back to MSBuild properties.</summary>
internal sealed record ServiceSettingsModel(string? Service, EquatableArray<string> DependsOn, string? Namespace);

/// <summary>seeding.yaml parse output: whether the file exists, the settings and diagnostics.</summary>
internal sealed record ServiceSettingsResult(bool Exists, ServiceSettingsModel Settings, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static ServiceSettingsResult None { get; } = new(false, new ServiceSettingsModel(null, EquatableArray<string>.Empty, null), EquatableArray<DiagnosticInfo>.Empty);
}

/// <summary>The compiler-visible MSBuild properties the generator reads.</summary>
internal sealed record GeneratorOptions(string? RootNamespace, string? AssemblyName, string? SeedingNamespace);

/// <summary>What every emitted seed file needs besides its own model: only these, so a service rename re-emits no seed file.</summary>
internal sealed record EmitContext(string Namespace, string Version);

/// <summary>The registry: emitted when at least one seed file or seeding.yaml exists.</summary>
internal sealed record RegistryModel(EmitContext Context, string Service, EquatableArray<string> DependsOn, EquatableArray<string> ClassNames);
