namespace Seeding.Resources;

/// <summary>
/// Pub/Sub's rules for topic and subscription ids, labels, durations and settings, and the field-path and collection
/// group rules of Firestore indexes, with messages that say what to change. The generator applies the same rules at
/// compile time: it compiles ResourceRules.cs as a linked source.
/// </summary>
public static partial class ResourceRules
{
}
