namespace Seeding.Definitions;

/// <summary>What a service name may be: letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
public static partial class ServiceNameRule
{
    /// <summary>True when <paramref name="name"/> is a name <c>seeding.yaml</c> accepts as a service.</summary>
    /// <param name="name">The candidate name.</param>
    public static bool IsValid(string name) => Matches(name ?? throw new ArgumentNullException(nameof(name)));
}
