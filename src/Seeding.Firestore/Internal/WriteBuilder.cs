using Seeding.Store;
using Seeding.Values;
using Proto = Seeding.Firestore.Protocol;
using Transform = Seeding.Firestore.Protocol.DocumentTransform.Types.FieldTransform;

namespace Seeding.Firestore.Internal;

/// <summary>
/// Builds Firestore <see cref="Proto.Write"/>s from <see cref="DocumentWrite"/>s:
/// Set = update without mask (replaces the document); Merge = update with a mask of the given top-level
/// fields; Delete = delete. Server-time placeholders, at any map depth, are removed from the data and sent as
/// <c>update_transforms</c> with <c>REQUEST_TIME</c>, so Firestore writes its own commit time.
/// </summary>
internal sealed class WriteBuilder
{
    private readonly ResourceNames _names;
    private readonly ValueConverter _values;

    public WriteBuilder(ResourceNames names, ValueConverter values)
    {
        _names = names;
        _values = values;
    }

    public Proto.Write Build(DocumentWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var name = _names.DocumentName(write.Path);
        var result = new Proto.Write();
        if (write.Kind == WriteKind.Delete)
        {
            result.Delete = name;
        }
        else
        {
            var document = new Proto.Document { Name = name };
            var transforms = new List<string>();
            foreach (var (key, value) in write.Fields)
            {
                var path = new List<string> { key };
                if (IsPlaceholder(value))
                {
                    // A top-level placeholder is written only by the transform: in a merge it stays out of the mask,
                    // otherwise the mask would clear the field that the transform then sets.
                    transforms.Add(FieldPaths.Join(path));
                    continue;
                }

                document.Fields[key] = Strip(value, path, transforms, write);
            }

            result.Update = document;
            if (write.Kind == WriteKind.Merge)
            {
                result.UpdateMask = new Proto.DocumentMask();
                result.UpdateMask.FieldPaths.AddRange(document.Fields.Keys.Order(StringComparer.Ordinal).Select(FieldPaths.Segment));
            }

            result.UpdateTransforms.AddRange(transforms.Select(p => new Transform
            {
                FieldPath = p,
                SetToServerValue = Transform.Types.ServerValue.RequestTime,
            }));
        }

        var precondition = ToProto(write.Precondition, write);
        if (precondition is not null)
        {
            result.CurrentDocument = precondition;
        }

        return result;
    }

    private static bool IsPlaceholder(Value value) => value.Kind == ValueKind.Timestamp && value.AsTimestamp().IsServerTime;

    // Returns the value without placeholders, recording a transform for each placeholder found inside maps.
    private Proto.Value Strip(Value value, List<string> path, List<string> transforms, DocumentWrite write)
    {
        if (!value.ContainsServerTimestamp())
        {
            return _values.ToProto(value);
        }

        if (value.Kind == ValueKind.Array)
        {
            // Firestore's transforms address fields, not array elements, so it has no way to do this.
            throw new NotSupportedException(
                $"Document '{write.Path}', field '{FieldPaths.Join(path)}': Firestore cannot put the server time (!now) inside an array. " +
                "Use a map field instead.");
        }

        var map = new Proto.MapValue();
        foreach (var (key, item) in value.AsMap())
        {
            path.Add(key);
            if (IsPlaceholder(item))
            {
                transforms.Add(FieldPaths.Join(path));
            }
            else
            {
                map.Fields[key] = Strip(item, path, transforms, write);
            }

            path.RemoveAt(path.Count - 1);
        }

        return new Proto.Value { MapValue = map };
    }

    private static Proto.Precondition? ToProto(Store.Precondition precondition, DocumentWrite write)
    {
        if (precondition.UpdateTime is { } updateTime)
        {
            if (precondition.Exists == false)
            {
                throw new ArgumentException($"Document '{write.Path}': a precondition cannot require both no document and an update time.", nameof(write));
            }

            // An update-time condition implies that the document exists, so 'exists' need not be sent (the two are one oneof).
            return new Proto.Precondition { UpdateTime = ValueConverter.ToProto(updateTime) };
        }

        return precondition.Exists is { } exists ? new Proto.Precondition { Exists = exists } : null;
    }
}
