namespace Seeding.Resources;

/// <summary>
/// One declared setting of a topic, subscription, index or field override whose live value is another, with both
/// values as the seed format writes them (docs/seed-format.md): durations <c>7d</c>, labels <c>{ team: audit }</c>,
/// strings quoted when YAML needs it. It is what <c>seeding diff</c> shows as <c>~ setting: live -> declared</c>, and
/// what a run names when it updates or leaves a resource.
/// </summary>
/// <param name="Setting">The setting's name in the seed format, e.g. <c>message_retention</c> (<see cref="PubSubSetting"/>).</param>
/// <param name="Live">The live value; null when the live resource does not hold the setting.</param>
/// <param name="Declared">The declared value; null when the declaration asks for the setting to be absent.</param>
public sealed record SettingDifference(string Setting, string? Live, string? Declared)
{
    /// <summary>How text shows a value that is absent.</summary>
    public const string None = "(none)";

    /// <summary>The setting with its values, e.g. <c>message_retention (1d -> 7d)</c>, as run notes name it.</summary>
    public override string ToString() => $"{Setting} ({Live ?? None} -> {Declared ?? None})";
}
