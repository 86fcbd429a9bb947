using Microsoft.Extensions.Configuration;
using Seeding.Definitions;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>A step a run left out, and why.</summary>
/// <param name="Line">The YAML line of the step.</param>
/// <param name="Description">The verb and collection, e.g. <c>create users</c>.</param>
/// <param name="Reason">Why it was left out.</param>
public sealed record SkippedStep(int Line, string Description, string Reason);

/// <summary>A configuration value a seed needs is not set; nothing of that seed was written.</summary>
public sealed class SeedConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SeedConfigurationException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Applies run-time inputs to a compiled seed: drops steps whose <c>when</c> or <c>environments</c> do not hold (with
/// the reason) and fills <c>!env</c> fields from configuration. Values never reach logs: only keys are named.
/// </summary>
internal static class SeedResolver
{
    /// <summary>Leaves out the steps whose conditions do not hold and, unless <paramref name="fill"/> is false, fills <c>!env</c> fields.</summary>
    /// <param name="seed">The compiled seed.</param>
    /// <param name="request">The run's configuration and environment.</param>
    /// <param name="fill">
    /// False leaves the documents as compiled: the caller fills each with <see cref="Fill"/> as it reads it (the diff,
    /// which writes nothing, so nothing needs checking before the first document and no document is decoded twice).
    /// </param>
    public static (SeedDefinition Seed, IReadOnlyList<SkippedStep> Skipped) Resolve(SeedDefinition seed, RunRequest request, bool fill = true)
    {
        var skipped = new List<SkippedStep>();
        var steps = new List<SeedStep>();
        var changed = false;
        foreach (var step in seed.Steps)
        {
            var reason = WhyNot(step.Conditions, request);
            if (reason is not null)
            {
                skipped.Add(new SkippedStep(step.Line, $"{step.Verb} {step.Collection}", reason));
                continue;
            }

            if (fill && step.Documents.Any(d => d.Configured is { Count: > 0 }))
            {
                // Checked in one pass first (nothing of the seed is written when a value is missing), then filled as
                // the documents stream by, so a large step is never held in memory whole.
                foreach (var document in step.Documents)
                {
                    Fill(seed, document, request);
                }

                steps.Add(step.WithDocuments(new MappedList<SeedDocument, SeedDocument>(step.Documents, d => Fill(seed, d, request))));
                changed = true;
            }
            else
            {
                steps.Add(step);
            }
        }

        return (changed || skipped.Count > 0 ? seed.WithSteps(steps) : seed, skipped);
    }

    private static string? WhyNot(StepConditions conditions, RunRequest request)
    {
        if (conditions.Environments is { Count: > 0 } environments
            && !environments.Contains(request.Environment ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        {
            return request.Environment is null
                ? $"runs only in {string.Join(", ", environments)}; no environment was given (--environment or DOTNET_ENVIRONMENT)"
                : $"runs only in {string.Join(", ", environments)}, not in {request.Environment}";
        }

        if (conditions.When is { } key)
        {
            var value = Read(request, key);
            if (string.IsNullOrWhiteSpace(value) || string.Equals(value.Trim(), "false", StringComparison.OrdinalIgnoreCase))
            {
                return $"when: {key} is not set";
            }
        }

        return null;
    }

    /// <summary>The document with its <c>!env</c> fields read from configuration.</summary>
    /// <exception cref="SeedConfigurationException">A value it needs is not set.</exception>
    public static SeedDocument Fill(SeedDefinition seed, SeedDocument document, RunRequest request)
    {
        if (document.Configured is not { Count: > 0 })
        {
            return document; // a step may mix documents with and without !env fields
        }

        var fields = new Dictionary<string, Value>(document.Fields, StringComparer.Ordinal);
        foreach (var configured in document.Configured!)
        {
            var value = Read(request, configured.Key);
            if (string.IsNullOrEmpty(value))
            {
                throw new SeedConfigurationException(
                    $"{seed.SourcePath}:{document.Line}: field '{configured.Field}' takes its value from configuration '{configured.Key}', which is not set. " +
                    $"Set the environment variable {configured.Key} (or the configuration key) for this service, or guard the step with 'when: !env {configured.Key}'.");
            }

            fields[configured.Field] = Value.String(value);
        }

        return document with { Fields = fields };
    }

    private static string? Read(RunRequest request, string key) =>
        request.Configuration is { } configuration ? configuration[key] : System.Environment.GetEnvironmentVariable(key);
}
