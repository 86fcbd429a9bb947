namespace Seeding.Generators.Model;

/// <summary>The C# shape of a bound property, as the generator converts it to and from store values.</summary>
internal enum BoundKind
{
    Unsupported,
    String,
    Int64,
    Int32,
    Double,
    Boolean,
    Timestamp,
    DateTimeOffset,
    Reference,
    GeoPoint,
    Memory,
    ByteArray,
    Map,
    Value,
    Enum,

    /// <summary>IReadOnlyList&lt;T&gt; (or IList, ICollection, IEnumerable of T): emitted as T[].</summary>
    ReadOnlyList,
    List,
    Array,
}

/// <summary>
/// A property type: its kind, whether null is allowed, its fully qualified C# name, and for lists the item
/// type (one level: items are scalars or enums), for enums the members.
/// </summary>
internal sealed record BoundType(BoundKind Kind, bool Nullable, string Display, BoundType? Element, EquatableArray<EnumMemberModel> EnumMembers);

/// <summary>An enum member: its C# name and the snake_case text stored for it (<c>PlatformAdmin</c> ↔ <c>platform_admin</c>).</summary>
internal sealed record EnumMemberModel(string Name, string FieldText);

/// <summary>A public instance property of a bound type: C# name, its snake_case field name, type, required, settable (set or init).</summary>
internal sealed record BoundProperty(string Name, string FieldName, BoundType Type, bool Required, bool Settable);

/// <summary>
/// The shape of a type named by <c>type:</c>, extracted from the compilation as plain data. FullName is the
/// global:: name, null when the type is not found; Problem says why it cannot be bound (abstract, no public
/// parameterless constructor, generic...).
/// </summary>
internal sealed record TypeShape(string Name, string? FullName, string? Problem, EquatableArray<BoundProperty> Properties);

/// <summary>A field of a bound document as written in YAML, with where its key and value are.</summary>
internal sealed record BindingField(string Name, ValueModel Value, LocationInfo KeyLocation, LocationInfo ValueLocation);

/// <summary>A bound document before binding: id, line, location and fields (defaults merged).</summary>
internal sealed record BindingDocument(string Id, int Line, LocationInfo Location, EquatableArray<BindingField> Fields);

/// <summary>
/// A create or upsert step with <c>type:</c>, read from YAML and waiting for the type's shape: the step's index
/// in the file, the type name and where it is written, and its documents.
/// </summary>
internal sealed record BindingDraft(int StepIndex, string TypeName, LocationInfo TypeLocation, EquatableArray<BindingDocument> Documents);

/// <summary>
/// One document of a bound step, bound: the YAML field names written (the fields it writes), per-property values
/// (an enum value, or an enum item of a list, holds the C# member name it resolved to), configured fields.
/// </summary>
internal sealed record BoundDocument(string Id, int Line, EquatableArray<string> Declared, EquatableArray<ValueModel> Values, EquatableArray<ConfiguredFieldModel> Configured);

/// <summary>
/// A bound step's typed data: the bound type's shape (settable properties of supported types only), the list
/// and mapper names in the generated class, and the documents (Values parallel to Properties; Absent when not written).
/// </summary>
internal sealed record BoundRecordModel(string FullName, string ListName, string MapperName, EquatableArray<BoundProperty> Properties, EquatableArray<BoundDocument> Documents);
