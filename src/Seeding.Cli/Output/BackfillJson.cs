using System.Globalization;
using System.Text.Json;
using Seeding.Running;

namespace Seeding.Cli.Output;

/// <summary><c>status --output json</c>'s <c>backfills</c> of a service: each backfill in progress, partition by partition.</summary>
internal static class BackfillJson
{
    public static void Write(Utf8JsonWriter w, IReadOnlyList<BackfillStatus> backfills)
    {
        w.WriteStartArray("backfills");
        foreach (var backfill in backfills)
        {
            w.WriteStartObject();
            w.WriteString("id", backfill.Id);
            w.WriteString("migration", backfill.Migration);
            w.WriteString("collection", backfill.Collection);
            w.WriteNumber("partitions", backfill.PartitionCount);
            w.WriteNumber("done", backfill.Done);
            w.WriteNumber("read", backfill.Scanned);
            w.WriteNumber("updated", backfill.Updated);
            w.WriteStartArray("partitionStates");
            foreach (var partition in backfill.Partitions)
            {
                w.WriteStartObject();
                w.WriteNumber("index", partition.Index);
                w.WriteBoolean("done", partition.Done);
                w.WriteString("cursor", partition.Cursor);
                w.WriteString("owner", partition.Owner);
                w.WriteString("leaseUntil", partition.ExpiresAt is { } until ? until.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture) : null);
                w.WriteNumber("read", partition.Scanned);
                w.WriteNumber("updated", partition.Updated);
                w.WriteNumber("takeovers", partition.Takeovers);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
