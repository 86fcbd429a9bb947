using System.Net;
using System.Net.Sockets;

namespace Seeding.Firestore.Tests;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the emulator that cuts its first <c>cuts</c> connections as soon as the client
/// has sent something (a network dropping the connection), and forwards the rest. Faults at the transport, below gRPC,
/// for code that opens its own store (the command line) and so cannot take an interceptor.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _remainingCuts;
    private int _cut;

    public CuttingProxy(string target, int cuts)
    {
        _target = target;
        _remainingCuts = cuts;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary><c>host:port</c> to connect to instead of the emulator.</summary>
    public string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Connections cut so far.</summary>
    public int Cut => Volatile.Read(ref _cut);

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
            _ = ForwardAsync(client, cut: Interlocked.Decrement(ref _remainingCuts) >= 0);
        }
    }

    // A cut connection completes the HTTP/2 handshake and carries the first request's bytes, then is reset from
    // both sides: the call was sent and its answer never comes, as when a network path drops mid-call.
    private async Task ForwardAsync(TcpClient client, bool cut)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            var separator = _target.LastIndexOf(':');
            try
            {
                await upstream.ConnectAsync(_target[..separator], int.Parse(_target[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture), _stop.Token);
                using var reset = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = PumpAsync(client.GetStream(), upstream.GetStream(), cut ? CutAfterBytes : long.MaxValue, reset.Token);
                var down = PumpAsync(upstream.GetStream(), client.GetStream(), long.MaxValue, reset.Token);
                await Task.WhenAny(up, down);
                if (cut)
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                    upstream.Client.LingerState = new LingerOption(true, 0);
                    Interlocked.Increment(ref _cut);
                }

                await reset.CancelAsync();
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    // The client's preface and settings are well under this; a request's headers and body take it past.
    private const long CutAfterBytes = 200;

    private static async Task PumpAsync(Stream from, Stream to, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while (total < limit && (read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
        }
    }
}
