namespace Seeding.Resources;

/// <summary>
/// A connection setting of a Google target (the Firestore store, the Pub/Sub target) as given, and where it came from
/// (for messages): <c>("demo-x", "--firestore-project")</c>, <c>("127.0.0.1:8085", "PUBSUB_EMULATOR_HOST")</c>.
/// </summary>
/// <param name="Value">The value as given, untrimmed.</param>
/// <param name="Source">The variable, command-line option, configuration key or property it came from.</param>
public readonly record struct CloudSetting(string Value, string Source);

/// <summary>
/// A connection setting of a Google target (Firestore, Pub/Sub) is blank or malformed: the one exception of both
/// targets' settings. Thrown before any call is made; the message names the setting (<see cref="Setting"/>: a variable
/// such as <c>FIRESTORE_EMULATOR_HOST</c>, a command-line option, a configuration key or an options property) and the
/// form it expects.
/// </summary>
public sealed class CloudSettingException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="setting">The variable, option, key or property at fault.</param>
    /// <param name="message">What is wrong and what is expected.</param>
    public CloudSettingException(string setting, string message)
        : base(message)
    {
        Setting = setting;
    }

    /// <summary>The variable, option, configuration key or property at fault, e.g. <c>FIRESTORE_PROJECT_ID</c>.</summary>
    public string Setting { get; }
}
