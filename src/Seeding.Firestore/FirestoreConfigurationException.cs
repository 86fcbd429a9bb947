namespace Seeding.Firestore;

/// <summary>
/// A Firestore connection setting is blank or malformed. Thrown before any call is made; the message names the setting
/// (<see cref="Setting"/>: a variable such as <c>FIRESTORE_EMULATOR_HOST</c>, a command-line option, a configuration
/// key or an options property) and the form it expects.
/// </summary>
public sealed class FirestoreConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="setting">The variable, option, key or property at fault.</param>
    /// <param name="message">What is wrong and what is expected.</param>
    public FirestoreConfigurationException(string setting, string message)
        : base(message)
    {
        Setting = setting;
    }

    /// <summary>The variable, option, configuration key or property at fault, e.g. <c>FIRESTORE_PROJECT_ID</c>.</summary>
    public string Setting { get; }
}
