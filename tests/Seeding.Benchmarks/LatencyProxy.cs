using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Seeding.Benchmarks;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the emulator that delays every byte by half of <c>roundTrip</c> in each
/// direction, so each request and answer pays the round trip a cloud region's network adds (a call's bytes stay in
/// order; throughput is not capped: chunks are queued with the time they may leave, so many calls in flight each pay the
/// latency once, as on a real network). Every client of the benchmark (Seeding and the Node peer) connects through it.
/// </summary>
internal sealed class LatencyProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _target;
    private readonly TimeSpan _oneWay;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public LatencyProxy(string target, TimeSpan roundTrip)
    {
        _target = target;
        _oneWay = roundTrip / 2;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary><c>host:port</c> to connect to instead of the emulator.</summary>
    public string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            var separator = _target.LastIndexOf(':');
            try
            {
                client.NoDelay = true;
                upstream.NoDelay = true;
                await upstream.ConnectAsync(_target[..separator], int.Parse(_target[(separator + 1)..], CultureInfo.InvariantCulture), _stop.Token);
                using var closed = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = DelayedPumpAsync(client.GetStream(), upstream.GetStream(), closed.Token);
                var down = DelayedPumpAsync(upstream.GetStream(), client.GetStream(), closed.Token);
                await Task.WhenAny(up, down);
                await closed.CancelAsync();
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
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
