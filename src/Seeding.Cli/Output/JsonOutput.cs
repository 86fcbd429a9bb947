using System.Text.Json;
using Seeding.Cli.Commands;
using Seeding.Running;
using static Seeding.Cli.Output.JsonEnvelope;

namespace Seeding.Cli.Output;

/// <summary>
/// The machine-readable output (<c>--output json</c>): one JSON document per command on standard output, written field by
/// field so its shape is stable and documented (src/Seeding.Cli/README.md). camelCase names, enum values in snake_case.
/// This type writes the run documents (migrate, plan, status, verify, new, init) and errors; <see cref="MaintenanceJson"/>
/// and <see cref="DataJson"/> write the others, all in <see cref="JsonEnvelope"/>.
/// </summary>
internal static class JsonOutput
{
    public static string Migrate(MigrateResult result) => Write(w =>
    {
        Header(w, result.Command, result.ExitCode);
        w.WriteBoolean("dryRun", result.DryRun);
        w.WriteString("store", result.Store);
        w.WriteString("environment", result.Environment);
        w.WriteStartArray("phases");
        foreach (var phase in result.Phases)
        {
            w.WriteStringValue(RunSettings.Name(phase));
        }

        w.WriteEndArray();
        w.WriteStartArray("services");
        foreach (var run in result.Services)
        {
            w.WriteStartObject();
            w.WriteString("service", run.Service.Service);
            w.WriteString("status", ServiceStatus(run.State));
            w.WriteString("error", run.Error);
            w.WriteNumber("durationMs", (long)(run.Report?.Duration.TotalMilliseconds ?? 0));
            w.WriteStartArray("seeds");
            foreach (var seed in run.Report?.Seeds ?? [])
            {
                w.WriteStartObject();
                w.WriteString("id", seed.Seed.Id);
                w.WriteString("phase", RunSettings.Name(seed.Seed.Phase));
                w.WriteString("source", seed.Seed.SourcePath);
                w.WriteString("description", seed.Seed.Description);
                w.WriteString("outcome", Outcome(seed.Outcome));
                w.WriteNumber("created", seed.Created);
                w.WriteNumber("skipped", seed.Skipped);
                w.WriteNumber("updated", seed.Updated);
                w.WriteNumber("durationMs", (long)seed.Duration.TotalMilliseconds);
                w.WriteStartArray("skippedSteps");
                foreach (var skipped in seed.SkippedSteps)
                {
                    w.WriteStartObject();
                    w.WriteString("step", skipped.Description);
                    w.WriteNumber("line", skipped.Line);
                    w.WriteString("reason", skipped.Reason);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("plan");
                foreach (var line in seed.Plan)
                {
                    w.WriteStartObject();
                    w.WriteString("path", line.Path.ToString());
                    w.WriteString("action", Action(line.Action));
                    w.WriteNumber("line", line.Line);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                SeedError(w, seed.Failure);
                w.WriteStartArray("resources");
                foreach (var resource in seed.Resources)
                {
                    w.WriteStartObject();
                    w.WriteString("kind", ResourceKind(resource.Kind));
                    w.WriteString("name", resource.Name);
                    w.WriteString("action", ResourceAction(resource.Action));
                    w.WriteNumber("line", resource.Line);
                    w.WriteString("note", resource.Note);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                PlanOmitted(w, seed.PlanOmitted); // added after the fields of schema 1, as the README promises
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("retries", run.Retries);
            w.WriteBoolean("writeRampActive", run.Report?.WriteRampActive ?? false);
            w.WriteNumber("writeRampWaitMs", (long)(run.Report?.WriteRampWait.TotalMilliseconds ?? 0));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        var reports = result.Services.Where(r => r.Report is not null).Select(r => r.Report!).ToArray();
        w.WriteStartObject("totals");
        w.WriteNumber("services", TextOutput.TotalServices(result));
        w.WriteNumber("seedFiles", reports.Sum(r => r.Seeds.Count));
        w.WriteNumber("applied", reports.Sum(r => r.Seeds.Count(s => s.Outcome == SeedOutcome.Applied)));
        w.WriteNumber("alreadyApplied", reports.Sum(r => r.Seeds.Count(s => s.Outcome == SeedOutcome.AlreadyApplied)));
        w.WriteNumber("created", reports.Sum(r => r.Created));
        w.WriteNumber("skipped", reports.Sum(r => r.Skipped));
        w.WriteNumber("updated", reports.Sum(r => r.Updated));
        w.WriteNumber("durationMs", (long)result.Duration.TotalMilliseconds);
        w.WriteNumber("failed", reports.Sum(r => r.Seeds.Count(s => s.Outcome == SeedOutcome.Failed)));
        w.WriteNumber("retries", result.Services.Sum(r => r.Retries));
        w.WriteBoolean("writeRampActive", result.Services.Any(r => r.Report?.WriteRampActive == true));
        w.WriteNumber("writeRampWaitMs", (long)result.Services.Sum(r => r.Report?.WriteRampWait.TotalMilliseconds ?? 0));
        w.WriteNumber("resources", reports.Sum(r => r.Resources.Count()));
        w.WriteNumber("cancelled", reports.Sum(r => r.Seeds.Count(s => s.Outcome == SeedOutcome.Cancelled)));
        w.WriteEndObject();
        var failed = result.Services.FirstOrDefault(r => r.Error is not null);
        if (failed is null)
        {
            w.WriteNull("error");
        }
        else
        {
            ErrorObject(w, ErrorKind(failed.State), $"{failed.Service.Service}: {failed.Error}");
        }

        // Added with resource steps, at the end as the shape's rules say.
        w.WriteString("pubSub", result.PubSub);
        w.WriteBoolean("waitForIndexes", result.WaitForIndexes);
    });

    public static string Status(StatusResult result) => Write(w =>
    {
        Header(w, result.Verify ? "verify" : "status", result.ExitCode);
        w.WriteString("store", result.Store);
        w.WriteStartArray("services");
        foreach (var service in result.Services)
        {
            w.WriteStartObject();
            w.WriteString("service", service.Service.Service);
            w.WriteStartArray("dependsOn");
            foreach (var dependency in service.Service.DependsOn)
            {
                w.WriteStringValue(dependency);
            }

            w.WriteEndArray();
            w.WriteStartArray("migrations");
            foreach (var migration in service.Migrations)
            {
                w.WriteStartObject();
                w.WriteString("id", migration.Seed.Id);
                w.WriteString("phase", RunSettings.Name(migration.Seed.Phase));
                w.WriteString("source", migration.Seed.SourcePath);
                w.WriteString("state", migration.State.ToString().ToLowerInvariant());
                w.WriteString("checksum", migration.Seed.Checksum);
                w.WriteString("appliedChecksum", migration.AppliedChecksum);
                w.WriteString("appliedAt", migration.AppliedAt is { } at ? at.ToDateTimeOffset().ToString("O", System.Globalization.CultureInfo.InvariantCulture) : null);
                w.WriteStartArray("withoutTarget");
                foreach (var target in migration.ResourcesWithoutTarget)
                {
                    w.WriteStringValue(target.ToString().ToLowerInvariant()); // like "state": the enum's name, lower-cased
                }

                w.WriteEndArray();
                DriftCount(w, result, service.Service.Service, migration.Seed);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            BackfillJson.Write(w, service.Backfills);
            w.WriteStartArray("bootstrap");
            foreach (var seed in service.Service.Seeds.Where(s => !s.IsMigration))
            {
                w.WriteStartObject();
                w.WriteString("id", seed.Id);
                w.WriteString("source", seed.SourcePath);
                DriftCount(w, result, service.Service.Service, seed);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        var all = result.Services.SelectMany(s => s.Migrations).ToArray();
        w.WriteStartObject("totals");
        w.WriteNumber("services", result.Services.Count);
        w.WriteNumber("migrations", all.Length);
        w.WriteNumber("applied", all.Count(m => m.State == MigrationState.Applied));
        w.WriteNumber("pending", all.Count(m => m.State == MigrationState.Pending));
        w.WriteNumber("drifted", all.Count(m => m.State == MigrationState.Drifted));
        w.WriteEndObject();
        if (result.ExitCode == ExitCodes.Ok)
        {
            w.WriteNull("error");
        }
        else
        {
            ErrorObject(w, "drift", $"{all.Count(m => m.State == MigrationState.Drifted)} applied migration(s) drifted.");
        }
    });

    public static string Created(string path, string id, string phase) => Write(w =>
    {
        Header(w, "new", ExitCodes.Ok);
        w.WriteString("path", path);
        w.WriteString("id", id);
        w.WriteString("phase", phase);
        w.WriteNull("error");
    });

    public static string Initialised(string directory, string service, IEnumerable<string> written) => Write(w =>
    {
        Header(w, "init", ExitCodes.Ok);
        w.WriteString("directory", directory);
        w.WriteString("service", service);
        w.WriteStartArray("created");
        foreach (var path in written)
        {
            w.WriteStringValue(path);
        }

        w.WriteEndArray();
        w.WriteNull("error");
    });

    public static string Error(string command, int exitCode, string kind, string message, string? store = null) => Write(w =>
    {
        Header(w, command, exitCode);
        w.WriteString("store", store);
        ErrorObject(w, kind, message);
    });

    private static void ErrorObject(Utf8JsonWriter w, string kind, string message)
    {
        w.WriteStartObject("error");
        w.WriteString("kind", kind);
        w.WriteString("message", message);
        w.WriteEndObject();
    }

    // The documents each step counted beyond --plan-limit: [{ "step": "backfill users", "line": 3, "count": 123456 }].
    private static void PlanOmitted(Utf8JsonWriter w, IReadOnlyList<PlanOmission> omissions)
    {
        w.WriteStartArray("planOmitted");
        foreach (var omitted in omissions)
        {
            w.WriteStartObject();
            w.WriteString("step", omitted.Step);
            w.WriteNumber("line", omitted.Line);
            w.WriteNumber("count", omitted.Count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void SeedError(Utf8JsonWriter w, SeedFailure? failure)
    {
        if (failure is null)
        {
            w.WriteNull("error");
            return;
        }

        w.WriteStartObject("error");
        w.WriteString("step", failure.Step);
        if (failure.Line is { } line)
        {
            w.WriteNumber("line", line);
        }
        else
        {
            w.WriteNull("line");
        }

        w.WriteString("type", failure.Exception.GetType().Name);
        w.WriteString("message", failure.Message);
        w.WriteEndObject();
    }

    private static string ServiceStatus(ServiceRunState state) => state switch
    {
        ServiceRunState.Done => "ok",
        ServiceRunState.Drifted => "drifted",
        ServiceRunState.LockTimeout => "lock_timeout",
        ServiceRunState.PendingPreDeploy => "pending_pre_deploy",
        ServiceRunState.Failed => "failed",
        ServiceRunState.Cancelled => "cancelled",
        ServiceRunState.StalePlan => "stale_plan",
        _ => "not_run",
    };

    private static string ErrorKind(ServiceRunState state) => state switch
    {
        ServiceRunState.Drifted => "drift",
        ServiceRunState.LockTimeout => "lock_timeout",
        ServiceRunState.PendingPreDeploy => "pending_pre_deploy",
        ServiceRunState.Cancelled => "cancelled",
        ServiceRunState.StalePlan => "stale_plan",
        _ => "failure",
    };

    private static string Outcome(SeedOutcome outcome) => outcome switch
    {
        SeedOutcome.Applied => "applied",
        SeedOutcome.AlreadyApplied => "already_applied",
        SeedOutcome.Ensured => "ensured",
        SeedOutcome.Planned => "planned",
        SeedOutcome.Failed => "failed",
        SeedOutcome.Cancelled => "cancelled",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    private static string Action(PlanAction action) => action switch
    {
        PlanAction.Create => "create",
        PlanAction.SkipExists => "skip_exists",
        PlanAction.Update => "update",
        PlanAction.SkipUnchanged => "skip_unchanged",
        _ => action.ToString().ToLowerInvariant(),
    };

    // status --drift: what drifted that the file declares last; null when --drift was not given.
    private static void DriftCount(Utf8JsonWriter w, StatusResult result, string service, Definitions.SeedDefinition seed)
    {
        if (Commands.StatusDrift.Count(result.Drift, service, seed) is { } count)
        {
            w.WriteNumber("drift", count);
        }
        else
        {
            w.WriteNull("drift");
        }
    }

        /// <summary>A resource kind's name in JSON (<c>field_override</c>, <c>topic</c>, ...).</summary>
    internal static string ResourceKind(Running.ResourceKind kind) => kind switch
    {
        Running.ResourceKind.FieldOverride => "field_override",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string ResourceAction(Running.ResourceAction action) => action switch
    {
        Running.ResourceAction.Create => "create",
        Running.ResourceAction.SkipExists => "skip_exists",
        Running.ResourceAction.Update => "update",
        Running.ResourceAction.SkipUnchanged => "skip_unchanged",
        Running.ResourceAction.Building => "building",
        Running.ResourceAction.NoTarget => "no_target",
        _ => action.ToString().ToLowerInvariant(),
    };
}
