namespace Seeding.Generators.Tests;

/// <summary>The seed-format.md examples for match, !env, when, environments, backfills and C# migrations, verbatim.</summary>
internal static class SeedLanguageSamples
{
    public const string PlatformAdminPath = "bootstrap/admin_user.yaml";

    public const string PlatformAdmin = """
        # bootstrap/admin_user.yaml
        description: Platform admin, when one is configured
        create: users
        when: !env PLATFORM_ADMIN_EMAIL     # skipped (and reported as skipped) when unset or empty
        match: [email]                       # exists-check is a query on these fields, not an id lookup
        new_id: user-{hex:8}                 # id for a document the match does not find: {hex:N} random,
                                             # {hash:N} derived from the match values (same on every replica)
        documents:
          - email: !env PLATFORM_ADMIN_EMAIL
            first_name: Platform
            last_name: Admin
            status: active
            created_at: !now

        """;

    public const string BackfillTimestampsPath = "migrations/post/0001_backfill_timestamps.yaml";

    public const string BackfillTimestamps = """
        # migrations/post/0001_backfill_timestamps.yaml
        description: Timestamps for resources created before they existed
        backfill: resources
        where: { created_at: null }           # null or missing
        set:
          created_at: !now
          updated_at: !now

        """;

    public const string ExpiryPath = "migrations/post/0003_expiry_for_pending_recommendations.yaml";

    public const string Expiry = """
        # migrations/post/0003_expiry_for_pending_recommendations.yaml
        backfill: recommendations
        where: { status: pending, expires_at: null }
        set: { expires_at: !timestamp 2027-01-01T00:00:00Z }

        """;

    public const string DemoTenantPath = "bootstrap/demo_tenant.yaml";

    /// <summary>environments on the file, when on one step, a !ref to a document seeded in the same file.</summary>
    public const string DemoTenant = """
        description: A demo tenant for trying the product
        environments: [development, staging]
        steps:
          - create: tenants
            documents:
              - { id: demo, name: Demo, owner_role: !ref roles/tenant-owner }
          - upsert: roles
            documents:
              - { id: tenant-owner, name: Tenant Owner }
          - when: !env:safe DEMO_SUPPORT_EMAIL
            upsert: tenants
            documents:
              - { id: demo, support_email: !env:safe DEMO_SUPPORT_EMAIL }

        """;

    public const string MigrateConsentsPath = "migrations/post/0002_migrate_consents.cs";

    /// <summary>A C# migration: each old consent becomes a platform_consent document.</summary>
    public const string MigrateConsents = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Seeding.Definitions;
        using Seeding.Running;
        using Seeding.Store;
        using Seeding.Values;

        namespace Acme.Users.Migrations
        {
            /// <summary>Old consents become platform_consent documents.</summary>
            [Migration("0002_migrate_consents", SeedPhase.Post, Description = "Consents to platform_consent")]
            public sealed class MigrateConsents : IMigration
            {
                /// <inheritdoc />
                public async Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken)
                {
                    await foreach (var consent in context.QueryAllAsync(new DocumentQuery("consents", []), cancellationToken: cancellationToken))
                    {
                        var state = consent.Fields["accepted"].AsBoolean() ? "granted" : "denied";
                        var target = Seeding.Documents.DocumentPath.Create("platform_consent", consent.Path.Id);
                        var fields = new Dictionary<string, Value> { ["state"] = Value.String(state) };
                        await context.WriteAsync(DocumentWrite.Create(target, fields), PlanAction.Create, cancellationToken: cancellationToken);
                    }

                    await context.FlushAsync(cancellationToken);
                }
            }
        }
        """;
}
