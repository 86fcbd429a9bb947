using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;
using Proto = Seeding.Firestore.Protocol;
using SQ = Seeding.Firestore.Protocol.StructuredQuery;

namespace Seeding.Firestore.Internal;

/// <summary>
/// Builds a <see cref="Proto.RunQueryRequest"/> from a <see cref="DocumentQuery"/>: one collection under its parent,
/// filters ANDed, ordered by document name ascending (the order the contract promises), limited, and resumed
/// after the previous page's last document with a <c>start_at</c> cursor (<c>before = false</c> means "after"), bounded by
/// an <c>end_at</c> cursor (<c>before = false</c>: inclusive).
/// </summary>
internal sealed class QueryBuilder(ResourceNames names, ValueConverter values)
{
    public Proto.RunQueryRequest Build(DocumentQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (parent, collectionId) = names.QueryTarget(query.Collection);
        return Build(parent, new SQ.Types.CollectionSelector { CollectionId = collectionId }, query);
    }

    /// <summary>
    /// The names of a collection group's documents (every collection with the id, at any depth below the database root),
    /// in name order, <paramref name="limit"/> per page after <paramref name="startAfter"/>: a <c>__name__</c> projection.
    /// </summary>
    public Proto.RunQueryRequest BuildGroupNames(string collectionId, IReadOnlyList<FieldFilter> filters, int limit, DocumentPath? startAfter)
    {
        var selector = new SQ.Types.CollectionSelector { CollectionId = collectionId, AllDescendants = true };
        var request = Build(names.DocumentsRoot, selector, new DocumentQuery(collectionId, filters, limit, startAfter));
        request.StructuredQuery.Select = new SQ.Types.Projection();
        request.StructuredQuery.Select.Fields.Add(new SQ.Types.FieldReference { FieldPath = "__name__" });
        return request;
    }

    private Proto.RunQueryRequest Build(string parent, SQ.Types.CollectionSelector from, DocumentQuery query)
    {
        var structured = new SQ();
        structured.From.Add(from);
        structured.OrderBy.Add(new SQ.Types.Order
        {
            Field = new SQ.Types.FieldReference { FieldPath = "__name__" },
            Direction = SQ.Types.Direction.Ascending,
        });

        var filters = query.Filters.Select(ToFilter).ToList();
        if (filters.Count == 1)
        {
            structured.Where = filters[0];
        }
        else if (filters.Count > 1)
        {
            var and = new SQ.Types.CompositeFilter { Op = SQ.Types.CompositeFilter.Types.Operator.And };
            and.Filters.AddRange(filters);
            structured.Where = new SQ.Types.Filter { CompositeFilter = and };
        }

        if (query.Limit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(limit, nameof(query));
            structured.Limit = limit;
        }

        if (query.StartAfter is { } after)
        {
            var cursor = new Proto.Cursor { Before = false };
            cursor.Values.Add(new Proto.Value { ReferenceValue = names.DocumentName(after) });
            structured.StartAt = cursor;
        }

        if (query.EndAt is { } end)
        {
            // end_at with before = false: up to and including the bound.
            var cursor = new Proto.Cursor { Before = false };
            cursor.Values.Add(new Proto.Value { ReferenceValue = names.DocumentName(end) });
            structured.EndAt = cursor;
        }

        return new Proto.RunQueryRequest { Parent = parent, StructuredQuery = structured };
    }

    private SQ.Types.Filter ToFilter(FieldFilter filter)
    {
        var field = new SQ.Types.FieldReference { FieldPath = FieldPaths.Segment(filter.Field) };
        switch (filter.Operator)
        {
            case FilterOperator.IsNull:
            case FilterOperator.Equal when filter.Value is null || filter.Value.IsNull:
                // Firestore refuses EQUAL with null; IS_NULL is how its clients express "== null".
                return Unary(field, SQ.Types.UnaryFilter.Types.Operator.IsNull);
            case FilterOperator.Equal when filter.Value.Kind == ValueKind.Double && double.IsNaN(filter.Value.AsDouble()):
                return Unary(field, SQ.Types.UnaryFilter.Types.Operator.IsNan);
            case FilterOperator.Equal:
                if (filter.Value.ContainsServerTimestamp())
                {
                    throw new ArgumentException($"Field '{filter.Field}': a query cannot compare with the server time (!now).", nameof(filter));
                }

                return new SQ.Types.Filter
                {
                    FieldFilter = new SQ.Types.FieldFilter { Field = field, Op = SQ.Types.FieldFilter.Types.Operator.Equal, Value = values.ToProto(filter.Value) },
                };
            default:
                throw new NotSupportedException($"Filter operator {filter.Operator} is not supported by the Firestore store.");
        }
    }

    private static SQ.Types.Filter Unary(SQ.Types.FieldReference field, SQ.Types.UnaryFilter.Types.Operator op) =>
        new() { UnaryFilter = new SQ.Types.UnaryFilter { Field = field, Op = op } };
}
