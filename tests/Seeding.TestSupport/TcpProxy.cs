using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Seeding.TestSupport;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of an emulator, for faults and delays below gRPC that code opening its own store
/// (the command line, a Node client) cannot take as an interceptor. This part listens, accepts, connects each client
/// to the target and ends everything on dispose; what happens to the bytes on the way is the subclass's
/// (<see cref="ForwardAsync"/>).
/// </summary>
public abstract class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _target;
    private readonly CancellationTokenSource _stop = new();
    private Task? _accepting;
    private int _connections;

    /// <summary>A proxy to <paramref name="target"/> (<c>host:port</c>); it listens once <see cref="Start"/> is called.</summary>
    /// <param name="target">The emulator's <c>host:port</c>.</param>
    protected TcpProxy(string target) => _target = target;

    /// <summary><c>host:port</c> to connect to instead of the target.</summary>
    public string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Starts listening (called by the subclass's constructor, once its own state is set).</summary>
    protected void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Carries one connection's bytes between <paramref name="client"/> and <paramref name="upstream"/> until either ends.</summary>
    /// <param name="client">The accepted connection.</param>
    /// <param name="upstream">The connection to the target, already open.</param>
    /// <param name="connection">0 for the first connection accepted, then 1, 2, ...</param>
    /// <param name="cancellationToken">Set when the proxy is disposed.</param>
    protected abstract Task ForwardAsync(TcpClient client, TcpClient upstream, int connection, CancellationToken cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            if (_accepting is not null)
            {
                await _accepting;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ConnectAsync(client, Interlocked.Increment(ref _connections) - 1);
        }
    }

    private async Task ConnectAsync(TcpClient client, int connection)
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
                await ForwardAsync(client, upstream, connection, _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A connection ended by either side or by disposal: nothing to report.
            }
        }
    }
}
