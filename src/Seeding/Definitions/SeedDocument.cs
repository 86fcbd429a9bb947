using Seeding.Values;

namespace Seeding.Definitions;

/// <summary>One document a seed declares: its id, exactly the fields the YAML gives it, and the YAML line.</summary>
/// <param name="Id">The document id.</param>
/// <param name="Fields">The fields written (for <c>upsert</c>, only these are written; others are kept).</param>
/// <param name="Line">The 1-based line of the document in its YAML file, for plans and messages.</param>
public sealed record SeedDocument(string Id, IReadOnlyDictionary<string, Value> Fields, int Line);
