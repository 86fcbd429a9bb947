using System.Text.Json;
using Seeding.Documents;
using Seeding.Plans;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Cli.Output.JsonEnvelope;

namespace Seeding.Cli.Output;

/// <summary>JSON documents of <c>show</c> and <c>accept</c>.</summary>
internal static class DataJson
{
    /// <summary>
    /// <c>show</c>: the documents with their times and fields, each field a typed value of <see cref="ValueJson"/>
    /// (<c>{"integer": "10"}</c>, <c>{"double": "-0"}</c>, <c>{"timestamp": "..."}</c>, ...), the one encoding of a value
    /// in every JSON the tool writes or reads.
    /// </summary>
    public static string Show(string target, string store, IReadOnlyList<DocumentSnapshot> documents, bool more, Timestamp? storeTime = null) => Write(w =>
    {
        Header(w, "show", ExitCodes.Ok);
        w.WriteString("store", store);
        w.WriteString("target", target);
        w.WriteStartArray("documents");
        foreach (var document in documents)
        {
            w.WriteStartObject();
            w.WriteString("path", document.Path.ToString());
            w.WriteString("createTime", document.CreateTime?.ToString());
            w.WriteString("updateTime", document.UpdateTime?.ToString());
            w.WritePropertyName("fields");
            ValueJson.WriteFields(w, document.Fields);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteBoolean("more", more);
        w.WriteString("storeTime", storeTime?.ToString());
        w.WriteNull("error");
    });

    public static string Accept(string service, string store, AcceptReport report, string? lockFile, string? lockChange) => Write(w =>
    {
        Header(w, "accept", ExitCodes.Ok);
        w.WriteString("store", store);
        w.WriteString("service", service);
        w.WriteString("migration", report.Migration.ToString());
        w.WriteString("source", report.Migration.SourcePath);
        w.WriteBoolean("dryRun", report.DryRun);
        w.WriteString("oldChecksum", report.OldChecksum);
        w.WriteString("newChecksum", report.NewChecksum);
        w.WriteString("reason", report.Reason);
        w.WriteString("acceptedBy", report.AcceptedBy);
        w.WriteString("acceptedAt", report.AcceptedAt?.ToString());
        w.WriteString("lockFile", lockFile);
        w.WriteString("lockFileChange", lockChange);
        w.WriteNull("error");
    });
}
