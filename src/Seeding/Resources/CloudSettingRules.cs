using System.ComponentModel;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Seeding.Resources;

/// <summary>
/// The rules a Google Cloud project id and an emulator's <c>host:port</c> follow, shared by every Google target
/// (the Firestore store, the Pub/Sub target) so a typo fails the same way, by name, before any call.
/// </summary>
/// <remarks>
/// Project ids follow Google Cloud's rule: 6 to 30 lowercase ASCII letters, digits or hyphens, starting with a letter
/// and not ending with a hyphen (legacy domain-scoped ids, <c>example.com:my-project</c>, are accepted). Emulators
/// keep a data set for any such id regardless of length (tests use <c>demo-...</c> ids), so the length rule applies
/// to production only. Hidden from IntelliSense: the targets' options apply these rules themselves.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class CloudSettingRules
{
    /// <summary>The form an emulator host must have, as shown in messages.</summary>
    public const string EmulatorHostForm = "host:port (e.g. 127.0.0.1:8080: no scheme, no path, one host)";

    /// <summary>Checks a project id; null when it is valid, else what is wrong.</summary>
    /// <param name="projectId">The trimmed project id.</param>
    /// <param name="emulator">True when it names an emulator project, which may have any length.</param>
    public static string? ProjectIdProblem(string projectId, bool emulator)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        var match = ProjectIdPattern().Match(projectId);
        const string Form = "a project id is lowercase letters, digits and hyphens, starts with a letter and does not end with a hyphen " +
                            "(e.g. my-project-123; emulator projects such as demo-seeding)";
        if (!match.Success)
        {
            return Form;
        }

        var length = match.Groups["id"].Length;
        return emulator || length is >= 6 and <= 30 ? null : $"a Google Cloud project id has 6 to 30 characters, this one {length}; {Form}";
    }

    /// <summary>Checks an emulator host; null when it is <c>host:port</c>, else what is wrong.</summary>
    /// <param name="emulatorHost">The trimmed host.</param>
    public static string? EmulatorHostProblem(string emulatorHost)
    {
        ArgumentNullException.ThrowIfNull(emulatorHost);
        if (emulatorHost.Contains("://", StringComparison.Ordinal))
        {
            return "it has a scheme; the emulator is always reached over plaintext HTTP/2, give only host:port";
        }

        if (emulatorHost.Contains('/', StringComparison.Ordinal))
        {
            return "it has a path; give only host:port";
        }

        if (emulatorHost.Any(c => c == ',' || char.IsWhiteSpace(c)))
        {
            return "it names more than one host; give one host:port";
        }

        string host;
        string port;
        if (emulatorHost.StartsWith('['))
        {
            // [IPv6]:port, the only form in which a host may itself hold colons.
            var close = emulatorHost.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                return "an IPv6 host needs its port after the bracket: [::1]:8080";
            }

            host = emulatorHost[1..close];
            port = emulatorHost[(close + 2)..];
            if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return $"'{host}' is not an IPv6 address";
            }
        }
        else
        {
            var colon = emulatorHost.LastIndexOf(':');
            if (colon < 0)
            {
                return "it has no port";
            }

            host = emulatorHost[..colon];
            port = emulatorHost[(colon + 1)..];
            if (host.Length == 0)
            {
                return "it has no host before the colon";
            }

            if (host.Contains(':', StringComparison.Ordinal))
            {
                return "it has more than one colon (write an IPv6 host in brackets: [::1]:8080)";
            }

            if (!HostNamePattern().IsMatch(host))
            {
                return $"'{host}' is not a host name or IPv4 address";
            }
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535
            ? null
            : $"'{port}' is not a port (1 to 65535)";
    }

    /// <summary>
    /// Trims and checks a setting that was given. A set-but-blank value is refused rather than read as unset: a
    /// mis-templated deploy variable must not quietly send the run (or its topics) elsewhere, or nowhere.
    /// </summary>
    /// <param name="value">The value as given, untrimmed.</param>
    /// <param name="source">Where it came from (variable, option, configuration key), named in the message.</param>
    /// <param name="problem">The rule: null when the trimmed value is valid, else what is wrong.</param>
    /// <param name="expected">What a valid value looks like, for the message.</param>
    /// <param name="error">Makes the caller's configuration exception from the source and the message.</param>
    /// <returns>The trimmed value.</returns>
    public static string Require(string? value, string source, Func<string, string?> problem, string expected, Func<string, string, Exception> error)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(error);
        var trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw error(source, $"{source} is set but blank. Set it to {expected}, or unset it.");
        }

        return problem(trimmed) is { } wrong ? throw error(source, $"{source} is '{value}': {wrong}. Expected {expected}.") : trimmed;
    }

    [GeneratedRegex(@"^(?:[a-z0-9][a-z0-9.-]*[a-z0-9]:)?(?<id>[a-z](?:[a-z0-9-]*[a-z0-9])?)$", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostNamePattern();
}
