using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;
using Seeding.TestSupport;

namespace Seeding.Benchmarks;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the emulator that delays every byte by half of <c>roundTrip</c> in each
/// direction, so each request and answer pays the round trip a cloud region's network adds (a call's bytes stay in
/// order; throughput is not capped: chunks are queued with the time they may leave, so many calls in flight each pay the
/// latency once, as on a real network). Every client of the benchmark (Seeding and the Node peer) connects through it.
/// </summary>
internal sealed class LatencyProxy : TcpProxy
{
    private readonly TimeSpan _oneWay;

    public LatencyProxy(string target, TimeSpan roundTrip)
        : base(target)
    {
        _oneWay = roundTrip / 2;
        Start();
    }

    protected override async Task ForwardAsync(TcpClient client, TcpClient upstream, int connection, CancellationToken cancellationToken)
    {
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = DelayedPumpAsync(client.GetStream(), upstream.GetStream(), closed.Token);
        var down = DelayedPumpAsync(upstream.GetStream(), client.GetStream(), closed.Token);
        await Task.WhenAny(up, down);
        await closed.CancelAsync();
    }

    // One direction: a reader stamps each chunk with the time it may leave; a writer sends it then, in order.
    private async Task DelayedPumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateUnbounded<(long Due, byte[] Bytes)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(async () =>
        {
            await foreach (var (due, bytes) in queue.Reader.ReadAllAsync(cancellationToken))
            {
                var wait = Stopwatch.GetElapsedTime(due);
                if (wait < TimeSpan.Zero)
                {
                    await Task.Delay(-wait, cancellationToken);
                }

                await to.WriteAsync(bytes, cancellationToken);
            }
        }, cancellationToken);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            queue.Writer.TryWrite((Stopwatch.GetTimestamp() + (long)(_oneWay.TotalSeconds * Stopwatch.Frequency), buffer.AsSpan(0, read).ToArray()));
        }

        queue.Writer.TryComplete();
        await writer;
    }
}
