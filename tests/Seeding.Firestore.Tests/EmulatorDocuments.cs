using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Seeding.TestSupport;

namespace Seeding.Firestore.Tests;

/// <summary>
/// Lists every document of an emulator project through the emulator's REST API (a kindless all-descendants query),
/// independently of the store under test: what a run really left behind, sub-collections and history included.
/// </summary>
public static class EmulatorDocuments
{
    public static async Task<IReadOnlyList<string>> AllPathsAsync(string projectId)
    {
        var host = await FirestoreEmulator.HostAsync();
        var database = $"projects/{projectId}/databases/(default)/documents";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{host}/v1/{database}:runQuery");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "owner");
        request.Content = JsonContent.Create(new
        {
            structuredQuery = new
            {
                select = new { fields = new[] { new { fieldPath = "__name__" } } },
                from = new[] { new { allDescendants = true } },
            },
        });
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"emulator runQuery failed: {(int)response.StatusCode} {body}");

        using var json = JsonDocument.Parse(body);
        var paths = new List<string>();
        foreach (var item in json.RootElement.EnumerateArray())
        {
            if (item.TryGetProperty("document", out var document))
            {
                var name = document.GetProperty("name").GetString()!;
                paths.Add(name[(database.Length + 1)..]);
            }
        }

        paths.Sort(StringComparer.Ordinal);
        return paths;
    }
}
