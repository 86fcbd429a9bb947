using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Seeding.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports, in one place. IDs are stable: never reuse or renumber one.
/// docs/diagnostics.md describes each with an example and the fix; each help link is that section's absolute address.
/// </summary>
internal static class SeedingDiagnostics
{
    private const string Category = "Seeding";

    public static readonly DiagnosticDescriptor YamlSyntaxError = Error("SEED001", "YAML syntax error", "YAML syntax error: {0}. Fix the YAML at this position.");

    public static readonly DiagnosticDescriptor EmptyFile = Error("SEED002", "Empty seed file", "'{0}' is empty. Write a description and a verb (create: or upsert:) with documents, or delete the file.");

    public static readonly DiagnosticDescriptor UnexpectedNode = Error("SEED003", "Unexpected YAML node", "{0} must be {1}, but this is {2}");

    public static readonly DiagnosticDescriptor UnknownKey = Error("SEED004", "Unknown key", "Unknown key '{0}' in {1}. {2}");

    public static readonly DiagnosticDescriptor MissingKey = Error("SEED005", "Missing required key", "{0} needs {1}");

    public static readonly DiagnosticDescriptor UnknownTag = Error("SEED006", "Unknown tag", "Unknown tag '{0}'. Supported tags: !now, !timestamp, !ref, !geo, !bytes, !env (and !env:safe).");

    public static readonly DiagnosticDescriptor InvalidTagValue = Error("SEED007", "Invalid tagged value", "Invalid {0} value: {1}");

    public static readonly DiagnosticDescriptor NotSupportedYet = Error("SEED008", "Not supported yet", "'{0}' is part of the seed format but not supported by this version of Seeding yet. {1}");

    public static readonly DiagnosticDescriptor InvalidFileName = Error("SEED009", "Invalid seed file name", "'{0}' is not a valid {1} file name: {2}");

    public static readonly DiagnosticDescriptor WrongFolder = Error("SEED010", "Seed file in the wrong folder", "'{0}' is not in a seed folder. Put migrations in migrations/pre/ or migrations/post/, bootstrap seeds in bootstrap/, and settings in seeding.yaml at the project root.");

    public static readonly DiagnosticDescriptor WrongExtension = Error("SEED011", "Wrong file extension", "'{0}' does not end in '.yaml'. Rename it to '{1}': Seeding reads '.yaml' files only, so that one name maps to one seed.");

    public static readonly DiagnosticDescriptor DuplicateMigrationNumber = Error("SEED012", "Duplicate migration number", "Migration number {0} in {1} is used by {2}. {3}");

    public static readonly DiagnosticDescriptor DuplicateDocumentId = Error("SEED013", "Duplicate document id", "Document '{0}' in collection '{1}' is already declared at {2}. Remove one of them or give it another id.");

    public static readonly DiagnosticDescriptor TypeConflict = Error("SEED014", "Field type conflict", "Field '{0}' of collection '{1}' is {2} here but {3} at {4}. Use one type for the field in every document (quote values meant as strings).");

    public static readonly DiagnosticDescriptor InvalidDocumentId = Error("SEED015", "Invalid document id", "Invalid document id: {0}");

    public static readonly DiagnosticDescriptor InvalidFieldName = Error("SEED016", "Invalid field name", "Invalid field name: {0}");

    public static readonly DiagnosticDescriptor InvalidCollectionPath = Error("SEED017", "Invalid collection path", "Invalid collection path '{0}': {1}");

    public static readonly DiagnosticDescriptor ExpansionLimit = Error("SEED018", "YAML aliases expand too far or nesting is too deep", "{0} (the limit per file is {1}, to protect the build; the number of documents and the file's size are not limited).");

    public static readonly DiagnosticDescriptor NumberOutOfRange = Error("SEED019", "Number out of range", "'{0}' does not fit a 64-bit integer. Quote it to store a string, or write it as a float (e.g. {0}.0).");

    public static readonly DiagnosticDescriptor MissingDocumentId = Error("SEED020", "Missing or invalid document id field", "The id field '{0}' {1}");

    public static readonly DiagnosticDescriptor DuplicateKey = Error("SEED021", "Duplicate key", "Key '{0}' appears twice in this mapping (first at {1}). Remove one.");

    public static readonly DiagnosticDescriptor ConflictingKeys = Error("SEED022", "Conflicting keys", "'{0}:' conflicts with {1}: {2}");

    public static readonly DiagnosticDescriptor FirestoreLimit = Error("SEED023", "Firestore limit exceeded", "{0}; Firestore allows {1}. {2}");

    public static readonly DiagnosticDescriptor MultipleDocuments = Error("SEED024", "More than one YAML document", "A seed file holds one YAML document; this file has another one starting here. Move it to its own file.");

    public static readonly DiagnosticDescriptor InvalidServiceSettings = Error("SEED025", "Invalid seeding.yaml", "Invalid seeding.yaml: {0}");

    public static readonly DiagnosticDescriptor ConfiguredValueNotAllowed = Error("SEED026", "!env not allowed here", "!env cannot be used {0}: {1}");

    public static readonly DiagnosticDescriptor InvalidNewId = Error("SEED027", "Invalid new_id rule", "Invalid new_id '{0}': {1}");

    public static readonly DiagnosticDescriptor UnknownEnvironment = Error("SEED028", "Unknown environment", "Unknown environment '{0}'. This service knows: {1}. Fix the name, or list it under 'environments:' in seeding.yaml.");

