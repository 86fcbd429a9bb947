using Grpc.Core;
using Seeding.Resources;

namespace Seeding.PubSub.Internal;

/// <summary>Classifies gRPC failures of Pub/Sub calls and turns permanent ones into messages that say what to check.</summary>
internal static class Faults
{
    /// <param name="e">The final failure.</param>
    /// <param name="rpc">The call, e.g. <c>CreateSubscription</c>.</param>
    /// <param name="resource">What the call was about, e.g. <c>subscription 'audit-writer' (topic 'audit-events')</c>.</param>
    /// <param name="where">The admin's name: emulator host or production, and the project.</param>
    /// <param name="unavailable">What the transport says about a transient failure that outlasted the retries (<see cref="GoogleCall.Unavailable"/>).</param>
    public static PubSubException Permanent(RpcException e, string rpc, string resource, string where, string unavailable)
    {
        var detail = GoogleFaults.Detail(e);
        var hint = e.StatusCode switch
        {
            StatusCode.NotFound when rpc == "CreateSubscription" =>
                $"not found ({detail}). A subscription needs its topic (and its dead-letter topic) to exist first: declare the topic in a seed " +
                "file (or a step) that runs before it. Also check the project id (PUBSUB_PROJECT_ID) is the one that holds the topics.",
            StatusCode.NotFound =>
                $"not found ({detail}). Check that it exists and that the project id (PUBSUB_PROJECT_ID) is the one that holds it.",
            StatusCode.PermissionDenied =>
                $"permission denied ({detail}). Check that the credentials (GOOGLE_APPLICATION_CREDENTIALS or application-default login) hold " +
                "roles/pubsub.editor on the project, that the project id (PUBSUB_PROJECT_ID) is right and the Pub/Sub API is enabled.",
            StatusCode.Unauthenticated =>
                $"not authenticated ({detail}). Set GOOGLE_APPLICATION_CREDENTIALS or run 'gcloud auth application-default login'; for the " +
                "emulator set PUBSUB_EMULATOR_HOST.",
            // Google's emulator (0.8.x) refuses "labels" in an update mask, which Pub/Sub itself accepts.
            StatusCode.InvalidArgument when detail.Contains("labels is not a known", StringComparison.Ordinal) =>
                $"the Pub/Sub emulator cannot change the labels of an existing {(rpc == "UpdateTopic" ? "topic" : "subscription")} ({detail}); Pub/Sub itself can. " +
                "The declared labels differ from the ones it has: on the emulator, restart it (it keeps nothing) so the run creates it with the declared labels.",
            // Google's emulator (0.8.x) still caps a subscription's retention at the old 7 days; Pub/Sub allows 31.
            StatusCode.InvalidArgument when rpc.EndsWith("Subscription", StringComparison.Ordinal) && detail.Contains("message_retention_duration out of bounds", StringComparison.Ordinal) =>
                $"the message_retention is out of the target's bounds ({detail}). Pub/Sub allows a subscription " +
                $"{Range(ResourceRules.MinMessageRetention, ResourceRules.MaxSubscriptionRetention)}, but Google's Pub/Sub emulator keeps to an older " +
                "limit of 7d: against the emulator, declare at most 7d.",
            StatusCode.InvalidArgument =>
                $"Pub/Sub rejected the request as invalid ({detail}). Check the names ({ResourceRules.MinIdLength} to {ResourceRules.MaxIdLength} " +
                $"characters, starting with a letter, not 'goog') and the settings' ranges ({SettingRanges}).",
            StatusCode.FailedPrecondition =>
                $"Pub/Sub refused the change in the resource's current state ({detail}).",
            _ when GoogleFaults.IsTransient(e) =>
                $"{unavailable} Check the network, the endpoint, or that the emulator at PUBSUB_EMULATOR_HOST is running.",
            StatusCode.Unknown or StatusCode.Unimplemented =>
                $"the target answered {e.StatusCode} ({detail}). Check that it is a Pub/Sub endpoint: PUBSUB_EMULATOR_HOST must name the Pub/Sub " +
                "emulator's host:port, not another service.",
            _ => $"{e.StatusCode} ({detail}). Check the project id (PUBSUB_PROJECT_ID), PUBSUB_EMULATOR_HOST and the credentials (roles/pubsub.editor).",
        };
        return new PubSubException($"Pub/Sub {rpc} of {resource} on {where} failed: {hint}", e.StatusCode, e);
    }

    /// <summary>The settings' ranges in words, from <see cref="ResourceRules"/> (the one place they are written).</summary>
    internal static string SettingRanges =>
        $"{PubSubSetting.AckDeadline} {ResourceRules.MinAckDeadline.TotalSeconds:0}s to {ResourceRules.MaxAckDeadline.TotalSeconds:0}s, " +
        $"{PubSubSetting.MessageRetention} {Retention}, " +
        $"max_delivery_attempts {ResourceRules.MinDeliveryAttempts} to {ResourceRules.MaxDeliveryAttempts}";

    private static string Retention => ResourceRules.MaxSubscriptionRetention == ResourceRules.MaxTopicRetention
        ? Range(ResourceRules.MinMessageRetention, ResourceRules.MaxTopicRetention)
        : $"{Range(ResourceRules.MinMessageRetention, ResourceRules.MaxSubscriptionRetention)} on a subscription and " +
          $"{Range(ResourceRules.MinMessageRetention, ResourceRules.MaxTopicRetention)} on a topic";

    private static string Range(TimeSpan min, TimeSpan max) => $"{ResourceRules.FormatDuration(min)} to {ResourceRules.FormatDuration(max)}";
}
