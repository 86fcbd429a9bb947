namespace Seeding.Generators.Model;

/// <summary>What an additional file is to the generator.</summary>
internal enum SeedFileKind
{
    /// <summary>Not a Seeding file: ignored.</summary>
    None,

    /// <summary>A seed file (or a file in a seed folder that is misnamed, to be reported).</summary>
    Seed,

    /// <summary>seeding.yaml, the service settings.</summary>
    ServiceSettings,

    /// <summary>seeding.lock.json, the checksums of applied migrations.</summary>
    LockManifest,
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

    /// <summary>
    /// <c>!env NAME</c>: a value read from configuration at run time. <see cref="ValueModel.Text"/> is the key;
    /// <see cref="ValueModel.Keys"/> holds "safe" when the value may be shown in plans and logs (<c>!env:safe</c>).
    /// </summary>
    Configured,
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

    /// <summary>A double, held in its canonical text (see <see cref="FormatDouble"/>).</summary>
    public static ValueModel Double(double value) => Scalar(ValueKindModel.Double, FormatDouble(value));

    /// <summary>Round-trip text, invariant; the canonical form used in models and checksums.</summary>
    public static string FormatDouble(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The double that canonical text (or an integer's text) stands for.</summary>
    public static double ParseDouble(string canonical) => canonical switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(canonical, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
    };

    public static ValueModel Configured(string key, bool safe) =>
        new(ValueKindModel.Configured, key, safe ? new EquatableArray<string>(new[] { "safe" }) : EquatableArray<string>.Empty, EquatableArray<ValueModel>.Empty);

    /// <summary>
    /// A document reference; <paramref name="external"/> (<c>!ref:external</c>) marks a target that the project does not
    /// seed on purpose (a document of another service, or one a pull did not read), so it is not checked (SEED032).
    /// </summary>
    public static ValueModel Reference(string path, bool external) =>
        new(ValueKindModel.Reference, path, external ? new EquatableArray<string>(new[] { "external" }) : EquatableArray<string>.Empty, EquatableArray<ValueModel>.Empty);

    /// <summary>For <see cref="ValueKindModel.Reference"/>: written <c>!ref:external</c>, so no seed file needs to declare the target.</summary>
    public bool IsExternalReference => Kind == ValueKindModel.Reference && Keys.Count == 1 && Keys[0] == "external";

    /// <summary>For <see cref="ValueKindModel.Configured"/>: whether the value may be shown in plans and logs.</summary>
    public bool IsSafe => Kind == ValueKindModel.Configured && Keys.Count == 1 && Keys[0] == "safe";
}

/// <summary>A top-level field filled from configuration at run time (<c>!env</c>): field, configuration key, safe flag.</summary>
internal sealed record ConfiguredFieldModel(string Field, string Key, bool Safe);

/// <summary>A field name with a value: a backfill's where condition or set field.</summary>
internal sealed record NamedValue(string Name, ValueModel Value);

/// <summary>A name as written in YAML with where it is, e.g. an environment of <c>environments:</c>.</summary>
internal sealed record NamedLocation(string Name, LocationInfo Location);

/// <summary>When a step runs: <c>when: !env KEY</c> and <c>environments: [...]</c>. Empty: always.</summary>
internal sealed record ConditionsModel(string? When, EquatableArray<string> Environments)
{
    public static ConditionsModel None { get; } = new(null, EquatableArray<string>.Empty);

    public bool IsEmpty => When is null && Environments.Count == 0;
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
/// One YAML document: its id, its value per record field (Absent when missing; an integer in a double field already
/// widened to that double) and its line. ExplicitNulls
/// lists fields that are omitted when null but that this document sets to null on purpose.
/// Configured lists the fields whose values come from configuration (absent from the typed data). Id is empty
/// in a match step, whose ids come from its new_id rule.
/// </summary>
internal sealed record DocumentModel(string Id, int Line, EquatableArray<ValueModel> Values, EquatableArray<string> ExplicitNulls, EquatableArray<ConfiguredFieldModel> Configured);

/// <summary>The record inferred for one collection of a file, and all its documents across the file's steps.</summary>
internal sealed record RecordModel(string Collection, string RecordName, string ListName, EquatableArray<FieldModel> Fields, EquatableArray<DocumentModel> Documents);

/// <summary>
/// One step: the verb (create, upsert, backfill, or a resource verb with its Resource), its collection, its line, which documents of the record it
/// writes (RecordIndex is -1 for a backfill), its conditions, a create's match fields and new_id rule, and a
/// backfill's where conditions and set fields.
/// </summary>
internal sealed record StepModel(
    string Verb,
    string Collection,
    int Line,
    int RecordIndex,
    EquatableArray<int> DocumentIndexes,
    ConditionsModel Conditions,
    EquatableArray<string> MatchFields,
    string? NewId,
    EquatableArray<NamedValue> Where,
    EquatableArray<NamedValue> Set,
    int BindingIndex = -1,
    ResourceModel? Resource = null);

/// <summary>Everything needed to emit one seed file's class, and nothing from Roslyn.</summary>
internal sealed record SeedFileModel(
    string Id,
    SeedPhase Phase,
    string ClassName,
    string RelativePath,
    string? Description,
    string Checksum,
    EquatableArray<RecordModel> Records,
    EquatableArray<StepModel> Steps,
    EquatableArray<BoundRecordModel> Bound = default);

/// <summary>A document a file creates, with where it is declared, for duplicate checks across files.</summary>
internal sealed record CreatedDocument(string Collection, string Id, LocationInfo Location);

/// <summary>
/// The slim view of a seed file the cross-file checks and the registry need. <see cref="ClassName"/> is null
/// when the file has errors and no class was emitted. UpsertedPaths (collection/id) and CreatedDocuments are
/// the documents the file seeds, References the <c>!ref</c> paths it uses, Environments the names it limits
/// steps to; Resources the topics, subscriptions, indexes and field overrides it declares, and TopicReferences the
/// topics its subscriptions name ("Topic\nid" or "Dead-letter topic\nid"); all for checks across files and against
/// seeding.yaml.
/// </summary>
internal sealed record SeedFileSummary(
    string FilePath,
    string RelativePath,
    string Id,
    SeedPhase Phase,
    string? Number,
    string? ClassName,
    string Checksum,
    EquatableArray<CreatedDocument> CreatedDocuments,
    EquatableArray<string> UpsertedPaths,
    EquatableArray<NamedLocation> References,
    EquatableArray<NamedLocation> Environments,
    EquatableArray<DeclaredResource> Resources = default,
    EquatableArray<NamedLocation> TopicReferences = default);

/// <summary>
/// The output of parsing one file. Bindings are the steps with <c>type:</c>, still to be bound to their C#
/// types (see Binding/Binder); empty once bound.
/// </summary>
internal sealed record ParseResult(SeedFileModel? Model, SeedFileSummary? Summary, EquatableArray<DiagnosticInfo> Diagnostics, EquatableArray<BindingDraft> Bindings = default);

/// <summary>seeding.yaml, parsed. Null members fall back to MSBuild properties.</summary>
internal sealed record ServiceSettingsModel(string? Service, EquatableArray<string> DependsOn, string? Namespace, EquatableArray<string> Environments)
{
    /// <summary>The environments a service knows when seeding.yaml does not list them.</summary>
    public static readonly EquatableArray<string> DefaultEnvironments = new(new[] { "development", "dev", "test", "staging", "production", "prod" });
}

/// <summary>seeding.yaml parse output: whether the file exists, the settings and diagnostics.</summary>
internal sealed record ServiceSettingsResult(bool Exists, ServiceSettingsModel Settings, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static ServiceSettingsResult None { get; } = new(false, new ServiceSettingsModel(null, EquatableArray<string>.Empty, null, ServiceSettingsModel.DefaultEnvironments), EquatableArray<DiagnosticInfo>.Empty);
}

/// <summary>The compiler-visible MSBuild properties the generator reads.</summary>
internal sealed record GeneratorOptions(string? RootNamespace, string? AssemblyName, string? SeedingNamespace, string? ProjectDir, string? CompactThreshold = null);

/// <summary>
/// What every emitted seed file needs besides its own model: only these, so a service rename re-emits no seed file.
/// CompactThreshold: files with more documents than this get their documents as compact data instead of an
/// initializer (MSBuild property <c>SeedingCompactThreshold</c>).
/// </summary>
internal sealed record EmitContext(string Namespace, string Version, int CompactThreshold = EmitContext.DefaultCompactThreshold)
{
    /// <summary>The default of <c>SeedingCompactThreshold</c>.</summary>
    public const int DefaultCompactThreshold = 200;

    /// <summary>The threshold from the MSBuild property: a non-negative integer, else the default.</summary>
    public static int ParseThreshold(string? text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : DefaultCompactThreshold;
}

/// <summary>The registry: emitted when at least one seed file or seeding.yaml exists. Entries are in run order.</summary>
internal sealed record RegistryModel(EmitContext Context, string Service, EquatableArray<string> DependsOn, EquatableArray<RegistryEntry> Entries);

/// <summary>
/// One seed definition the registry lists: a YAML seed's generated class (<see cref="Code"/> null), or a C#
/// migration, whose definition the registry builds from its declaration.
/// </summary>
internal sealed record RegistryEntry(SeedPhase Phase, string Id, string FilePath, string ClassName, CodeMigrationEntry? Code);

/// <summary>What the registry passes for a C# migration besides its class: the checksum of its code and its description.</summary>
internal sealed record CodeMigrationEntry(string Checksum, string? Description);
