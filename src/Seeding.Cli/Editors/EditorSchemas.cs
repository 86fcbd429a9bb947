using System.Text;

namespace Seeding.Cli.Editors;

/// <summary>
/// The JSON Schemas that editors check seed files against, kept offline in the service: <c>init</c> and <c>new</c> copy
/// them into <c>.seeding/schema/</c> (the files the Seeding package ships under <c>schema/</c>, carried by this assembly
/// too) and start every YAML file they write with a <c># yaml-language-server: $schema=</c> line relative to that file.
/// </summary>
internal static class EditorSchemas
{
    /// <summary>Where the copies live, relative to the service's folder.</summary>
    public const string Folder = ".seeding/schema";

    /// <summary>The schema of migrations and bootstrap seeds.</summary>
    public const string SeedFile = "seed-file.schema.json";

    /// <summary>The schema of <c>seeding.yaml</c>.</summary>
    public const string ServiceSettings = "seeding.schema.json";

    /// <summary>The tags a seed file may use, declared to the YAML extension so it reads a tagged value as its content.</summary>
    public static readonly IReadOnlyList<string> CustomTags =
        ["!now scalar", "!timestamp scalar", "!ref scalar", "!ref:external scalar", "!geo sequence", "!bytes scalar", "!env scalar", "!env:safe scalar"];

    // .seeding/ also holds the local SQLite store: its files stay out of git, the schema copies are committed.
    private const string GitIgnore = "# The local SQLite store (seeding.db and its -wal/-shm files) stays out of git; schema/ is committed for editors.\n*.db\n*.db-*\n";

    /// <summary>
    /// Writes the schema copies (and <c>.seeding/.gitignore</c>) that are missing from the service's folder; never
    /// overwrites. Returns what it wrote.
    /// </summary>
    public static IReadOnlyList<string> Ensure(string serviceDirectory)
    {
        var written = new List<string>();
        var folder = Path.Combine(serviceDirectory, ".seeding", "schema");
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { SeedFile, ServiceSettings })
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path) && TryCreate(path, Read(name)))
            {
                written.Add(path);
            }
        }

        var ignore = Path.Combine(serviceDirectory, ".seeding", ".gitignore");
        if (!File.Exists(ignore) && TryCreate(ignore, GitIgnore))
        {
            written.Add(ignore);
        }

        return written;
    }

    /// <summary>The first line of a YAML file at <paramref name="yamlFile"/>: its schema's copy, relative to the file.</summary>
    public static string SchemaLine(string yamlFile, string serviceDirectory, string schema)
    {
        var target = Path.Combine(serviceDirectory, ".seeding", "schema", schema);
        var relative = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(yamlFile))!, target).Replace('\\', '/');
        return $"# yaml-language-server: $schema={relative}\n";
    }

    /// <summary>A schema's text as this assembly carries it (the same file as the package's <c>schema/</c>).</summary>
    public static string Read(string name)
    {
        using var stream = typeof(EditorSchemas).Assembly.GetManifestResourceStream("Seeding.Cli.Schema." + name)
            ?? throw new InvalidOperationException($"Seeding.Cli was built without the embedded schema {name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static bool TryCreate(string path, string content)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            writer.Write(content.Replace("\r\n", "\n", StringComparison.Ordinal));
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }
}
