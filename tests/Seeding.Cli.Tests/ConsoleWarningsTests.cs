using Microsoft.Extensions.Logging;
using Seeding.Cli.Output;

namespace Seeding.Cli.Tests;

/// <summary>A warning is one line in the project's words; the raw detail (a multi-line status, an exception chain) follows on one detail line.</summary>
public sealed partial class ConsoleWarningsTests
{
    [LoggerMessage(1, LogLevel.Warning, "Firestore {Rpc} attempt {Attempt} of {MaxAttempts} failed with {Status} ({Detail}); retrying in {DelayMs} ms")]
    private static partial void Retrying(ILogger logger, string rpc, int attempt, int maxAttempts, string status, string detail, long delayMs, Exception? exception);

    [Fact]
    public void A_multi_line_detail_and_an_exception_chain_stay_off_the_warning_line()
    {
        var error = new StringWriter();
        var logger = new ConsoleWarnings(error);
        var chain = new InvalidOperationException("outer failed\nsecond line", new IOException("The response ended prematurely.\r\nat the transport"));

        Retrying(logger, "Commit", 2, 6, "Internal", "Error starting gRPC call.\nHttpRequestException: did not complete the HTTP/2 handshake", 200, chain);

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("warning: Firestore Commit attempt 2 of 6 failed with Internal (Error starting gRPC call. ...); retrying in 200 ms", lines[0]);
        Assert.Equal(
            "  detail: Error starting gRPC call. | HttpRequestException: did not complete the HTTP/2 handshake <- InvalidOperationException: outer failed | second line " +
            "<- IOException: The response ended prematurely. | at the transport",
            lines[1]);
    }

    [Fact]
    public void A_one_line_warning_is_printed_as_it_is_with_no_detail_line()
    {
        var error = new StringWriter();

        Retrying(new ConsoleWarnings(error), "BatchGetDocuments", 1, 6, "Unavailable", "Connection refused", 100, null);

        Assert.Equal("warning: Firestore BatchGetDocuments attempt 1 of 6 failed with Unavailable (Connection refused); retrying in 100 ms\n", error.ToString().Replace("\r\n", "\n"));
    }
}
