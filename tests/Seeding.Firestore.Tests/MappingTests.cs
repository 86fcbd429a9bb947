using Seeding.Firestore.Internal;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Firestore.Tests.TestData;
using Proto = Seeding.Firestore.Protocol;

namespace Seeding.Firestore.Tests;

/// <summary>Pure mapping checks (no emulator): field-path quoting, masks, transforms, preconditions, queries, options.</summary>
public sealed class MappingTests
{
    private static readonly ResourceNames Names = new("p", "(default)");
    private static readonly WriteBuilder Writes = new(Names, new ValueConverter(Names));

    [Theory]
    [InlineData("plain_1", "plain_1")]
    [InlineData("1st", "`1st`")]
    [InlineData("a.b", "`a.b`")]
    [InlineData("with space", "`with space`")]
    [InlineData("tick`s", "`tick\\`s`")]
    [InlineData("back\\slash", "`back\\\\slash`")]
    [InlineData("ünï", "`ünï`")]
    public void Field_path_segments_are_quoted_unless_simple(string name, string expected) =>
        Assert.Equal(expected, FieldPaths.Segment(name));

    [Fact]
    public void Merge_masks_top_level_fields_and_turns_server_times_into_transforms()
    {
        var write = Writes.Build(DocumentWrite.Merge(P("c/d"), F(
            ("a", Value.Integer(1)),
            ("b c", Value.Map(F(("at", Value.ServerTimestamp), ("x", Value.Integer(2))))),
            ("now", Value.ServerTimestamp))));

        Assert.Equal("projects/p/databases/(default)/documents/c/d", write.Update.Name);
        Assert.Equal(["a", "`b c`"], write.UpdateMask.FieldPaths);
        Assert.Equal(["a", "b c"], write.Update.Fields.Keys.Order());
        Assert.Equal(["x"], write.Update.Fields["b c"].MapValue.Fields.Keys);
        Assert.Equal(["`b c`.at", "now"], write.UpdateTransforms.Select(t => t.FieldPath).Order());
        Assert.All(write.UpdateTransforms, t => Assert.Equal(Proto.DocumentTransform.Types.FieldTransform.Types.ServerValue.RequestTime, t.SetToServerValue));
        Assert.Null(write.CurrentDocument);
    }

    [Fact]
    public void Set_has_no_mask_create_requires_absence_and_update_time_is_sent()
    {
        var set = Writes.Build(DocumentWrite.Set(P("c/d"), F(("a", Value.Integer(1)))));
        Assert.Null(set.UpdateMask);
        var create = Writes.Build(DocumentWrite.Create(P("c/d"), F()));
        Assert.False(create.CurrentDocument.Exists);
        var at = Timestamp.FromUnixMicroseconds(-1); // before 1970: nanos must stay positive
        var guarded = Writes.Build(DocumentWrite.Delete(P("c/d"), Precondition.UpdatedAt(at)));
        Assert.Equal("projects/p/databases/(default)/documents/c/d", guarded.Delete);
        Assert.Equal(-1, guarded.CurrentDocument.UpdateTime.Seconds);
        Assert.Equal(999_999_000, guarded.CurrentDocument.UpdateTime.Nanos);
        Assert.Equal(at, ValueConverter.FromProto(guarded.CurrentDocument.UpdateTime));
    }

    [Fact]
    public void Queries_target_the_parent_document_and_resume_after_the_cursor()
    {
        var request = new QueryBuilder(Names, new ValueConverter(Names)).Build(new DocumentQuery(
            "tenants/t1/users",
            [FieldFilter.EqualTo("role", Value.String("admin")), FieldFilter.IsNullValue("deleted at")],
            Limit: 10,
            StartAfter: P("tenants/t1/users/u5")));

        Assert.Equal("projects/p/databases/(default)/documents/tenants/t1", request.Parent);
        var query = request.StructuredQuery;
        Assert.Equal("users", Assert.Single(query.From).CollectionId);
        Assert.Equal("__name__", Assert.Single(query.OrderBy).Field.FieldPath);
        Assert.Equal(10, query.Limit);
        Assert.False(query.StartAt.Before);
        Assert.Equal("projects/p/databases/(default)/documents/tenants/t1/users/u5", Assert.Single(query.StartAt.Values).ReferenceValue);
        var and = query.Where.CompositeFilter;
        Assert.Equal(Proto.StructuredQuery.Types.CompositeFilter.Types.Operator.And, and.Op);
        Assert.Equal("role", and.Filters[0].FieldFilter.Field.FieldPath);
        Assert.Equal("`deleted at`", and.Filters[1].UnaryFilter.Field.FieldPath);
    }

    [Theory]
    [InlineData(Grpc.Core.StatusCode.NotFound, "FIRESTORE_DATABASE")]
    [InlineData(Grpc.Core.StatusCode.PermissionDenied, "roles/datastore.user")]
    [InlineData(Grpc.Core.StatusCode.Unauthenticated, "GOOGLE_APPLICATION_CREDENTIALS")]
    [InlineData(Grpc.Core.StatusCode.InvalidArgument, "projects/p/databases/d")]
    [InlineData(Grpc.Core.StatusCode.Unavailable, "FIRESTORE_EMULATOR_HOST")]
    public void Permanent_failures_say_what_to_check(Grpc.Core.StatusCode code, string hint)
    {
        var e = Faults.Permanent(new Grpc.Core.RpcException(new Grpc.Core.Status(code, "detail")), "Commit", "projects/p/databases/d", "https://firestore.googleapis.com", "Firestore at https://firestore.googleapis.com did not answer after 3 attempt(s).");
        Assert.Equal(code, e.StatusCode);
        Assert.Contains(hint, e.Message);
        Assert.StartsWith("Commit failed", e.Message);
    }

    [Fact]
    public void Backoff_grows_with_jitter_and_stays_under_the_cap()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        Assert.InRange(backoff.Delay(1).TotalMilliseconds, 50, 100);
        Assert.InRange(backoff.Delay(3).TotalMilliseconds, 200, 400);
        Assert.InRange(backoff.Delay(20).TotalMilliseconds, 500, 1000);
    }

    [Fact]
    public void Options_come_from_the_environment()
    {
        var env = new Dictionary<string, string?> { ["FIRESTORE_PROJECT_ID"] = "proj", ["FIRESTORE_DATABASE"] = "named", ["FIRESTORE_EMULATOR_HOST"] = "localhost:8080" };
        var options = FirestoreStoreOptions.FromEnvironment(k => env.GetValueOrDefault(k));
        Assert.Equal(("proj", "named", "localhost:8080", true), (options.ProjectId, options.DatabaseId, options.EmulatorHost, options.UsesEmulator));

        var emulatorOnly = FirestoreStoreOptions.FromEnvironment(k => k == "FIRESTORE_EMULATOR_HOST" ? "h:1" : null);
        Assert.Equal((FirestoreStoreOptions.EmulatorDefaultProject, FirestoreStoreOptions.DefaultDatabase), (emulatorOnly.ProjectId, emulatorOnly.DatabaseId));

        var nothing = FirestoreStoreOptions.FromEnvironment(_ => null);
        Assert.False(nothing.UsesEmulator);
        var e = Assert.Throws<InvalidOperationException>(() => new FirestoreDocumentStore(nothing));
        Assert.Contains("FIRESTORE_PROJECT_ID", e.Message);
    }
}
