using Google.Protobuf;
using Grpc.Net.Client;
using Wire = Seeding.PubSub.Tests.Protocol;

namespace Seeding.PubSub.Tests;

/// <summary>Publishes to a topic and pulls from a subscription on the emulator, with the tests' own data-plane client.</summary>
public sealed class Messages(string host, string projectId) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress("http://" + host);

    /// <summary>Publishes one message with <paramref name="attributes"/>; returns its id.</summary>
    public async Task<string> PublishAsync(string topic, string data, IReadOnlyDictionary<string, string>? attributes = null)
    {
        var message = new Wire.PubsubMessage { Data = ByteString.CopyFromUtf8(data) };
        if (attributes is not null)
        {
            message.Attributes.Add(attributes.ToDictionary());
        }

        var request = new Wire.PublishRequest { Topic = $"projects/{projectId}/topics/{topic}" };
        request.Messages.Add(message);
        var response = await new Wire.Publisher.PublisherClient(_channel).PublishAsync(request);
        return Assert.Single(response.MessageIds);
    }

    /// <summary>
    /// Pulls (and acknowledges) what the subscription holds, waiting up to <paramref name="within"/> for at least one
    /// message; <see cref="TimeSpan.Zero"/> answers at once (an empty list when nothing is there).
    /// </summary>
    public async Task<IReadOnlyList<(string Data, IReadOnlyDictionary<string, string> Attributes)>> PullAsync(string subscription, TimeSpan within)
    {
        var name = $"projects/{projectId}/subscriptions/{subscription}";
        var client = new Wire.Subscriber.SubscriberClient(_channel);
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var response = await client.PullAsync(new Wire.PullRequest { Subscription = name, MaxMessages = 100, ReturnImmediately = within == TimeSpan.Zero }, deadline: DateTime.UtcNow.AddSeconds(10));
            if (response.ReceivedMessages.Count > 0 || DateTime.UtcNow > deadline)
            {
                if (response.ReceivedMessages.Count > 0)
                {
                    var ack = new Wire.AcknowledgeRequest { Subscription = name };
                    ack.AckIds.AddRange(response.ReceivedMessages.Select(m => m.AckId));
                    await client.AcknowledgeAsync(ack);
                }

                return response.ReceivedMessages
                    .Select(m => (m.Message.Data.ToStringUtf8(), (IReadOnlyDictionary<string, string>)m.Message.Attributes.ToDictionary()))
                    .ToList();
            }

            await Task.Delay(100);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();
}
