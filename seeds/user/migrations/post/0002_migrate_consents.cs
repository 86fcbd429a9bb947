using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Samples.User.Migrations;

/// <summary>
/// What YAML cannot say: each old <c>consents</c> document becomes a <c>platform_consent</c> document of the new
/// shape (<c>state</c> granted/denied, <c>source</c>, <c>migrated_at</c>). Same numbering, registry and history as
/// the YAML migrations; pages through the collection and writes in batches, so memory stays flat.
/// </summary>
[Migration("0002_migrate_consents", SeedPhase.Post, Description = "Consents to the platform_consent shape")]
public sealed class MigrateConsents : IMigration
{
    /// <inheritdoc />
    public async Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await foreach (var consent in context.QueryAllAsync(new DocumentQuery("consents", []), cancellationToken: cancellationToken))
        {
            var accepted = consent.Fields.TryGetValue("accepted", out var value) && value.Kind == ValueKind.Boolean && value.AsBoolean();
            var fields = new Dictionary<string, Value>
            {
                ["state"] = Value.String(accepted ? "granted" : "denied"),
                ["source"] = Value.String("consents/" + consent.Path.Id),
                ["migrated_at"] = Value.ServerTimestamp,
            };

            // Create-only: a platform_consent written meanwhile by the new code is never overwritten.
            var target = DocumentPath.Create("platform_consent", consent.Path.Id);
            await context.WriteAsync(DocumentWrite.Create(target, fields), PlanAction.Create, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await context.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
