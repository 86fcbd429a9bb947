using System.Globalization;
using System.Reflection;
using System.Text;
using Seeding.Definitions;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary>
/// The generated code compiles warning-free, and the compiled definitions hold exactly the YAML's values,
/// even for strings built to break code generation.
/// </summary>
public sealed class GeneratedCodeTests
{
    /// <summary>Strings that would change the meaning of generated code if escaped carelessly.</summary>
    public static readonly string[] Adversarial =
    [
        "he said \"hi\"",
        "back\\slash \\\\ \\n \\u0041 \\",
        "line1\nline2\r\nline3\rline4",
        "*/ /* */ // not a comment",
        "\"\"\" raw \"\"\"\"",
        "{ interpolation {0} {{ }} } $\"{x}\"",
        "#if DEBUG\n#endif",
        "/// <summary>not xml</summary> & < >",
        "müller ß 中文 العربية עברית",
        "astral 😀 𝄞 🇩🇪",
        "bidi \u202E desrever \u202C and \u2066isolate\u2069",
        "nul \0 bell \a escape \u001B del \u007F",
        "separators \u2028 line \u2029 paragraph \u0085 next",
        "zero width \u200B\u200D joiner \uFEFF bom",
        "tab\there",
        " leading and trailing ",
        "",
        "key: value - list &anchor *alias !tag",
        new string('x', 100_000) + "\"" + new string('y', 1000),
    ];

    [Fact]
    public void SeedFormatExamplesCompileWithoutWarnings()
    {
        var run = GeneratorHarness.Run(
            ("seeding.yaml", SeedSamples.ServiceSettings),
            (SeedSamples.InitialRolesPath, SeedSamples.InitialRoles),
            (SeedSamples.DefaultSettingsPath, SeedSamples.DefaultSettings),
            (SeedSamples.AdminUserPath, SeedSamples.AdminUser),
            (SeedSamples.ValueKindsPath, SeedSamples.ValueKinds)).AssertClean();

        var registry = Registry(run.Load());
        Assert.Equal("user", registry.Service);
        Assert.Equal(["tenant"], registry.DependsOn);
        Assert.Equal(["0001_initial_roles", "0002_default_settings", "0001_value_kinds", "admin_user"], registry.Seeds.Select(s => s.Id));

        var roles = registry.Seeds[0];
        Assert.Equal(SeedPhase.Pre, roles.Phase);
        Assert.Equal("migrations/pre/0001_initial_roles.yaml", roles.SourcePath);
        Assert.Matches("^sha256:[0-9a-f]{64}$", roles.Checksum);
        var step = Assert.Single(roles.Steps);
        Assert.Equal(("create", "roles", 3), (step.Verb, step.Collection, step.Line));
        Assert.Equal(["platform-admin", "tenant-owner", "tenant-admin", "partner-admin", "user"], step.Documents.Select(d => d.Id));
        var admin = step.Documents[0];
        Assert.Equal(8, admin.Line);
        Assert.Equal(Value.String("platform-admin"), admin.Fields["id"]);
        Assert.Equal(Value.String("Platform Admin"), admin.Fields["name"]);
        Assert.Equal(Value.Integer(0), admin.Fields["level"]);
        Assert.Equal(Value.ServerTimestamp, admin.Fields["created_at"]);
    }

