using System.Net.Sockets;
using Seeding.TestSupport;

namespace Seeding.Firestore.Tests;

/// <summary>
/// A TCP proxy in front of the emulator that cuts its first <c>cuts</c> connections as soon as the client has sent
/// something (a network dropping the connection), and forwards the rest.
/// </summary>
public sealed class CuttingProxy : TcpProxy
{
    // The client's preface and settings are well under this; a request's headers and body take it past.
    private const long CutAfterBytes = 200;

    private readonly int _cuts;
    private int _cut;

    public CuttingProxy(string target, int cuts)
        : base(target)
    {
        _cuts = cuts;
        Start();
    }

    /// <summary>Connections cut so far.</summary>
    public int Cut => Volatile.Read(ref _cut);

    // A cut connection completes the HTTP/2 handshake and carries the first request's bytes, then is reset from
    // both sides: the call was sent and its answer never comes, as when a network path drops mid-call.
    protected override async Task ForwardAsync(TcpClient client, TcpClient upstream, int connection, CancellationToken cancellationToken)
    {
        var cut = connection < _cuts;
        using var reset = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
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