    public static readonly DiagnosticDescriptor NonConvergingBackfill = Warning("SEED029", "Backfill does not converge", "This backfill's 'set:' changes none of its 'where:' fields ({0}), so every document it updates still matches afterwards and a re-run updates it again. Set one of the null-conditioned fields, or narrow 'where:'.");

    public static readonly DiagnosticDescriptor InvalidMigrationAttribute = Error("SEED030", "Invalid C# migration id or phase", "{0} is not a valid migration {1}: {2}");

    public static readonly DiagnosticDescriptor UnusableMigrationClass = Error("SEED031", "C# migration class cannot be registered", "Class '{0}' {1}");

    public static readonly DiagnosticDescriptor UnseededReference = Warning("SEED032", "Reference to a document not seeded here", "!ref '{0}' points to a document no create or upsert of this project seeds. Check the path, or seed the target (or suppress SEED032 when another service seeds it).");

    public static readonly DiagnosticDescriptor LockedMigrationChanged = Error("SEED033", "Locked migration changed", "Migration '{0}' is locked in seeding.lock.json with checksum {1}, but its content now has checksum {2}. Undo the change and add a new migration (the next number) instead; only if this migration has been applied in no environment, remove its entry from seeding.lock.json.");

    public static readonly DiagnosticDescriptor InvalidLockManifest = Error("SEED034", "Invalid seeding.lock.json", "Invalid seeding.lock.json: {0}");

    public static readonly DiagnosticDescriptor BoundTypeNotFound = Error("SEED035", "Bound type not found or not usable", "'type: {0}' {1}");

    public static readonly DiagnosticDescriptor NoMatchingProperty = Error("SEED036", "No property for a YAML key", "Field '{0}' has no matching settable property on {1} (expected '{2}' with a public set or init accessor). Properties: {3}.");

    public static readonly DiagnosticDescriptor ValueDoesNotConvert = Error("SEED037", "Value does not convert to the property type", "Field '{0}' is {1}, which does not convert to {2} ({3}.{4}){5}");

    public static readonly DiagnosticDescriptor RequiredPropertyMissing = Error("SEED038", "Required property missing", "This document does not set required propert{0} {1} of {2}. Add {3} (or a default under 'defaults:').");

    public static readonly DiagnosticDescriptor UnsupportedPropertyType = Error("SEED039", "Unsupported property type", "Field '{0}' maps to {1}.{2} of type {3}, which seed data cannot hold. Supported: string, long, int, double, bool, enums, Seeding.Values.Timestamp, DateTimeOffset, DocumentPath, GeoPoint, ReadOnlyMemory<byte>, byte[], IReadOnlyDictionary<string, Value>, Value, and IReadOnlyList<T>, List<T> or T[] of these scalars (nullable allowed).");

    public static readonly DiagnosticDescriptor InvalidPubSubId = Error("SEED040", "Invalid Pub/Sub topic or subscription id", "Invalid {0} id: {1}");

    public static readonly DiagnosticDescriptor InvalidLabel = Error("SEED041", "Invalid label", "Invalid label: {0}");

    public static readonly DiagnosticDescriptor InvalidPubSubSetting = Error("SEED042", "Invalid Pub/Sub setting", "Invalid '{0}:' value: {1}");

    public static readonly DiagnosticDescriptor UndeclaredTopic = Warning("SEED043", "Subscription to a topic not declared here", "{0} '{1}' is declared by no seed file of this service. Check the name, or declare it with 'topic: {1}' (or suppress SEED043 when another service or tool creates it).");

    public static readonly DiagnosticDescriptor IndexOutsidePreDeploy = Error("SEED044", "Index step outside a pre-deploy migration", "'{0}:' steps belong in pre-deploy migrations, not in {1}: an index must be built before the code that queries it is deployed, and it is declared once. Move this step to a file under migrations/pre/.");

    public static readonly DiagnosticDescriptor InvalidIndex = Error("SEED045", "Invalid index or field override", "Invalid {0}: {1}");

    public static readonly DiagnosticDescriptor DuplicateIndex = Error("SEED046", "Index or field override declared twice", "The {0} is also declared at {1}. Firestore holds one of each: remove one of the declarations.");

    public static readonly DiagnosticDescriptor ConflictingPubSubDeclarations = Error("SEED047", "Topic or subscription declared with different settings", "The {0} is also declared at {1}, with other settings ({2}). Declare it once, or with the same settings everywhere; to change an existing one's settings, declare them in one bootstrap file, which updates the settings that differ.");

    public static readonly DiagnosticDescriptor BootstrapReferenceToMigration = Warning("SEED048", "Bootstrap reference to a document only a migration creates", "!ref '{0}' in a bootstrap file points to a document only the migration {1} creates. Bootstrap runs on every start, also before that migration is applied, and the reference then points to nothing. Apply the migration first ('seeding migrate'), or declare the document in a bootstrap file too.");

    public static readonly DiagnosticDescriptor InternalError = Error("SEED999", "Seeding generator internal error", "The Seeding generator failed on this file ({0}: {1}). Please report it with the file; meanwhile simplify the YAML around the last change.");

    private static readonly Dictionary<string, DiagnosticDescriptor> All = typeof(SeedingDiagnostics)
        .GetFields()
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null))
        .ToDictionary(d => d.Id);

    /// <summary>All descriptors, for tests and docs.</summary>
    public static IReadOnlyCollection<DiagnosticDescriptor> Descriptors => All.Values;

    public static DiagnosticDescriptor ById(string id) => All[id];

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: RepositoryLinks.Diagnostic(id));

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: RepositoryLinks.Diagnostic(id));
}
