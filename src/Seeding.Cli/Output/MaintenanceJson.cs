using Seeding.Running;
using static Seeding.Cli.Output.JsonEnvelope;

namespace Seeding.Cli.Output;

/// <summary>JSON documents of <c>revert</c>, <c>lock</c> and <c>indexes</c>.</summary>
internal static class MaintenanceJson
{
    public static string Revert(string service, string store, RevertReport report) => Write(w =>
    {
        Header(w, "revert", ExitCodes.Ok);
        w.WriteString("service", service);
        w.WriteString("store", store);
        w.WriteString("migration", report.Migration.ToString());
        w.WriteBoolean("dryRun", report.DryRun);
        w.WriteStartArray("deleted");
        foreach (var path in report.Deleted)
        {
            w.WriteStringValue(path.ToString());
        }

        w.WriteEndArray();
        w.WriteStartArray("kept");
        foreach (var kept in report.Kept)
        {
            w.WriteStartObject();
            w.WriteString("path", kept.Path.ToString());
            w.WriteString("reason", kept.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("keptResources");
        foreach (var kept in report.KeptResources)
        {
            w.WriteStartObject();
            w.WriteString("kind", JsonOutput.ResourceKind(kept.Kind));
            w.WriteString("name", kept.Name);
            w.WriteNumber("line", kept.Line);
            w.WriteString("reason", kept.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNull("error");
    });

    public static string Locked(string path, string service, int migrations, int added, string store, int pending) => Write(w =>
    {
        Header(w, "lock", ExitCodes.Ok);
        w.WriteString("path", path);
        w.WriteString("service", service);
        w.WriteNumber("migrations", migrations);
        w.WriteNumber("added", added);
        w.WriteNull("error");
        w.WriteString("store", store);
        w.WriteNumber("pending", pending);
    });

    public static string Indexes(string path, IEnumerable<string> services, int indexes, int fieldOverrides) => Write(w =>
    {
        Header(w, "indexes", ExitCodes.Ok);
        w.WriteString("path", path);
        w.WriteStartArray("services");
        foreach (var service in services)
        {
            w.WriteStringValue(service);
        }

        w.WriteEndArray();
        w.WriteNumber("indexes", indexes);
        w.WriteNumber("fieldOverrides", fieldOverrides);
        w.WriteNull("error");
    });
}
