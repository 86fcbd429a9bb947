using System.Text.RegularExpressions;
using Seeding.Resources;

namespace Seeding.Firestore;

/// <summary>
/// The one place for the rules a project id, a database id and an emulator host must follow, checked before any call
/// so that a typo fails with a message naming the setting instead of Firestore's opaque <c>Unknown ()</c>. Used by
/// <see cref="FirestoreStoreOptions"/> (its resolution from variables and its validation), so the CLI and the host
/// apply the same rules.
/// </summary>
/// <remarks>
/// Project ids follow Google Cloud's rule: 6 to 30 lowercase ASCII letters, digits or hyphens, starting with a letter
/// and not ending with a hyphen (legacy domain-scoped ids, <c>example.com:my-project</c>, are accepted). The emulator
/// keeps a data set for any such id regardless of length (tests use <c>demo-...</c> ids), so the length rule applies
/// to production only. Database ids follow Firestore's rule: <c>(default)</c>, or 4 to 63 lowercase letters, digits
/// or hyphens, starting with a letter, ending with a letter or digit, and not shaped like a UUID.
/// </remarks>
internal static partial class FirestoreSettingRules
{
    /// <summary>The form an emulator host must have, as shown in messages.</summary>
    public const string EmulatorHostForm = CloudSettingRules.EmulatorHostForm;

    /// <summary>Checks a project id; null when it is valid, else what is wrong (<see cref="CloudSettingRules.ProjectIdProblem"/>).</summary>
    /// <param name="projectId">The trimmed project id.</param>
    /// <param name="emulator">True when it names an emulator project, which may have any length.</param>
    public static string? ProjectIdProblem(string projectId, bool emulator) => CloudSettingRules.ProjectIdProblem(projectId, emulator);

    /// <summary>Checks a database id; null when it is valid, else what is wrong.</summary>
    /// <param name="databaseId">The trimmed database id.</param>
    public static string? DatabaseIdProblem(string databaseId)
    {
        ArgumentNullException.ThrowIfNull(databaseId);
        if (databaseId == FirestoreStoreOptions.DefaultDatabase)
        {
            return null;
        }

        const string Form = "a database id is (default) or 4 to 63 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit";
        if (!DatabaseIdPattern().IsMatch(databaseId))
        {
            return Form;
        }

        return UuidPattern().IsMatch(databaseId) ? $"a database id must not look like a UUID; {Form}" : null;
    }

    /// <summary>Checks an emulator host; null when it is <c>host:port</c>, else what is wrong (<see cref="CloudSettingRules.EmulatorHostProblem"/>).</summary>
    /// <param name="emulatorHost">The trimmed host.</param>
    public static string? EmulatorHostProblem(string emulatorHost) => CloudSettingRules.EmulatorHostProblem(emulatorHost);

    /// <summary>Trims and checks a project id, naming its source when it is blank or malformed.</summary>
    /// <param name="setting">The value and where it came from.</param>
    /// <param name="emulator">True when it names an emulator project.</param>
    /// <returns>The trimmed value.</returns>
    /// <exception cref="CloudSettingException">Blank or malformed.</exception>
    public static string RequireProjectId(CloudSetting setting, bool emulator) =>
        Require(setting, value => ProjectIdProblem(value, emulator), "a project id such as my-project-123");

    /// <summary>Trims and checks a database id, naming its source when it is blank or malformed.</summary>
    /// <param name="setting">The value and where it came from.</param>
    /// <returns>The trimmed value.</returns>
    /// <exception cref="CloudSettingException">Blank or malformed.</exception>
    public static string RequireDatabaseId(CloudSetting setting) =>
        Require(setting, DatabaseIdProblem, $"{FirestoreStoreOptions.DefaultDatabase} or a database id such as seeds-staging");

    /// <summary>Trims and checks an emulator host, naming its source when it is blank or malformed.</summary>
    /// <param name="setting">The value and where it came from.</param>
    /// <returns>The trimmed value.</returns>
    /// <exception cref="CloudSettingException">Blank or malformed.</exception>
    public static string RequireEmulatorHost(CloudSetting setting) => Require(setting, EmulatorHostProblem, EmulatorHostForm);

    private static string Require(CloudSetting setting, Func<string, string?> problem, string expected) =>
        CloudSettingRules.Require(setting.Value, setting.Source, problem, expected, static (source, message) => new CloudSettingException(source, message));


    [GeneratedRegex(@"^[a-z][a-z0-9-]{2,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex DatabaseIdPattern();

    [GeneratedRegex(@"^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex UuidPattern();

}
