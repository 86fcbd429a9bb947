using Seeding.Firestore;
using Seeding.PubSub;
using Seeding.Resources;

namespace Seeding.Hosting.Tests;

/// <summary>
/// The call timeouts and retries of both Google targets are one declaration (<see cref="GoogleCallOptions"/>): the same
/// knobs, checked by the same rule, with each target's own retry defaults.
/// </summary>
public sealed class GoogleCallOptionsTests
{
    private static FirestoreStoreOptions Firestore() => new() { ProjectId = "demo-calls", EmulatorHost = "127.0.0.1:8080" };

    private static PubSubOptions PubSub() => new() { ProjectId = "demo-calls", EmulatorHost = "127.0.0.1:8085" };

    [Fact]
    public void Each_target_keeps_its_retry_defaults_and_shares_the_timeouts()
    {
        GoogleCallOptions firestore = Firestore();
        GoogleCallOptions pubSub = PubSub();

        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60), 6, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10)),
            (firestore.CallTimeout, firestore.OperationTimeout, firestore.MaxAttempts, firestore.InitialBackoff, firestore.MaxBackoff));
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60), 5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)),
            (pubSub.CallTimeout, pubSub.OperationTimeout, pubSub.MaxAttempts, pubSub.InitialBackoff, pubSub.MaxBackoff));
        Firestore().Validate();
        PubSub().Validate();
    }

    public static TheoryData<string, Action<GoogleCallOptions>> BadCalls => new()
    {
        { "CallTimeout", o => o.CallTimeout = TimeSpan.Zero },
        { "OperationTimeout", o => o.OperationTimeout = TimeSpan.FromSeconds(-1) },
        { "MaxAttempts (0)", o => o.MaxAttempts = 0 },
        { "MaxBackoff (00:00:00.0500000) at least InitialBackoff (00:00:01)", o => (o.InitialBackoff, o.MaxBackoff) = (TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50)) },
    };

    [Theory]
    [MemberData(nameof(BadCalls))]
    public void A_bad_call_setting_is_refused_by_the_same_rule_for_both_targets(string named, Action<GoogleCallOptions> spoil)
    {
        // From the same settings, so the two messages differ only in the options' name.
        var firestore = Firestore();
        var pubSub = PubSub();
        foreach (GoogleCallOptions options in new GoogleCallOptions[] { firestore, pubSub })
        {
            (options.MaxAttempts, options.InitialBackoff, options.MaxBackoff) = (3, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        }

        spoil(firestore);
        spoil(pubSub);

        var firestoreError = Assert.Throws<CloudSettingException>(firestore.Validate);
        var pubSubError = Assert.Throws<CloudSettingException>(pubSub.Validate);

        Assert.Equal(("FirestoreStoreOptions", "PubSubOptions"), (firestoreError.Setting, pubSubError.Setting));
        Assert.Contains(named, firestoreError.Message);
        Assert.Equal(firestoreError.Message.Replace("FirestoreStoreOptions", "PubSubOptions", StringComparison.Ordinal), pubSubError.Message);
    }
}
