namespace Seeding.Definitions;

/// <summary>
/// When a step runs: only when a configuration value is set (<c>when: !env NAME</c>) and only in some
/// environments (<c>environments: [dev, staging]</c>). Evaluated at run time, never at compile time.
/// </summary>
/// <param name="When">A configuration key that must hold a non-empty value other than <c>false</c>; null for always.</param>
/// <param name="Environments">The environments the step runs in; null or empty for all.</param>
public sealed record StepConditions(string? When = null, IReadOnlyList<string>? Environments = null)
{
    /// <summary>No conditions: the step always runs.</summary>
    public static StepConditions None { get; } = new();
}

/// <summary>
/// A top-level field whose value comes from configuration at run time (<c>!env NAME</c>), so secrets and
/// per-environment values never reach generated code. Shown redacted in plans and logs unless <see cref="Safe"/>.
/// </summary>
/// <param name="Field">The field name in the document.</param>
/// <param name="Key">The configuration key (environment variables included), e.g. <c>PLATFORM_ADMIN_EMAIL</c>.</param>
/// <param name="Safe">True when the value may be shown in plans and logs.</param>
public sealed record ConfiguredField(string Field, string Key, bool Safe = false);
