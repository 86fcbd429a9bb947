using System.Diagnostics;
using Seeding.Documents;
using Seeding.Sqlite;

namespace Seeding.Hosting.Tests;

/// <summary>The sample service (seeds/Samples.Service) started as a real process, twice, on one SQLite file.</summary>
public sealed class SampleServiceProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("seeding-service-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static string ServiceDll()
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!);
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Seeding.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("Seeding.sln not found above the test assembly.");
        }

        var dll = Path.Combine(root, "seeds", "Samples.Service", "bin", configuration, "net10.0", "Samples.Service.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build seeds/Samples.Service first: {dll} is missing.");
    }

    private async Task<string> StartOnceAsync(string database)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _directory };
        foreach (var arg in new[] { "exec", ServiceDll(), "--once", $"--Seeding:Sqlite:Path={database}" })
        {
            start.ArgumentList.Add(arg);
        }

        // The machine's own settings must not steer the sample to another store or phase.
        foreach (var name in new[] { "FIRESTORE_EMULATOR_HOST", "FIRESTORE_PROJECT_ID", "FIRESTORE_DATABASE", "PUBSUB_EMULATOR_HOST", "PUBSUB_PROJECT_ID", "MIGRATION_PHASE", "DRY_RUN" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await output}\n{await error}");
        return await output;
    }

    [Fact]
    public async Task The_service_bootstraps_on_its_first_start_and_writes_nothing_on_the_second()
    {
        var database = Path.Combine(_directory, "service.db");

        var first = await StartOnceAsync(database);
        var afterFirst = await ReadSystemUserAsync(database);
        var second = await StartOnceAsync(database);
        var afterSecond = await ReadSystemUserAsync(database);

        Assert.Contains("user service started", first);
        Assert.Contains("seeding: Degraded", second); // pre-deploy migrations are left to the pipeline, so they show as pending
        Assert.True(afterFirst.Exists);
        Assert.Equal("system@platform.invalid", afterFirst.Fields["email"].AsString());
        Assert.Equal(afterFirst.UpdateTime, afterSecond.UpdateTime);
    }

    private static async Task<Store.DocumentSnapshot> ReadSystemUserAsync(string database)
    {
        await using var store = await SqliteDocumentStore.OpenAsync(new SqliteStoreOptions(database));
        return (await store.GetAllAsync([DocumentPath.Parse("users/system")]))[0];
    }
}
