using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Store;

/// <summary>How a <see cref="FieldFilter"/> compares a field.</summary>
public enum FilterOperator
{
    /// <summary>The field exists and equals the value.</summary>
    Equal,

    /// <summary>The field exists and is null (a missing field does not match, as in Firestore).</summary>
    IsNull,
}

/// <summary>A condition on one top-level field.</summary>
/// <param name="Field">The field name.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Value">The value compared against (ignored for <see cref="FilterOperator.IsNull"/>).</param>
public sealed record FieldFilter(string Field, FilterOperator Operator, Value? Value = null)
{
    /// <summary>The field equals <paramref name="value"/>.</summary>
    public static FieldFilter EqualTo(string field, Value value) => new(field, FilterOperator.Equal, value);

    /// <summary>The field is null.</summary>
    public static FieldFilter IsNullValue(string field) => new(field, FilterOperator.IsNull);

    /// <summary>True when <paramref name="fields"/> satisfies this filter.</summary>
    public bool Matches(IReadOnlyDictionary<string, Value> fields) => Operator switch
    {
        FilterOperator.Equal => fields.TryGetValue(Field, out var v) && ValuesEqualForQuery(v, Value!),
        FilterOperator.IsNull => fields.TryGetValue(Field, out var n) && n.IsNull,
        _ => false,
    };

    // Firestore compares numbers by value across integer and double, exactly: 1 == 1.0, 0.0 == -0.0, NaN matches NaN,
    // and a large integer never equals the double it would round to.
    private static bool ValuesEqualForQuery(Value stored, Value wanted) =>
        (stored.Kind, wanted.Kind) switch
        {
            (ValueKind.Integer, ValueKind.Double) => IntegerEqualsDouble(stored.AsInteger(), wanted.AsDouble()),
            (ValueKind.Double, ValueKind.Integer) => IntegerEqualsDouble(wanted.AsInteger(), stored.AsDouble()),
            (ValueKind.Double, ValueKind.Double) => stored.AsDouble() == wanted.AsDouble() || (double.IsNaN(stored.AsDouble()) && double.IsNaN(wanted.AsDouble())),
            _ => stored.Equals(wanted),
        };

    private static bool IntegerEqualsDouble(long integer, double number) =>
        double.IsFinite(number) && Math.Floor(number) == number && number >= -9.2233720368547758E18 && number < 9.2233720368547758E18 && (long)number == integer;
}

/// <summary>
/// A query over one collection: all filters must match (AND), results ordered by document path,
/// paged with <see cref="StartAfter"/> and <see cref="Limit"/>, and bounded above by <see cref="EndAt"/> (a key range:
/// a partition of a backfill reads <c>(StartAfter, EndAt]</c>).
/// </summary>
/// <param name="Collection">The collection path.</param>
/// <param name="Filters">Conditions that must all hold.</param>
/// <param name="Limit">At most this many documents; null for no limit.</param>
/// <param name="StartAfter">Return only documents ordered after this one (the cursor of the previous page).</param>
public sealed record DocumentQuery(string Collection, IReadOnlyList<FieldFilter> Filters, int? Limit = null, DocumentPath? StartAfter = null)
{
    /// <summary>
    /// Return only documents ordered at or before this path (inclusive); null for no upper bound. With
    /// <see cref="StartAfter"/> it selects the key range <c>(StartAfter, EndAt]</c>, so consecutive ranges that share
    /// their bounds cover a collection exactly once. The path need not name an existing document.
    /// </summary>
    public DocumentPath? EndAt { get; init; }
}
