using Seeding.Documents;
using Seeding.Resources;
using Seeding.Running;
using Seeding.Values;

namespace Seeding.Diffing;

/// <summary>The live data compared with the seeds, for every service of one diff, all read from one snapshot.</summary>
/// <param name="Store">The store's name.</param>
/// <param name="Consistency">How the reads were kept consistent (see <see cref="Store.ISnapshotReader.Consistency"/>).</param>
/// <param name="ReadTime">The snapshot's time, when the store tells it.</param>
/// <param name="Services">One result per service, in the order given.</param>
public sealed record DiffResult(string Store, string Consistency, Timestamp? ReadTime, IReadOnlyList<ServiceDiff> Services)
{
    /// <summary>Drifted documents, match steps, backfills and resources of every service.</summary>
    public int DriftCount => Services.Sum(s => s.DriftCount);

    /// <summary>True when anything drifted.</summary>
    public bool HasDrift => DriftCount > 0;
}

/// <summary>One service's differences. Documents that hold what the seeds declare are only counted.</summary>
/// <param name="Service">The service.</param>
/// <param name="Documents">The documents that differ (or, with unmanaged fields asked for, hold some), in declaration order.</param>
/// <param name="DocumentsCompared">How many declared documents were read and compared.</param>
/// <param name="Matches">One line per document of a <c>create</c> step with <c>match</c>.</param>
/// <param name="Backfills">One line per <c>backfill</c> step.</param>
/// <param name="Resources">One line per declared topic, subscription, index and field override (the last declaration of each).</param>
/// <param name="NotCompared">Steps and files left out, and why (<c>when:</c>, <c>environments:</c>, C# migrations).</param>
public sealed record ServiceDiff(
    string Service,
    IReadOnlyList<DocumentDiff> Documents,
    int DocumentsCompared,
    IReadOnlyList<MatchDiff> Matches,
    IReadOnlyList<BackfillDiff> Backfills,
    IReadOnlyList<ResourceDiff> Resources,
    IReadOnlyList<NotCompared> NotCompared)
{
    /// <summary>Documents whose every declared field holds its declared value.</summary>
    public int UnchangedDocuments => DocumentsCompared - Documents.Count(d => d.Drifted || d.Pending);

    /// <summary>Documents that differ only where migrations not applied yet will write (never drift).</summary>
    public int PendingDocuments => Documents.Count(d => d.Pending);

    /// <summary>Drifted documents, match steps that do not find exactly one document, backfills with documents left, resources that differ.</summary>
    public int DriftCount => Documents.Count(d => d.Drifted) + Matches.Count(m => m.Drifted) + Backfills.Count(b => b.Drifted) + Resources.Count(r => r.Drifted);

    /// <summary>Drifted documents only (the OpenTelemetry gauge <c>seeding.drift.documents</c>).</summary>
    public int DriftedDocuments => Documents.Count(d => d.Drifted);
}

/// <summary>A declared document that is missing or differs.</summary>
/// <param name="Path">The document.</param>
/// <param name="Source">The seed file of its last declaration.</param>
/// <param name="Line">The YAML line of its last declaration.</param>
/// <param name="Missing">True when no document exists at the path.</param>
/// <param name="Fields">The fields that differ (empty when missing).</param>
public sealed record DocumentDiff(DocumentPath Path, string Source, int Line, bool Missing, IReadOnlyList<FieldDiff> Fields)
{
    /// <summary>True when the document's first declaration is in a migration not applied yet: missing, it is one the next run creates.</summary>
    public bool PendingCreate { get; init; }

    /// <summary>
    /// Missing though an applied migration or a bootstrap seed creates it, or a declared field differs whose last
    /// declaration is applied (unmanaged fields and <see cref="FieldDiff.Pending"/> fields never count).
    /// </summary>
    public bool Drifted => (Missing && !PendingCreate) || Fields.Any(f => f.Kind != FieldDrift.Unmanaged && !f.Pending);

    /// <summary>Not drifted, and missing or differing only where migrations not applied yet will write: the next run's work.</summary>
    public bool Pending => !Drifted && ((Missing && PendingCreate) || Fields.Any(f => f.Kind != FieldDrift.Unmanaged && f.Pending));
}

/// <summary>How a field differs.</summary>
public enum FieldDrift
{
    /// <summary>The live value is not the declared one.</summary>
    Changed,

    /// <summary>The seeds declare the field; the live document does not hold it.</summary>
    Absent,

