using System.Text;

namespace Seeding.Generators.Tests;

/// <summary>
/// The generator must never crash the compiler (CS8785) whatever the YAML: every problem becomes a SEED
/// diagnostic, and what it does generate still compiles.
/// </summary>
public sealed class RobustnessTests
{
    public static TheoryData<string> MalformedYaml => new()
    {
        "",
        "\uFEFF",
        "\0\0\0",
        "---",
        "~",
        "null",
        "42",
        "\"just a string\"",
        "[1, 2",
        "{",
        "}",
        "create: roles\ndocuments:\n\t- id: a\n",
        "create: [roles]\ndocuments: []\n",
        "create: roles\ndocuments: {}\n",
        "create: roles\ndocuments: [1, 2, 3]\n",
        "create: roles\ndocuments:\n  - id: [a]\n",
        "create: roles\ndocuments:\n  - id: ~\n",
        "create: roles\ndocuments:\n  - id: 42\n",
        "create: roles\ndocuments:\n  - ? [complex, key]\n    : value\n    id: a\n",
        "create: roles\ndocuments:\n  - &a { id: a, self: *a }\n",
        "create: roles\ndocuments:\n  - { id: a, x: *undefined }\n",
        "create: roles\ndocuments:\n  - { id: a, x: !!binary aGVsbG8= }\n",
        "create: roles\ndocuments:\n  - { id: a, x: !!map [1] }\n",
        "create: roles\ndocuments:\n  - { id: a, x: !geo { lat: 1 } }\n",
        "create: roles\ndocuments:\n  - { id: a, x: !timestamp [1] }\n",
        "create: roles\ndocuments:\n  - { id: a, x: !ref [1] }\n",
        "create: roles\ndocuments:\n  - { id: a, x: 0x }\n",
        "create: roles\ndocuments:\n  - { id: a, x: 0o99 }\n",
        "create: roles\ndocuments:\n  - { id: a, x: 1e999 }\n",
        "create: roles\ndocuments:\n  - { id: a, x: -.inf, y: .nan, z: 0o17, w: 0xFF }\n",
        "create: roles\ndocuments:\n  - { id: a, '': 1 }\n",
        "create: roles\ndocuments:\n  - { id: a, class: 1, Class: 2, _class: 3, '1x': 4, 'to_string': 5, 'é': 6, '💥': 7 }\n",
        "create: roles\nkey: ''\ndocuments:\n  - { id: a }\n",
        "create: roles\nkey: [x]\ndocuments:\n  - { id: a }\n",
        "create: roles\ndefaults: [1]\ndocuments:\n  - { id: a }\n",
        "create: roles\ndefaults:\ndocuments:\n  - { id: a }\n",
        "steps: 1\n",
        "steps: [1, [2], { create: x }]\n",
        "steps:\n  - create: roles\n    documents:\n      - id: a\n  - create: roles\n    documents:\n      - id: a\n",
        "description: [not, text]\ncreate: roles\ndocuments: []\n",
        "create: roles\ndocuments: []\n--- \n--- \n",
        "%YAML 1.2\n---\ncreate: roles\ndocuments: []\n",
        "%BOGUS directive\n---\ncreate: roles\n",
        "create: roles\ndocuments:\n  - { id: a, x: " + new string('[', 5000) + new string(']', 5000) + " }\n",
        "create: roles\ndocuments:\n  - { id: a, x: " + new string('{', 3000) + "}\n",
        "create: roles\ndocuments:\n  - { id: a, x: \"" + new string('x', 1_100_000) + "\" }\n",
        "create: ro\u2028les\ndocuments: []\n",
        "create: roles\ndocuments:\n  - { id: \"a\\ud800\", x: \"\\udc00\" }\n",
        "create: roles\ndocuments:\n  - {id: a}\n  - {id: b, id: c}\n",
    };

    [Theory]
    [MemberData(nameof(MalformedYaml))]
    public void NeverThrowsAndEverythingGeneratedCompiles(string yaml)
    {
        foreach (var path in new[] { "migrations/pre/0001_garbage.yaml", "bootstrap/garbage.yaml", "seeding.yaml" })
        {
            AssertSurvives(GeneratorHarness.Run((path, yaml)));
        }
    }

    /// <summary>Random edits of a valid file: insertions, deletions and swaps of YAML-significant characters.</summary>
    [Fact]
    public void SurvivesRandomMutationsOfAValidFile()
    {
        var random = new Random(20240501);
        const string Alphabet = ":-[]{}&*!|>'\"#,?\n \t\\%@`0.~";
        var source = SeedSamples.ValueKinds;
        for (var i = 0; i < 150; i++)
        {
            var text = new StringBuilder(source);
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    case 1: text.Remove(at, 1); break;
                    default: text[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                }
            }

            AssertSurvives(GeneratorHarness.Run((SeedSamples.ValueKindsPath, text.ToString())));
        }
    }

    private static void AssertSurvives(GeneratorRun run)
    {
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.DriverDiagnostics, d => d.Id is "CS8784" or "CS8785");
        Assert.All(run.Diagnostics, d => Assert.StartsWith("SEED", d.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "SEED999");

        // Generated code (if any) compiles: the only errors allowed are the generator's own.
        Assert.Empty(run.CompilerProblems.Select(d => d.ToString()));
    }
}
