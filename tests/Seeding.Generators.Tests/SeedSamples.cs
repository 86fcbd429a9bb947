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
}
