using Seeding.Values;

namespace Seeding.Definitions;

/// <summary>One document a seed declares: its id, exactly the fields the YAML gives it, and the YAML line.</summary>
/// <param name="Id">The document id (empty for a <c>match</c> step, whose ids come from its <c>new_id</c> rule).</param>
/// <param name="Fields">The fields written (for <c>upsert</c>, only these are written; others are kept).</param>
/// <param name="Line">The 1-based line of the document in its YAML file, for plans and messages.</param>
/// <param name="Configured">Fields whose values are read from configuration at run time (<c>!env</c>).</param>
public sealed record SeedDocument(string Id, IReadOnlyDictionary<string, Value> Fields, int Line, IReadOnlyList<ConfiguredField>? Configured = null);
