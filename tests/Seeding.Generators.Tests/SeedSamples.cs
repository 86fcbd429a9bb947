namespace Seeding.Generators.Tests;

/// <summary>The seed-format.md examples and a few more, as a service developer writes them.</summary>
internal static class SeedSamples
{
    public const string InitialRolesPath = "migrations/pre/0001_initial_roles.yaml";

    public const string InitialRoles = """
        # migrations/pre/0001_initial_roles.yaml
        description: Default roles
        create: roles                 # collection; verb 'create' = create each document if its id is absent
        key: id                       # the field that holds the document id (default: id); kept in the body too
        defaults:
          created_at: !now            # server timestamp at apply time
        documents:
          - { id: platform-admin, name: Platform Admin, level: 0 }
          - { id: tenant-owner,   name: Tenant Owner,   level: 1 }
          - { id: tenant-admin,   name: Tenant Admin,   level: 2 }
          - { id: partner-admin,  name: Partner Admin,  level: 3 }
          - { id: user,           name: User,           level: 10 }

        """;

    public const string DefaultSettingsPath = "migrations/pre/0002_default_settings.yaml";

    public const string DefaultSettings = """
        # migrations/pre/0002_default_settings.yaml
        description: Default settings
        steps:
          - create: settings
            documents:
              - id: default
                session_ttl_days: 30
                invitation_expiry_days: 5
                created_at: !now
                updated_at: !now
          - upsert: config            # set with merge: declared fields written, others kept
            documents:
              - { id: app, feature_enabled: true, updated_at: !now }

        """;

    public const string ServiceSettings = """
        service: user
        depends_on: [tenant]
        """;

    public const string AdminUserPath = "bootstrap/admin_user.yaml";

    public const string AdminUser = """
        description: Platform admin
        create: users
        documents:
          - id: admin
            email: admin@example.com
            status: active
            created_at: !now
        """;

    public const string ValueKindsPath = "migrations/post/0001_value_kinds.yaml";

    /// <summary>Every value kind and the inference rules: absent fields, int+float, explicit nulls, lists, maps.</summary>
    public const string ValueKinds = """
        description: Every kind of value
        upsert: tenants/t1/places
        documents:
          - id: berlin
            name: Berlin
            population: 3850000
            area: 891
            capital: true
            founded: !timestamp 1237-10-28T00:00:00+01:00
            location: !geo [52.52, 13.40]
            twin_city: !ref tenants/t1/places/bonn
            logo: !bytes aGVsbG8=
            tags: [city, capital]
            scores: [1, 2.5]
            mixed: [1, two, null]
            address: { street: Unter den Linden, number: 1, geo: !geo [52.5, 13.4], parts: [a, 1] }
            nothing: null
            motto: null
            updated_at: !now
          - id: bonn
            name: Bonn
            population: 330000
            area: 141.1
            capital: false
            founded: !timestamp 0001-01-01T00:00:00Z
            location: !geo [50.73, 7.1]
            twin_city: !ref tenants/t1/places/berlin
            logo: !bytes ""
            tags: []
            scores: []
            mixed: []
            address: {}
            nothing: null
            motto: Bundesstadt
            rank: 2
            updated_at: !now
          - id: weimar
            name: Weimar
            population: 65000
            area: 84.4
            capital: false
            founded: !timestamp 0899-12-31T23:59:59.999999999Z
            location: !geo [-50.97, -11.32]
            twin_city: !ref tenants/t1/places/berlin
            logo: !bytes AAEC/w==
            tags: [town]
            scores: [3]
            mixed: [true]
            address: { street: Markt }
            nothing: null
            motto: null
            rank: null
            updated_at: !now
        """;

    public const string AuditTopicsPath = "migrations/pre/0002_audit_topics.yaml";

    /// <summary>Pub/Sub topics and a subscription with every setting (seeds/audit's 0002_audit_topics).</summary>
    public const string AuditTopics = """
        description: Pub/Sub topics the audit writer listens on
        steps:
          - topic: audit-events
            labels: { team: audit, tier: "1" }
            message_retention: 7d
          - topic: audit-events-dead-letter
          - subscription: audit-writer
            topic: audit-events
            labels: { team: audit }
            ack_deadline: 60s
            message_retention: 7d
            filter: 'attributes.kind = "audit"'
            dead_letter: { topic: audit-events-dead-letter, max_delivery_attempts: 5 }
          - subscription: audit-archiver
            topic: audit-events
            push_endpoint: https://audit.example.com/push
            environments: [production]
        """;

    public const string UserIndexesPath = "migrations/pre/0003_user_indexes.yaml";

    /// <summary>A composite index and a field override with a TTL policy (seeds/user's 0003_user_indexes).</summary>
    public const string UserIndexes = """
        description: Users by tenant and email, for the admin match
        steps:
          - index: users
            fields:
              - tenant_id: ascending
              - email: ascending
          - index: members
            scope: collection_group
            fields:
              - roles: contains
              - profile.joined_at: descending
          - field_override: sessions
            field: expires_at
            ttl: true
            indexes: [ascending, { order: descending, scope: collection_group }]
          - field_override: audit_log
            field: payload
            indexes: []
        """;
}
