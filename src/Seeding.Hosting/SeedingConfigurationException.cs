namespace Seeding.Hosting;

/// <summary>
/// A seeding setting is blank, malformed or missing: the store choice (<c>Seeding:Store</c>, <c>FIRESTORE_*</c>), the
/// Pub/Sub target (<c>Seeding:PubSub:*</c>, <c>PUBSUB_*</c>), the seed runner's <c>DRY_RUN</c> or
/// <c>MIGRATION_PHASE</c>. Raised before anything is read or written; the message names the setting and what to write
/// instead. The host fails to start with it; the <c>seeding</c> command exits 2.
/// </summary>
public sealed class SeedingConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="setting">The variable, option or configuration key at fault.</param>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public SeedingConfigurationException(string setting, string message, Exception? inner = null)
        : base(message, inner)
    {
        Setting = setting;
    }

    /// <summary>The variable, option or configuration key at fault, e.g. <c>FIRESTORE_EMULATOR_HOST</c>.</summary>
    public string Setting { get; }
}
