using System.Text.Json;

namespace Seeding.Cli.Output;

/// <summary>The JSON document of <c>pull --output json</c>: the files written and how many documents each holds.</summary>
internal static class PullJson
{
    public static string Pulled(string store, string collection, IReadOnlyList<(string Path, int Documents)> files) => JsonEnvelope.Write(w =>
    {
        JsonEnvelope.Header(w, "pull", ExitCodes.Ok);
        w.WriteString("store", store);
        w.WriteString("collection", collection);
        w.WriteNumber("documents", files.Sum(f => f.Documents));
        w.WriteStartArray("files");
        foreach (var (path, documents) in files)
        {
            w.WriteStartObject();
            w.WriteString("path", path);
            w.WriteNumber("documents", documents);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNull("error");
    });
}