    [Fact]
    public void ValueKindsArriveAsTheRuntimeValues()
    {
        var run = GeneratorHarness.Run((SeedSamples.ValueKindsPath, SeedSamples.ValueKinds)).AssertClean();
        var definition = Definition(run.Load(), "Post0001ValueKinds");
        var step = Assert.Single(definition.Steps);
        Assert.Equal("upsert", step.Verb);
        var (berlin, bonn, weimar) = (step.Documents[0].Fields, step.Documents[1].Fields, step.Documents[2].Fields);

        Assert.Equal(Value.Double(891), berlin["area"]);
        Assert.Equal(Value.Timestamp(Timestamp.Parse("1237-10-28T00:00:00+01:00")), berlin["founded"]);
        Assert.Equal(Value.GeoPoint(new GeoPoint(52.52, 13.40)), berlin["location"]);
        Assert.Equal(Value.Reference(Seeding.Documents.DocumentPath.Parse("tenants/t1/places/bonn")), berlin["twin_city"]);
        Assert.Equal(Value.Bytes("hello"u8), berlin["logo"]);
        Assert.Equal(Value.Array(Value.String("city"), Value.String("capital")), berlin["tags"]);
        Assert.Equal(Value.Array(Value.Double(1), Value.Double(2.5)), berlin["scores"]);
        Assert.Equal(Value.Array(Value.Integer(1), Value.String("two"), Value.Null), berlin["mixed"]);
        Assert.Equal(Value.Integer(1), berlin["address"].AsMap()["number"]);
        Assert.Equal(Value.Null, berlin["nothing"]);
        Assert.Equal(Value.Null, berlin["motto"]);
        Assert.False(berlin.ContainsKey("rank"));

        Assert.Equal(Value.Integer(2), bonn["rank"]);
        Assert.Equal(Value.Null, weimar["rank"]);
        Assert.Equal(Value.Timestamp(Timestamp.Parse("0899-12-31T23:59:59.999999Z")), weimar["founded"]);
    }

    [Fact]
    public void RecordsRoundTripThroughFromFields()
    {
        var run = GeneratorHarness.Run((SeedSamples.ValueKindsPath, SeedSamples.ValueKinds)).AssertClean();
        var type = run.Load().GetType("Acme.Users.Seeds.Post0001ValueKinds")!;
        var record = type.GetNestedType("Place")!;
        var places = (System.Collections.IEnumerable)type.GetProperty("Places")!.GetValue(null)!;
        foreach (var place in places)
        {
            var fields = (IReadOnlyDictionary<string, Value>)record.GetMethod("ToFields")!.Invoke(place, null)!;
            var copy = record.GetMethod("FromFields")!.Invoke(null, [fields])!;
            Assert.Equal(fields, (IReadOnlyDictionary<string, Value>)record.GetMethod("ToFields")!.Invoke(copy, null)!);
        }
    }

    [Fact]
    public void AdversarialStringsCompileAndSurviveByteExact()
    {
        var yaml = new StringBuilder();
        yaml.Append("description: ").Append(Quote(Adversarial[4] + Adversarial[3] + Adversarial[2])).Append('\n');
        yaml.Append("create: texts\ndocuments:\n");
        for (var i = 0; i < Adversarial.Length; i++)
        {
            yaml.Append($"  - id: doc{i}\n    text: {Quote(Adversarial[i])}\n");
        }

        // The same strings as field names (where Firestore allows them) and as map keys.
        yaml.Append("  - id: names\n");
        foreach (var name in Adversarial.Where(a => a.Length is > 0 and < 1000))
        {
            yaml.Append($"    {Quote(name)}: {Quote(name)}\n");
        }

        var run = GeneratorHarness.Run(("migrations/pre/0001_adversarial.yaml", yaml.ToString())).AssertClean();
        var definition = Definition(run.Load(), "Pre0001Adversarial");
        Assert.Equal(Adversarial[4] + Adversarial[3] + Adversarial[2], definition.Description);
        var documents = Assert.Single(definition.Steps).Documents;
        for (var i = 0; i < Adversarial.Length; i++)
        {
            Assert.Equal(Adversarial[i], documents[i].Fields["text"].AsString());
        }

        var names = documents[^1].Fields;
        foreach (var name in Adversarial.Where(a => a.Length is > 0 and < 1000))
        {
            Assert.Equal(name, names[name].AsString());
        }
    }

    /// <summary>A YAML double-quoted scalar with every non-ASCII or control character escaped.</summary>
    internal static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length)
            {
                builder.Append("\\U").Append(char.ConvertToUtf32(c, text[++i]).ToString("X8", CultureInfo.InvariantCulture));
            }
            else if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c < 0x20 || c > 0x7E)
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }

    private static ServiceSeeds Registry(Assembly assembly)
    {
        var attribute = assembly.GetCustomAttribute<SeedingServiceAttribute>()!;
        return (ServiceSeeds)attribute.Registry.GetProperty("Service")!.GetValue(null)!;
    }

    private static SeedDefinition Definition(Assembly assembly, string className) =>
        (SeedDefinition)assembly.GetType("Acme.Users.Seeds." + className)!.GetProperty("Definition")!.GetValue(null)!;
}
