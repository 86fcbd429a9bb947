using Seeding.Documents;

namespace Seeding.Running;

/// <summary>A document of a saved plan that is no longer as the plan saw it.</summary>
/// <param name="Path">The document.</param>
/// <param name="Seen">What the plan saw (<c>absent</c>, or <c>updated</c> and its update time).</param>
/// <param name="Now">What the store holds now.</param>
public sealed record StalePlanDocument(DocumentPath Path, string Seen, string Now);

/// <summary>
/// A saved plan no longer matches the store: a planned document changed, or a planned migration was applied, since the
/// plan read them. Nothing more was written: the migration being applied is not recorded and stays pending.
/// </summary>
public sealed class StalePlanException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StalePlanException(string service, IReadOnlyList<StalePlanDocument> documents, IReadOnlyList<string> appliedMigrations, RunReport report)
        : base(MessageOf(service, documents, appliedMigrations))
    {
        Service = service;
        Documents = documents;
        AppliedMigrations = appliedMigrations;
        Report = report;
    }

    /// <summary>The service.</summary>
    public string Service { get; }

    /// <summary>The documents that changed since the plan.</summary>
    public IReadOnlyList<StalePlanDocument> Documents { get; }

    /// <summary>The planned migrations (<c>phase/id</c>) applied since the plan.</summary>
    public IReadOnlyList<string> AppliedMigrations { get; }

    /// <summary>What was applied from the plan before it stopped (whole files only).</summary>
    public RunReport Report { get; }

    private static string MessageOf(string service, IReadOnlyList<StalePlanDocument> documents, IReadOnlyList<string> applied)
    {
        var parts = new List<string>();
        if (documents.Count > 0)
        {
            parts.Add($"{documents.Count} document(s) changed since the plan read them: " +
                      string.Join("; ", documents.Take(20).Select(d => $"{d.Path} (plan saw {d.Seen}, now {d.Now})")) + (documents.Count > 20 ? $"; and {documents.Count - 20} more" : string.Empty));
        }

        if (applied.Count > 0)
        {
            parts.Add($"migration(s) applied since the plan: {string.Join(", ", applied)}");
        }

        return $"The saved plan of {service} is stale: {string.Join("; ", parts)}. Nothing more was written; the migration stays pending. " +
               "Make a new plan (seeding plan --out), review it, and apply that one.";
    }
}