    /// <summary>A key inside a declared map that the seeds do not declare (a write replaces the whole map).</summary>
    Undeclared,

    /// <summary>A top-level field no seed declares; listed only when asked, never drift.</summary>
    Unmanaged,
}

/// <summary>One field that differs.</summary>
/// <param name="Path">The field path, dotted into maps, e.g. <c>limits.surveys</c>.</param>
/// <param name="Kind">How it differs.</param>
/// <param name="Live">The live value; null when absent or <see cref="Redacted"/>.</param>
/// <param name="Declared">The declared value (<see cref="Value.ServerTimestamp"/> for <c>!now</c>); null when not declared or <see cref="Redacted"/>.</param>
public sealed record FieldDiff(string Path, FieldDrift Kind, Value? Live, Value? Declared)
{
    /// <summary>True when the value comes from configuration (<c>!env</c>, not marked safe): neither value is shown.</summary>
    public bool Redacted { get; init; }

    /// <summary>True when the field's last declaration is in a migration not applied yet: the next run writes it; never drift.</summary>
    public bool Pending { get; init; }
}

/// <summary>How many documents a match step's query finds.</summary>
public enum MatchFound
{
    /// <summary>None: the document the step would create is missing.</summary>
    None,

    /// <summary>Exactly one.</summary>
    One,

    /// <summary>Several: the match fields no longer identify one document.</summary>
    Several,
}

/// <summary>A document of a <c>create</c> step with <c>match</c>, and what its query finds.</summary>
/// <param name="Collection">The collection.</param>
/// <param name="Source">The seed file.</param>
/// <param name="Line">The document's YAML line.</param>
/// <param name="Match">The match fields and values, e.g. <c>email = (redacted)</c>.</param>
/// <param name="Found">What the query finds.</param>
/// <param name="Path">The document found, when exactly one.</param>
public sealed record MatchDiff(string Collection, string Source, int Line, string Match, MatchFound Found, DocumentPath? Path)
{
    /// <summary>True unless the query finds exactly one document.</summary>
    public bool Drifted => Found != MatchFound.One;
}

/// <summary>A <c>backfill</c> step and the documents it has not reached.</summary>
/// <param name="Collection">The collection.</param>
/// <param name="Source">The seed file.</param>
/// <param name="Line">The step's YAML line.</param>
/// <param name="Remaining">Documents that match <c>where:</c> and do not hold the <c>set:</c> values.</param>
/// <param name="Method">How they were counted: <c>count</c> (an aggregation, nothing read) or <c>scan</c> (pages read and checked).</param>
public sealed record BackfillDiff(string Collection, string Source, int Line, long Remaining, string Method)
{
    /// <summary>True when documents are left.</summary>
    public bool Drifted => Remaining > 0;
}

/// <summary>How a resource compares.</summary>
public enum ResourceDrift
{
    /// <summary>It exists and holds the declared settings.</summary>
    Same,

    /// <summary>It does not exist.</summary>
    Missing,

    /// <summary>It exists with other settings (<see cref="ResourceDiff.Settings"/>).</summary>
    Differs,

    /// <summary>An index that exists and is still being built.</summary>
    Building,

    /// <summary>Not compared: there is no target (<see cref="ResourceDiff.Note"/> says why).</summary>
    NoTarget,
}

/// <summary>A declared resource and how the live one compares.</summary>
/// <param name="Kind">Topic, subscription, index or field override.</param>
/// <param name="Name">Its name.</param>
/// <param name="State">How it compares.</param>
/// <param name="Source">The seed file of its last declaration.</param>
/// <param name="Line">The YAML line.</param>
public sealed record ResourceDiff(ResourceKind Kind, string Name, ResourceDrift State, string Source, int Line)
{
    /// <summary>The settings that differ, each with its live and declared value as the seed format writes them.</summary>
    public IReadOnlyList<SettingDifference> Settings { get; init; } = [];

    /// <summary>Why there is no target, or what else a reader should know.</summary>
    public string? Note { get; init; }

    /// <summary>Missing or differing.</summary>
    public bool Drifted => State is ResourceDrift.Missing or ResourceDrift.Differs;
}

/// <summary>A step or file the diff left out, and why.</summary>
/// <param name="Source">The seed file.</param>
/// <param name="Line">The step's line (0 for a whole file).</param>
/// <param name="What">The step, e.g. <c>create users</c>, or the file.</param>
/// <param name="Reason">Why it was left out.</param>
public sealed record NotCompared(string Source, int Line, string What, string Reason);
