namespace Seeding.Documents;

/// <summary>
/// Firestore's rules for document ids, collection ids and field names, with messages that say what to
/// change. The generator applies the same rules at compile time: it compiles DocumentRules.cs as a linked source.
/// </summary>
public static partial class DocumentRules
{
}
