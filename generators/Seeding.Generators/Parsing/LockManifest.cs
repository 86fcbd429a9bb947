using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>One locked migration: <c>pre/0001_initial_roles</c> and its checksum when it was locked.</summary>
internal sealed record LockEntry(string Key, string Checksum);

/// <summary>seeding.lock.json, parsed: the locked migrations, and problems with the file itself.</summary>
internal sealed record LockManifestModel(string? FilePath, string? Service, EquatableArray<LockEntry> Entries, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static LockManifestModel None { get; } = new(null, null, EquatableArray<LockEntry>.Empty, EquatableArray<DiagnosticInfo>.Empty);
}

/// <summary>
/// Reads the committed lock manifest (written by <c>seeding lock</c>): <c>{"version": 1, "service": "tenant",
/// "migrations": {"pre/0001_initial_roles": "sha256:…"}}</c>. JSON is YAML, so the YAML reader parses it.
/// What the lock means for the migrations is checked in <see cref="Checks.LockChecks"/>.
/// </summary>
internal static class LockManifest
{
    public const string FileName = "seeding.lock.json";

    /// <summary>The key of a migration in the manifest (and in history): <c>pre/0001_initial_roles</c>.</summary>
    public static string KeyOf(SeedPhase phase, string id) => (phase == SeedPhase.Pre ? "pre" : "post") + "/" + id;

    public static LockManifestModel Parse(ImmutableArray<SeedFileText> files)
    {
        if (files.IsDefaultOrEmpty)
        {
            return LockManifestModel.None;
        }

        var file = files.OrderBy(f => f.FilePath, StringComparer.Ordinal).First();
        var diagnostics = new List<DiagnosticInfo>();
        var map = new SourceMap(file.FilePath, file.Content);
        void Problem(LocationInfo location, string problem) => diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidLockManifest, location, problem));

        var entries = new List<LockEntry>();
        string? service = null;
        try
        {
            var root = file.ReadError is null ? YamlTreeReader.Read(file.Content, map, diagnostics) : null;
            if (root is null || root.Kind != YamlNodeKind.Mapping)
            {
                if (diagnostics.Count == 0)
                {
                    Problem(LocationInfo.FileStart(file.FilePath), file.ReadError ?? "expected an object with version, service and migrations; regenerate it with 'seeding lock'");
                }

                return new LockManifestModel(file.FilePath, null, EquatableArray<LockEntry>.Empty, diagnostics.ToEquatableArray());
            }

            foreach (var pair in root.Pairs)
            {
                switch (pair.Key.Value)
                {
                    case "version" when pair.Value.Value != "1":
                        Problem(map.At(pair.Value), $"version {pair.Value.Value} is not supported; this generator reads version 1");
                        break;
                    case "service":
                        service = pair.Value.Kind == YamlNodeKind.Scalar ? pair.Value.Value : null;
                        break;
                    case "migrations" when pair.Value.Kind == YamlNodeKind.Mapping:
                        foreach (var entry in pair.Value.Pairs)
                        {
                            if (entry.Value.Kind == YamlNodeKind.Scalar && entry.Value.Value.StartsWith("sha256:", StringComparison.Ordinal))
                            {
                                entries.Add(new LockEntry(entry.Key.Value, entry.Value.Value));
                            }
                            else
                            {
                                Problem(map.At(entry.Value), $"the checksum of '{YamlNode.Shorten(entry.Key.Value)}' must be a string \"sha256:...\"");
                            }
                        }

                        break;
                    case "migrations":
                        Problem(map.At(pair.Value), "'migrations' must be an object of \"phase/id\": \"sha256:...\" entries");
                        break;
                }
            }
        }
        catch (YamlLimitException limit)
        {
            diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.ExpansionLimit, map.At(limit.Position, limit.Position), limit.What, limit.Limit));
        }

        return new LockManifestModel(file.FilePath, service, entries.ToEquatableArray(), diagnostics.ToEquatableArray());
    }
}
